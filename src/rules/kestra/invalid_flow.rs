//! What Kestra's flow validation rejects and can be known without a server or plugins.
use super::ambiguous_timezone::timezones;
use crate::formats::kestra::cron::{cron_problem, duration_millis, is_known_zone};
use crate::formats::kestra::{Flow, FlowFile};
use crate::rules::prelude::*;
use std::collections::HashMap;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/invalid-flow",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/kestra/invalid-flow.md"),
    check: Check::Kestra(check),
};

/// Properties Kestra reads as `java.time.Duration`.
const DURATIONS: &[&str] = &[
    "timeout",
    "interval",
    "minInterval",
    "maxInterval",
    "maxDuration",
    "pauseDuration",
    "lateMaximumDelay",
];

/// The lists of a flow or a flowable task that hold tasks.
const TASK_LISTS: &[&str] = &[
    "tasks",
    "errors",
    "finally",
    "afterExecution",
    "then",
    "else",
    "default",
];

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        identity(flow, cx);
        ids(flow, cx);
        inputs(flow, cx);
        match flow.root.get("tasks") {
            Some(tasks) if tasks.as_seq().is_some_and(<[Node]>::is_empty) || tasks.is_null() => {
                cx.report(tasks.span, "the flow has no tasks")
                    .help("add at least one task");
            }
            _ => {}
        }
        for key in ["tasks", "errors", "finally", "afterExecution"] {
            if let Some(list) = flow.root.get(key) {
                untyped(list, cx);
            }
        }
        schedules(flow, cx);
        for node in timezones(&flow.root) {
            if let Some(zone) = node.as_str().map(str::trim)
                && !zone.contains("{{")
                && !is_known_zone(zone)
            {
                cx.report(
                    node.span,
                    format!("timezone `{zone}` is not a zone Java knows"),
                )
                .help("use an IANA zone id such as `Europe/Paris`, or `UTC`");
            }
        }
        durations(flow, cx);
    }
}

fn identity(flow: &Flow, cx: &mut Ctx) {
    if let Some(node) = flow.root.get("id")
        && let Some(id) = node.as_str()
    {
        let valid = id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !valid {
            cx.report(
                node.span,
                format!("flow id `{id}` does not match `^[a-zA-Z0-9][a-zA-Z0-9._-]*$`"),
            )
            .help("use letters, digits, `.`, `_` and `-`, starting with a letter or digit");
        } else if id.chars().count() > 100 {
            cx.report(node.span, "the flow id is longer than 100 characters")
                .help("shorten the flow id");
        }
    }
    if let Some(node) = flow.root.get("namespace")
        && let Some(namespace) = node.as_str()
    {
        let valid = namespace
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && namespace.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        if !valid {
            cx.report(
                node.span,
                format!("namespace `{namespace}` does not match `^[a-z0-9][a-z0-9._-]*$`"),
            )
            .help(
                "use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit",
            );
        } else if namespace.chars().count() > 150 {
            cx.report(node.span, "the namespace is longer than 150 characters")
                .help("shorten the namespace");
        }
    }
}

/// Task and trigger ids share one set.
fn ids(flow: &Flow, cx: &mut Ctx) {
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let tasks = flow
        .tasks
        .iter()
        .filter_map(|t| Some((t.id()?, t.anchor(), "task")));
    let triggers = flow
        .triggers
        .iter()
        .filter_map(|t| Some((t.id()?, t.anchor(), "trigger")));
    for (id, span, what) in tasks.chain(triggers) {
        if seen.insert(id, ()).is_some() {
            cx.report(
                span,
                format!("{what} id `{id}` is already used in this flow"),
            )
            .help("give every task and trigger of the flow its own id");
        }
    }
}

/// Input ids (`name` before Kestra 0.15) must be unique.
fn inputs(flow: &Flow, cx: &mut Ctx) {
    let mut seen: Vec<&str> = Vec::new();
    for input in flow.inputs() {
        let Some(node) = input.get("id").or_else(|| input.get("name")) else {
            continue;
        };
        let Some(id) = node.as_str() else {
            continue;
        };
        if seen.contains(&id) {
            cx.report(node.span, format!("input `{id}` is declared twice"))
                .help("give every input its own id");
        } else {
            seen.push(id);
        }
    }
}

/// Task-shaped items (with an `id`) that have no `type`, at any depth.
fn untyped(list: &Node, cx: &mut Ctx) {
    let items: Vec<&Node> = if list.as_map().is_some() {
        vec![list]
    } else {
        list.items().collect()
    };
    for item in items {
        if item.as_map().is_none() {
            continue;
        }
        match item.get("type") {
            None => {
                if let Some(id) = item.get("id") {
                    cx.report(
                        id.span,
                        format!("task `{}` has no `type`", id.as_str().unwrap_or("?")),
                    )
                    .help("set the task's plugin `type`");
                }
            }
            Some(_) => {
                for (key, _, value) in item.pairs() {
                    if TASK_LISTS.contains(&key) {
                        untyped(value, cx);
                    } else if key == "cases" {
                        for (_, _, case) in value.pairs() {
                            untyped(case, cx);
                        }
                    }
                }
            }
        }
    }
}

fn schedules(flow: &Flow, cx: &mut Ctx) {
    for trigger in flow.triggers.iter().filter(|t| t.is_core("Schedule")) {
        let Some(node) = trigger.get("cron") else {
            continue;
        };
        let Some(cron) = node.as_str() else {
            continue;
        };
        if cron.contains("{{") {
            continue;
        }
        let with_seconds = trigger.get("withSeconds").and_then(Node::as_bool) == Some(true);
        if let Some(problem) = cron_problem(cron, with_seconds) {
            cx.report(
                node.span,
                format!("cron `{}` of trigger `{}` {problem}", cron.trim(), trigger.id().unwrap_or("?")),
            )
            .help("write a five-field Unix cron (six with `withSeconds: true`) or a nickname such as `@daily`");
        }
    }
}

fn durations(flow: &Flow, cx: &mut Ctx) {
    let mut nodes: Vec<&Node> = Vec::new();
    let mut owners: Vec<&Node> = flow.tasks.iter().map(|t| &t.node).collect();
    owners.extend(flow.triggers.iter().map(|t| &t.node));
    owners.extend(flow.plugin_defaults.iter().map(|d| &d.values));
    owners.push(&flow.root);
    for owner in owners {
        let retry = owner.get("retry");
        for key in DURATIONS {
            // On a flow only the retry holds durations; elsewhere a task's own `timeout`,
            // `pauseDuration` or trigger delay too.
            if !std::ptr::eq(owner, &flow.root) {
                nodes.extend(owner.get(key));
            }
            nodes.extend(retry.and_then(|r| r.get(key)));
        }
    }
    for node in nodes {
        let Some(text) = node.as_str().map(str::trim) else {
            continue;
        };
        if text.contains("{{") || text.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if duration_millis(text).is_none() {
            cx.report(
                node.span,
                format!("duration `{text}` is not an ISO-8601 duration Kestra reads"),
            )
            .help("write it as `PT10M`, `PT30S`, `P1D` (no week, month or year units)");
        }
    }
}
