//! Containers whose root file system is writable.
use super::names;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/writable-root-filesystem",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/k8s/writable-root-filesystem.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    // A Kustomize patch is a partial object: what it leaves out comes from its base.
    if manifest.is_patch() {
        return;
    }
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        // Windows pods cannot set the field: the API server rejects it there.
        if workload.pod.path(&["os", "name"]).and_then(Node::as_str) == Some("windows") {
            continue;
        }
        for container in workload.containers() {
            match container.own_security_field("readOnlyRootFilesystem") {
                Some(value) if value.as_bool() == Some(true) => {
                    cx.pass(
                        value.span,
                        format!(
                            "{} has a read-only root file system",
                            names::container(&container)
                        ),
                    );
                }
                Some(value) => {
                    cx.report(
                        value.span,
                        format!("{} has a writable root file system", names::container(&container)),
                    )
                    .help("set `readOnlyRootFilesystem: true` and mount an `emptyDir` where the process writes");
                }
                None => {
                    cx.report(
                        container.anchor(),
                        format!(
                            "{} does not set `readOnlyRootFilesystem: true`",
                            names::container(&container)
                        ),
                    )
                    .help("set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the process writes");
                }
            }
        }
    }
}
