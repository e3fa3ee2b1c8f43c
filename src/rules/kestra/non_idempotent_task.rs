//! Tasks that are likely to repeat their effect when retried, replayed or backfilled.
use crate::formats::kestra::{Flow, FlowFile, Section, TaskClass, pebble};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/non-idempotent-task",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/kestra/non-idempotent-task.md"),
    check: Check::Kestra(check),
};

const CLOCK: &str = "a scheduled flow uses the execution's start time but never `trigger.date`, so backfills and replays process the wrong slot";
const CLOCK_HELP: &str = "use `{{ trigger.date }}` for the logical date of the run";
const SQL_HELP: &str =
    "guard the statement (`ON CONFLICT`, `MERGE`, `IF NOT EXISTS`) so a re-run is harmless";

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        let clock = scheduled_clock(flow);
        for task in &flow.tasks {
            let id = task.id().unwrap_or("?");
            if let Some(node) = task.get("sql")
                && let Some(sql) = node.as_str()
                && let Some(problem) = sql_problem(sql)
            {
                // The clock may be read in this very SQL: a rule keeps one finding per place,
                // so that one names both problems.
                if clock.is_some_and(|c| c.span == node.span) {
                    cx.report(
                        node.span,
                        format!("the SQL of task `{id}` {problem}; {CLOCK}"),
                    )
                    .help(format!("{SQL_HELP}, and {CLOCK_HELP}"));
                } else {
                    cx.report(node.span, format!("the SQL of task `{id}` {problem}"))
                        .help(SQL_HELP);
                }
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
        if let Some(node) = clock {
            cx.report(node.span, CLOCK).help(CLOCK_HELP);
        }
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

/// Where a scheduled flow reads the wall clock (`execution.startDate`, `now()`) in a value that
/// selects data, but never the scheduled slot (`trigger.date`).
fn scheduled_clock(flow: &Flow) -> Option<&Node> {
    if !flow.triggers.iter().any(|t| t.is_core("Schedule")) {
        return None;
    }
    let mut everything = Vec::new();
    for key in [
        "tasks",
        "errors",
        "finally",
        "afterExecution",
        "variables",
        "outputs",
    ] {
        if let Some(node) = flow.root.get(key) {
            everything.extend(node.strings());
        }
    }
    if everything.iter().filter_map(|n| n.as_str()).any(|s| {
        s.contains("trigger.date") || s.contains("schedule.date") || s.contains("trigger.next")
    }) {
        return None;
    }
    let mut candidates: Vec<(&str, &Node)> = Vec::new();
    for task in &flow.tasks {
        // Error, finally and afterExecution tasks report on the run; logs and notifications
        // only tell people about it.
        if task.section != Section::Tasks
            || matches!(task.class, TaskClass::Flowable | TaskClass::Exempt)
            || is_notification(&task.kind)
        {
            continue;
        }
        keyed_strings("", &task.node, &mut candidates);
    }
    for key in ["variables", "outputs"] {
        if let Some(node) = flow.root.get(key) {
            keyed_strings(key, node, &mut candidates);
        }
    }
    candidates
        .into_iter()
        .find(|(key, node)| !is_message_or_name(key) && node.as_str().is_some_and(reads_clock))
        .map(|(_, node)| node)
}

/// Notification plugins: what they send is a message about the run.
fn is_notification(kind: &str) -> bool {
    kind.starts_with("io.kestra.plugin.notifications.")
        || kind.starts_with("io.kestra.plugin.slack.")
}

/// Every string under `node` with the mapping key nearest above it (`parent` at the top).
fn keyed_strings<'a>(parent: &'a str, node: &'a Node, out: &mut Vec<(&'a str, &'a Node)>) {
    if node.as_map().is_some() {
        for (key, _, value) in node.pairs() {
            keyed_strings(key, value, out);
        }
    } else if node.as_seq().is_some() {
        for item in node.items() {
            keyed_strings(parent, item, out);
        }
    } else if node.as_str().is_some() {
        out.push((parent, node));
    }
}

/// Keys whose value is a text for people (a log line, an alert, a commit message) or a
/// generated identifier (a run id, a job name): a timestamp there selects no data.
fn is_message_or_name(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    let text = [
        "message",
        "text",
        "subject",
        "title",
        "description",
        "comment",
        "commit",
        "summary",
        "label",
        "content",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let identifier = lower == "id"
        || key.ends_with("Id")
        || key.ends_with("ID")
        || lower.ends_with("_id")
        || ((lower == "name" || key.ends_with("Name") || lower.ends_with("_name"))
            && !["file", "path", "table", "bucket", "object", "blob", "key"]
                .iter()
                .any(|w| lower.contains(w)));
    text || identifier
}

/// Whether a value reads the wall clock inside a Pebble expression (`{{ now() }}`,
/// `{{ execution.startDate }}`), on a line that is not itself a message (`echo`, `print`, a
/// log call, a commit). Script code such as Python's `datetime.utcnow()` outside an expression
/// is the script's business and is not read.
fn reads_clock(text: &str) -> bool {
    pebble::expressions(text).into_iter().any(|range| {
        let Some(expr) = text.get(range.clone()) else {
            return false;
        };
        let clock = expr.contains("execution.startDate") || calls_now(expr);
        if !clock {
            return false;
        }
        let line_start = text
            .get(..range.start)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = text
            .get(range.end..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| range.end + i);
        let line = text
            .get(line_start..line_end)
            .unwrap_or("")
            .to_ascii_lowercase();
        !["echo ", "print", "log", "commit", "message", "printf"]
            .iter()
            .any(|w| line.contains(w))
    })
}

/// A call of Pebble's `now()` function (not `utcnow()` or `datetime.now()`).
fn calls_now(expr: &str) -> bool {
    expr.match_indices("now(").any(|(at, _)| {
        expr.get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
    })
}
