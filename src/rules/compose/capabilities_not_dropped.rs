//! Long-running services that keep Docker's default capability set.
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/capabilities-not-dropped",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/compose/capabilities-not-dropped.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for view in project.long_running() {
        let drops_all = view.get("cap_drop").is_some_and(|d| {
            d.items()
                .filter_map(Node::as_str)
                .any(|c| c.trim().eq_ignore_ascii_case("ALL"))
        });
        if drops_all {
            let added: Vec<&str> = view
                .get("cap_add")
                .map(|a| a.items().filter_map(Node::as_str).collect())
                .unwrap_or_default();
            let back = if added.is_empty() {
                String::new()
            } else {
                format!(" and adds back `{}`", added.join("`, `"))
            };
            let at = view.written("cap_drop").map_or(view.key().span, |n| n.span);
            cx.pass(
                at,
                format!("`{}` drops all capabilities{back}", view.name()),
            );
        } else {
            cx.report(
                view.key().span,
                format!("service `{}` keeps Docker's default capabilities", view.name()),
            )
            .help("add `cap_drop: [ALL]` and list in `cap_add` only the capabilities the service needs");
        }
    }
}
