//! Legacy type names and properties that Kestra keeps only as aliases.
use crate::formats::kestra::{Flow, FlowFile, normalize_type};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/deprecated-syntax",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/deprecated-syntax.md"),
    check: Check::Kestra(check),
};

/// Type prefixes Kestra renamed.
const LEGACY_PREFIXES: &[&str] = &[
    "io.kestra.core.tasks.",
    "io.kestra.core.models.triggers.types.",
    "io.kestra.core.models.conditions.types.",
    "io.kestra.plugin.fs.http.",
];

/// Kestra's own test-only tasks still live in this package; they were never renamed.
const KESTRA_TEST_TASKS: &str = "io.kestra.core.tasks.test.";

/// Legacy types whose successor is not the mechanical rename: the old core script tasks moved
/// to the script plugins under their old names and were replaced by `Commands` and `Script`
/// tasks with other properties; the `Flow` task became `Subflow`.
const SUCCESSORS: &[(&str, &str, Successor)] = &[
    (
        "io.kestra.core.tasks.scripts.Bash",
        "io.kestra.plugin.scripts.shell",
        Successor::Script,
    ),
    (
        "io.kestra.core.tasks.scripts.Python",
        "io.kestra.plugin.scripts.python",
        Successor::Script,
    ),
    (
        "io.kestra.core.tasks.scripts.Node",
        "io.kestra.plugin.scripts.node",
        Successor::Script,
    ),
    (
        "io.kestra.core.tasks.flows.Flow",
        "io.kestra.plugin.core.flow.Subflow",
        Successor::Rename,
    ),
];

#[derive(Clone, Copy)]
enum Successor {
    /// The entry is a package with `Commands` and `Script` tasks.
    Script,
    /// The entry is the new type name.
    Rename,
}

/// The help for a legacy type: its successor from `SUCCESSORS`, else the renamed type.
fn replacement_help(kind: &str) -> String {
    if let Some((_, to, how)) = SUCCESSORS.iter().find(|(from, _, _)| *from == kind) {
        return match how {
            Successor::Script => format!(
                "replace it with `{to}.Commands` (or `{to}.Script` for an inline script); their properties differ from the old task's"
            ),
            Successor::Rename => format!("use `{to}`"),
        };
    }
    let mut current = normalize_type(kind);
    // Conditions also lost their `Condition` suffix (`ExecutionFlowCondition` →
    // `ExecutionFlow`).
    if current.starts_with("io.kestra.plugin.core.condition.")
        && let Some(stripped) = current.strip_suffix("Condition")
    {
        current = stripped.to_string();
    }
    if current == kind {
        "use the current `io.kestra.plugin.*` name of this plugin".to_string()
    } else {
        format!("use `{current}`")
    }
}

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        walk(&flow.root, None, cx);
        top_level(flow, cx);
        for task in &flow.tasks {
            if task.kind == "io.kestra.plugin.core.flow.Template" {
                cx.report(
                    task.type_span(),
                    format!("task `{}` uses a template", task.id().unwrap_or("?")),
                )
                .help("turn the template into a flow and call it with a `Subflow` task");
            }
            if task.kind.starts_with("io.kestra.plugin.scripts.")
                || task.kind.starts_with("io.kestra.plugin.core.scripts.")
            {
                for (key, replacement) in [("runner", "taskRunner"), ("docker", "containerImage")] {
                    if let Some(entry) = task.node.entry(key) {
                        cx.report(
                            entry.key.span,
                            format!(
                                "script task `{}` uses the deprecated `{key}` property",
                                task.id().unwrap_or("?")
                            ),
                        )
                        .help(format!("use `{replacement}` instead"));
                    }
                }
            }
        }
        for trigger in &flow.triggers {
            if trigger.is_core("Schedule")
                && let Some(entry) = trigger.node.entry("backfill")
            {
                cx.report(
                    entry.key.span,
                    format!(
                        "the Schedule trigger `{}` uses the deprecated `backfill` property",
                        trigger.id().unwrap_or("?")
                    ),
                )
                .help("remove it and start backfills from the UI or the API");
            }
        }
    }
}

fn top_level(flow: &Flow, cx: &mut Ctx) {
    if let Some(entry) = flow.root.entry("taskDefaults") {
        cx.report(
            entry.key.span,
            "`taskDefaults` is the deprecated name of `pluginDefaults`",
        )
        .help("rename it to `pluginDefaults`");
    }
    if let Some(entry) = flow.root.entry("listeners") {
        cx.report(entry.key.span, "`listeners` are deprecated")
            .help(
                "move the tasks to `errors` or `afterExecution`, or to a flow with a Flow trigger",
            );
    }
}

/// Every `type: <legacy name>` and every retry's `maxAttempt`, wherever written.
fn walk(node: &Node, parent_key: Option<&str>, cx: &mut Ctx) {
    if let Some(entries) = node.as_map() {
        for entry in entries {
            let Some(key) = entry.key.as_str() else {
                continue;
            };
            if key == "type"
                && let Some(kind) = entry.value.as_str()
                && !kind.trim().starts_with(KESTRA_TEST_TASKS)
                && let Some(prefix) = LEGACY_PREFIXES
                    .iter()
                    .find(|p| kind.trim().starts_with(**p))
            {
                cx.report(
                    entry.value.span,
                    format!("`{}` is a legacy type name (`{prefix}*`)", kind.trim()),
                )
                .help(replacement_help(kind.trim()));
            }
            if key == "maxAttempt" && parent_key == Some("retry") {
                cx.report(
                    entry.key.span,
                    "`maxAttempt` is the pre-0.24 name of `maxAttempts`",
                )
                .help("rename it to `maxAttempts`");
            }
            walk(&entry.value, Some(key), cx);
        }
    } else {
        for item in node.items() {
            walk(item, parent_key, cx);
        }
    }
}
