//! Long-running containers that serve ports without a readiness probe.
use super::patch::is_kustomize_patch;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/missing-readiness-probe",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/missing-readiness-probe.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    if is_kustomize_patch(cx) {
        return;
    }
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        if workload.is_batch() {
            continue;
        }
        for container in workload.long_running_containers() {
            if container
                .node
                .get("readinessProbe")
                .is_some_and(|p| !p.is_null())
            {
                cx.pass(
                    container.anchor(),
                    format!("{} has a readiness probe", container.label()),
                );
                continue;
            }
            // Without ports nothing routes traffic to the container by its readiness.
            if container
                .node
                .get("ports")
                .and_then(Node::as_seq)
                .is_none_or(<[Node]>::is_empty)
            {
                continue;
            }
            cx.report(
                container.anchor(),
                format!(
                    "{} of `{}` declares ports but has no readiness probe",
                    container.label(),
                    workload.object.label()
                ),
            )
            .help(
                "add a `readinessProbe` that succeeds only when the container can serve requests",
            );
        }
    }
}
