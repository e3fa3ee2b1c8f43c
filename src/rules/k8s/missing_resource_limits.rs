//! Containers without a memory limit.
use super::names;
use crate::formats::k8s::ContainerSet;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/missing-resource-limits",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/missing-resource-limits.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    if manifest.is_patch() {
        return;
    }
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        // Pod-level resources (Kubernetes 1.32+) bound every container of the pod together.
        let pod_limit = workload.pod.path(&["resources", "limits", "memory"]);
        for container in workload
            .containers()
            .into_iter()
            .filter(|c| c.set != ContainerSet::Ephemeral)
        {
            let own = container.node.path(&["resources", "limits", "memory"]);
            match own.or(pod_limit).filter(|n| !n.is_null()) {
                Some(limit) => {
                    let value = limit.as_str().unwrap_or("");
                    let whose = if own.is_some() { "" } else { " (pod-level)" };
                    cx.pass(
                        container.anchor(),
                        format!(
                            "{} has a memory limit of `{value}`{whose}",
                            names::container(&container)
                        ),
                    );
                }
                None => {
                    cx.report(
                        container.anchor(),
                        format!("{} has no memory limit", names::container(&container)),
                    )
                    .help("set `resources.limits.memory`; a CPU limit is optional, as it throttles the container");
                }
            }
        }
    }
}
