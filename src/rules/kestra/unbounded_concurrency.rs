//! Event-triggered flows running compute tasks without a concurrency limit.
use crate::formats::kestra::{FlowFile, TaskClass};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/unbounded-concurrency",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/kestra/unbounded-concurrency.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        if let Some(limit) = flow.concurrency().and_then(|c| c.get("limit")) {
            if !limit.is_null() {
                let shown = limit.as_str().unwrap_or("?");
                cx.pass(
                    limit.span,
                    format!("concurrent executions are limited to `{shown}`"),
                );
            }
            continue;
        }
        let starters: Vec<String> = flow
            .triggers
            .iter()
            .filter(|t| {
                t.is_core("Webhook")
                    || t.is_core("Flow")
                    || (t.is_core("Schedule")
                        && t.get("allowConcurrent").and_then(Node::as_bool) == Some(true))
            })
            .map(|t| format!("`{}`", t.id().unwrap_or("?")))
            .collect();
        if starters.is_empty() {
            continue;
        }
        let compute: Vec<String> = flow
            .tasks
            .iter()
            .filter(|t| t.class == TaskClass::Compute)
            .map(|t| format!("`{}`", t.id().unwrap_or("?")))
            .collect();
        if compute.is_empty() {
            continue;
        }
        cx.report(
            flow.anchor(),
            format!(
                "{} {} can start overlapping executions of compute tasks {} without a concurrency limit",
                if starters.len() == 1 { "trigger" } else { "triggers" },
                starters.join(", "),
                compute.join(", ")
            ),
        )
        .help("set `concurrency.limit` (and a `behavior`) that the workers can take");
    }
}
