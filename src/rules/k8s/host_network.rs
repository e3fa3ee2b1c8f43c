//! Pods on the node's network namespace.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/host-network",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/host-network.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        let Some(entry) = workload.pod.entry("hostNetwork") else {
            continue;
        };
        if entry.value.as_bool() == Some(true) {
            cx.report(
                entry.key.span.cover(entry.value.span),
                format!(
                    "`{}` uses the node's network namespace",
                    workload.object.label()
                ),
            )
            .help("remove `hostNetwork: true` and reach the pod through a Service");
        }
    }
}
