//! Long-running containers without a liveness probe.
use super::names;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/missing-liveness-probe",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/k8s/missing-liveness-probe.md"),
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
                .get("livenessProbe")
                .is_some_and(|p| !p.is_null())
            {
                cx.pass(
                    container.anchor(),
                    format!("{} has a liveness probe", names::container(&container)),
                );
            } else {
                cx.report(
                    container.anchor(),
                    format!("{} has no liveness probe", names::container(&container)),
                )
                .help("add a `livenessProbe` that fails only when a restart would help, such as a hung process");
            }
        }
    }
}
