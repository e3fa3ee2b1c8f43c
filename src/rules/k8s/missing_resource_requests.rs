//! Containers without CPU and memory requests, so the scheduler cannot place them well.
use super::names;
use crate::formats::k8s::ContainerSet;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/missing-resource-requests",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/missing-resource-requests.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    if manifest.is_patch() {
        return;
    }
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        for container in workload
            .containers()
            .into_iter()
            .filter(|c| c.set != ContainerSet::Ephemeral)
        {
            let missing: Vec<&str> = ["cpu", "memory"]
                .into_iter()
                .filter(|r| !is_requested(&container, workload.pod, r))
                .collect();
            if missing.is_empty() {
                cx.pass(
                    container.anchor(),
                    format!("{} requests CPU and memory", names::container(&container)),
                );
                continue;
            }
            let what = match missing.as_slice() {
                ["cpu"] => "CPU request".to_string(),
                [one] => format!("{one} request"),
                _ => "CPU and memory requests".to_string(),
            };
            cx.report(
                container.anchor(),
                format!("{} has no {what}", names::container(&container)),
            )
            .help("set `resources.requests.cpu` and `resources.requests.memory` to what the container uses under normal load");
        }
    }
}

/// Whether a resource is requested: by the container, by a container limit (Kubernetes copies a
/// limit into an omitted request), or by pod-level resources.
fn is_requested(container: &Container, pod: &Node, resource: &str) -> bool {
    let set = |node: &Node, kind: &str| {
        node.path(&["resources", kind, resource])
            .is_some_and(|n| !n.is_null())
    };
    set(container.node, "requests")
        || set(container.node, "limits")
        || set(pod, "requests")
        || set(pod, "limits")
}
