//! Containers that do not set `allowPrivilegeEscalation: false`.
use super::names;
use crate::rules::prelude::*;
use crate::rules::shared::capabilities;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/privilege-escalation-allowed",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/privilege-escalation-allowed.md"),
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
            if implies_escalation(&container) {
                continue;
            }
            match container.own_security_field("allowPrivilegeEscalation") {
                Some(value) if value.as_bool() == Some(false) => {
                    cx.pass(
                        value.span,
                        format!("{} cannot gain privileges", names::container(&container)),
                    );
                }
                Some(value) => {
                    cx.report(
                        value.span,
                        format!(
                            "{} allows privilege escalation",
                            names::container(&container)
                        ),
                    )
                    .help("set `allowPrivilegeEscalation: false`");
                }
                None => {
                    cx.report(
                        container.anchor(),
                        format!(
                            "{} does not set `allowPrivilegeEscalation: false`, so setuid binaries can gain privileges",
                            names::container(&container)
                        ),
                    )
                    .help("set `securityContext.allowPrivilegeEscalation: false` on the container");
                }
            }
        }
    }
}

/// Privileged containers and containers adding `SYS_ADMIN` always allow escalation (the API
/// server refuses `false` beside them); `k8s/privileged-container` and
/// `k8s/dangerous-capability` report them.
fn implies_escalation(container: &Container) -> bool {
    container
        .own_security_field("privileged")
        .and_then(Node::as_bool)
        == Some(true)
        || container
            .own_security_field("capabilities")
            .and_then(|c| c.get("add"))
            .into_iter()
            .flat_map(Node::items)
            .filter_map(Node::as_str)
            .any(|c| capabilities::canonical(c) == "SYS_ADMIN")
}
