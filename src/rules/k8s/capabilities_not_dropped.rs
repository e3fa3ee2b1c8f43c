//! Containers that keep the runtime's default Linux capabilities.
use super::names;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/capabilities-not-dropped",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/k8s/capabilities-not-dropped.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    if manifest.is_patch() {
        return;
    }
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        // Windows containers have no Linux capabilities; the API rejects the field for them.
        if workload.is_windows() {
            continue;
        }
        for container in workload.containers() {
            let drop = container
                .node
                .path(&["securityContext", "capabilities", "drop"]);
            let drops_all = drop
                .into_iter()
                .flat_map(Node::items)
                .filter_map(Node::as_str)
                .any(|c| c.trim().eq_ignore_ascii_case("all"));
            if drops_all {
                cx.pass(
                    container.anchor(),
                    format!("{} drops all capabilities", names::container(&container)),
                );
                continue;
            }
            let span = drop.map_or(container.anchor(), |d| d.span);
            cx.report(
                span,
                format!("{} does not drop all capabilities", names::container(&container)),
            )
            .help("set `securityContext.capabilities.drop: [ALL]` and add back only what the process needs");
        }
    }
}
