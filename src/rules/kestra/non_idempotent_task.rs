//! Tasks that are likely to repeat their effect when retried, replayed or backfilled.
use crate::formats::kestra::{Flow, FlowFile, TaskClass};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/non-idempotent-task",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/kestra/non-idempotent-task.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        for task in &flow.tasks {
            let id = task.id().unwrap_or("?");
            if let Some(node) = task.get("sql")
                && let Some(sql) = node.as_str()
                && let Some(problem) = sql_problem(sql)
            {
                cx.report(node.span, format!("the SQL of task `{id}` {problem}"))
                    .help("guard the statement (`ON CONFLICT`, `MERGE`, `IF NOT EXISTS`) so a re-run is harmless");
            }
            if task.class == TaskClass::Compute {
                for key in ["commands", "beforeCommands", "script"] {
                    let Some(node) = task.get(key) else {
                        continue;
                    };
                    for line in node.strings() {
                        if let Some(path) = line.as_str().and_then(outside_append) {
                            cx.report(
                                line.span,
                                format!("task `{id}` appends to `{path}` outside its working directory"),
                            )
                            .help("write to the working directory, or make the write replace instead of append");
                        }
                    }
                }
            }
        }
        scheduled_clock(flow, cx);
    }
}

/// The first SQL problem: an unguarded `INSERT` or a `CREATE TABLE|INDEX` without
/// `IF NOT EXISTS`.
fn sql_problem(sql: &str) -> Option<&'static str> {
    let upper = sql.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let has = |pair: &[&str]| words.windows(pair.len()).any(|w| w == pair);
    if words.contains(&"INSERT")
        && !(has(&["ON", "CONFLICT"])
            || words.contains(&"MERGE")
            || words.contains(&"UPSERT")
            || has(&["INSERT", "IGNORE"])
            || has(&["REPLACE", "INTO"])
            || has(&["ON", "DUPLICATE", "KEY"])
            || has(&["WHERE", "NOT", "EXISTS"])
            || has(&["INSERT", "OVERWRITE"])
            || words.contains(&"DELETE")
            || words.contains(&"TRUNCATE"))
    {
        return Some("inserts rows without a conflict guard, so a re-run duplicates them");
    }
    for (at, pair) in words.windows(2).enumerate() {
        if let [first, second] = pair
            && *first == "CREATE"
            && matches!(*second, "TABLE" | "INDEX" | "UNIQUE")
        {
            let tail = words.get(at + 2..(at + 6).min(words.len())).unwrap_or(&[]);
            let guarded = tail.windows(3).any(|w| w == ["IF", "NOT", "EXISTS"]);
            if !guarded {
                return Some("creates a table or index without `IF NOT EXISTS`, so a re-run fails");
            }
        }
    }
    None
}

/// The target of a `>>` append to an absolute path outside the working directory.
fn outside_append(line: &str) -> Option<&str> {
    let mut rest = line;
    while let Some(at) = rest.find(">>") {
        let target = rest.get(at + 2..)?.trim_start();
        let end = target
            .find(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|')
            .unwrap_or(target.len());
        let path = target.get(..end)?.trim_matches(['"', '\'']);
        if path.starts_with('/') && !path.starts_with("/dev/") && !path.starts_with("/proc/self/") {
            return Some(path);
        }
        rest = target;
    }
    None
}

/// A scheduled flow reading the wall clock (`execution.startDate`, `now()`) but never the
/// scheduled slot (`trigger.date`).
fn scheduled_clock(flow: &Flow, cx: &mut Ctx) {
    if !flow.triggers.iter().any(|t| t.is_core("Schedule")) {
        return;
    }
    let mut strings = Vec::new();
    for key in [
        "tasks",
        "errors",
        "finally",
        "afterExecution",
        "variables",
        "outputs",
    ] {
        if let Some(node) = flow.root.get(key) {
            strings.extend(node.strings());
        }
    }
    if strings
        .iter()
        .filter_map(|n| n.as_str())
        .any(|s| s.contains("trigger.date"))
    {
        return;
    }
    let clock = strings.iter().find(|n| {
        n.as_str().is_some_and(|s| {
            s.contains("{{") && (s.contains("execution.startDate") || s.contains("now()"))
        })
    });
    if let Some(node) = clock {
        cx.report(
            node.span,
            "a scheduled flow uses the execution's start time but never `trigger.date`, so backfills and replays process the wrong slot",
        )
        .help("use `{{ trigger.date }}` for the logical date of the run");
    }
}
