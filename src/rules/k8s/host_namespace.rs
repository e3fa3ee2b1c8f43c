//! Pods that share the host's process or IPC namespace.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/host-namespace",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/host-namespace.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        for (key, what) in [
            (
                "hostPID",
                "the host's process namespace: it can see and signal every process of the node",
            ),
            (
                "hostIPC",
                "the host's IPC namespace: it can read the shared memory of the node's processes",
            ),
        ] {
            let Some(entry) = workload.pod.entry(key) else {
                continue;
            };
            if entry.value.as_bool() == Some(true) {
                cx.report(
                    entry.key.span.cover(entry.value.span),
                    format!("`{}` shares {what}", workload.object.label()),
                )
                .help(format!("remove `{key}: true`"));
            }
        }
    }
}
