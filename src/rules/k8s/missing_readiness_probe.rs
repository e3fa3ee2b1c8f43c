//! Long-running containers that serve ports without a readiness probe.
use super::names;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/missing-readiness-probe",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/missing-readiness-probe.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    if manifest.is_patch() {
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
                    format!("{} has a readiness probe", names::container(&container)),
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
                    "{} declares ports but has no readiness probe",
                    names::container(&container)
                ),
            )
            .help(
                "add a `readinessProbe` that succeeds only when the container can serve requests",
            );
        }
    }
}
