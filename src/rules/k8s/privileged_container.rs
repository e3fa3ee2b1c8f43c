//! Containers that run privileged, with every device and capability of the host.
use super::names;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/privileged-container",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/privileged-container.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        for container in workload.containers() {
            let Some(entry) = container
                .node
                .get("securityContext")
                .and_then(|s| s.entry("privileged"))
            else {
                continue;
            };
            if entry.value.as_bool() == Some(true) {
                cx.report(
                    entry.key.span.cover(entry.value.span),
                    format!("{} runs privileged", names::container(&container)),
                )
                .help("remove `privileged: true` and add only the capabilities the process needs");
            }
        }
    }
}
