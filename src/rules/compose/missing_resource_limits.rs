//! Long-running services without a memory limit.
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/missing-resource-limits",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/compose/missing-resource-limits.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for view in project.long_running() {
        let limits = view.merged.path(&["deploy", "resources", "limits"]);
        let memory = limits
            .and_then(|l| l.get("memory"))
            .or_else(|| view.get("mem_limit"))
            .and_then(Node::as_str);
        let cpus = limits
            .and_then(|l| l.get("cpus"))
            .or_else(|| view.get("cpus"))
            .and_then(Node::as_str);
        match memory {
            Some(memory) => {
                let cpu = match cpus {
                    Some(c) => format!("CPU to `{c}`"),
                    None => "CPU is not limited".to_string(),
                };
                let at = view
                    .written("mem_limit")
                    .map_or(view.key().span, |n| n.span);
                cx.pass(
                    at,
                    format!("`{}` limits memory to `{memory}`, {cpu}", view.name()),
                );
            }
            None => {
                cx.report(
                    view.key().span,
                    format!("service `{}` has no memory limit", view.name()),
                )
                .help("set `deploy.resources.limits.memory` (or `mem_limit`) from measured use, and `cpus` as well");
            }
        }
    }
}
