//! Containers that nothing stops from running as root: no `runAsNonRoot: true` and no
//! `runAsUser`.
use super::names;
use crate::formats::k8s::ContainerSet;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/missing-run-as-non-root",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/missing-run-as-non-root.md"),
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
            .filter(|c| matches!(c.set, ContainerSet::Containers | ContainerSet::Sidecar))
        {
            let user = container.security_field("runAsUser");
            let non_root = container
                .security_field("runAsNonRoot")
                .and_then(Node::as_bool);
            match user.map(Node::as_i64) {
                // UID 0 is `k8s/root-user`'s finding.
                Some(Some(0)) => continue,
                Some(Some(uid)) => {
                    cx.pass(
                        container.anchor(),
                        format!("{} runs as UID `{uid}`", names::container(&container)),
                    );
                    continue;
                }
                // A UID that is not a number: the API server rejects it, nothing to judge.
                Some(None) => continue,
                None => {}
            }
            if non_root == Some(true) {
                cx.pass(
                    container.anchor(),
                    format!("{} sets `runAsNonRoot: true`", names::container(&container)),
                );
                continue;
            }
            let why = if non_root == Some(false) {
                "sets `runAsNonRoot: false` and no `runAsUser`"
            } else {
                "sets neither `runAsNonRoot: true` nor `runAsUser`"
            };
            cx.report(
                container.anchor(),
                format!("{} {why}, so it may run as root", names::container(&container)),
            )
            .help("set `runAsNonRoot: true` (and a non-zero `runAsUser`) in the pod or container `securityContext`");
        }
    }
}
