//! Long-running workloads whose pods no NetworkPolicy of their namespace selects.
use crate::formats::k8s::selector_matches;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/missing-network-policy",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/missing-network-policy.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    if manifest.is_patch() {
        return;
    }
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        let namespace = workload.object.namespace();
        if workload.is_batch() || namespace == Some("kube-system") {
            continue;
        }
        let covered = cx
            .run()
            .k8s
            .network_policies
            .iter()
            .filter(|(ns, _)| ns.as_deref() == namespace)
            .any(|(_, spec)| selector_matches(spec.get("podSelector"), workload.pod_labels()));
        let object = workload.object.label();
        let bucket = match namespace {
            Some(ns) => format!("of namespace `{ns}`"),
            None => "without a namespace".to_string(),
        };
        if covered {
            cx.pass(
                workload.object.anchor(),
                format!("a NetworkPolicy {bucket} selects the pods of `{object}`"),
            );
        } else {
            cx.report(
                workload.object.anchor(),
                format!("no NetworkPolicy {bucket} selects the pods of `{object}`"),
            )
            .help("add a NetworkPolicy whose `podSelector` matches the pod labels and allows only the traffic the workload needs");
        }
    }
}
