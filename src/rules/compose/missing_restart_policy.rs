//! Long-running services that are not restarted when they exit or the host reboots.
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/missing-restart-policy",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/compose/missing-restart-policy.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for view in project.long_running() {
        let restart = view.get("restart").and_then(Node::as_str);
        let policy = view.merged.path(&["deploy", "restart_policy"]);
        let at = view.written("restart").map_or(view.key().span, |n| n.span);
        match (restart, policy) {
            (Some(restart), _) => {
                cx.pass(at, format!("`{}` restarts with `{restart}`", view.name()));
            }
            (None, Some(policy)) => {
                let condition = policy
                    .get("condition")
                    .and_then(Node::as_str)
                    .unwrap_or("any");
                cx.pass(
                    at,
                    format!("`{}` restarts on condition `{condition}`", view.name()),
                );
            }
            (None, None) => {
                cx.report(
                    view.key().span,
                    format!("service `{}` has no restart policy", view.name()),
                )
                .help("add `restart: unless-stopped` (or `on-failure`) so the service comes back after a crash or a reboot");
            }
        }
    }
}
