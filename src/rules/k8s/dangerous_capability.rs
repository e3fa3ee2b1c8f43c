//! Containers that add a capability amounting to host access.
use super::names;
use crate::rules::prelude::*;
use crate::rules::shared::capabilities::{self, Reach};

pub(crate) static RULE: Rule = Rule {
    id: "k8s/dangerous-capability",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/dangerous-capability.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        let shares = |key: &str| workload.pod.get(key).and_then(Node::as_bool) == Some(true);
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
                if !capabilities::is_dangerous(written) {
                    continue;
                }
                let name = capabilities::canonical(written);
                // Within the pod's own namespace, the capability reaches only the pod.
                let confined = match capabilities::reach(&name) {
                    Reach::Host => None,
                    Reach::Network => (!shares("hostNetwork")).then_some("network namespace"),
                    Reach::Processes => (!shares("hostPID")).then_some("PID namespace"),
                };
                let scope = match confined {
                    Some(ns) => format!(", in the pod's own {ns} only"),
                    None => String::new(),
                };
                let finding = cx
                    .report(
                        item.span,
                        format!(
                            "{} adds capability `{name}`: {}{scope}",
                            names::container(&container),
                            capabilities::power(&name)
                        ),
                    )
                    .help("remove it from `capabilities.add`; add only the narrow capability the process needs");
                if confined.is_some() {
                    finding.severity = Severity::Warning;
                }
            }
        }
    }
}
