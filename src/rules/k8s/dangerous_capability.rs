//! Containers that add a capability amounting to host access.
use crate::rules::prelude::*;
use crate::rules::shared::capabilities;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/dangerous-capability",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/dangerous-capability.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        for container in workload.containers() {
            let Some(add) = container
                .own_security_field("capabilities")
                .and_then(|c| c.get("add"))
            else {
                continue;
            };
            for item in add.items() {
                let Some(written) = item.as_str() else {
                    continue;
                };
                if capabilities::is_dangerous(written) {
                    let name = capabilities::canonical(written);
                    cx.report(
                        item.span,
                        format!(
                            "{} adds capability `{name}`: {}",
                            container.label(),
                            capabilities::power(&name)
                        ),
                    )
                    .help("remove it from `capabilities.add`; add only the narrow capability the process needs");
                }
            }
        }
    }
}
