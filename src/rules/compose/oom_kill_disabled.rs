//! Services that switch the OOM killer off without a memory limit.
use super::values::{compose_bool, is_zero_size};
use crate::formats::compose::Env;
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/oom-kill-disabled",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/compose/oom-kill-disabled.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for service in &project.services {
        // Reported where it is written; a limit may come from `extends` or the override file.
        let Some(flag) = service.written("oom_kill_disable") else {
            continue;
        };
        if compose_bool(flag, project.env) != Some(true)
            || has_memory_limit(&service.merged, project.env)
        {
            continue;
        }
        cx.report(
            flag.span,
            format!(
                "service `{}` disables the OOM killer without a memory limit",
                service.name()
            ),
        )
        .help("set `mem_limit` or `deploy.resources.limits.memory`, or remove `oom_kill_disable`");
    }
}

/// A non-zero `mem_limit` or `deploy.resources.limits.memory` (Docker reads zero as no limit);
/// a value that stays unresolved after interpolation is given the benefit of the doubt.
fn has_memory_limit(service: &Node, env: &Env) -> bool {
    [
        service.get("mem_limit"),
        service.path(&["deploy", "resources", "limits", "memory"]),
    ]
    .into_iter()
    .flatten()
    .filter_map(Node::as_str)
    .any(|v| !is_zero_size(&env.interpolate(v)))
}
