//! Failures a flow allows that nothing reacts to.
use crate::formats::kestra::{Flow, FlowFile};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/unobserved-allow-failure",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/unobserved-allow-failure.md"),
    check: Check::Kestra(check),
};

const ALLOW_FAILURE: &str = "io.kestra.plugin.core.flow.AllowFailure";

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        if flow.has_list("afterExecution") || watched(flow, cx) {
            continue;
        }
        for task in &flow.tasks {
            let id = task.id().unwrap_or("?");
            for key in ["allowFailure", "allowWarning"] {
                if let Some(entry) = task.node.entry(key)
                    && entry.value.as_bool() == Some(true)
                {
                    cx.report(
                        entry.key.span,
                        format!("task `{id}` sets `{key}: true` but no `afterExecution` task or alerting flow observes the outcome"),
                    )
                    .help("add `afterExecution` tasks that report WARNING executions, or watch the flow from an alerting flow");
                }
            }
            if task.kind == ALLOW_FAILURE
                && task
                    .get("errors")
                    .is_none_or(|e| e.items().next().is_none())
            {
                cx.report(
                    task.anchor(),
                    format!("`AllowFailure` task `{id}` swallows failures that nothing observes"),
                )
                .help("give the task an `errors` branch that notifies someone, or add `afterExecution` tasks");
            }
        }
    }
}

/// A flow of the run watches this flow's WARNING executions (how an allowed failure ends)
/// through a Flow trigger.
fn watched(flow: &Flow, cx: &Ctx) -> bool {
    let (Some(namespace), Some(id)) = (flow.namespace(), flow.id()) else {
        return false;
    };
    cx.run()
        .kestra
        .failure_watches
        .iter()
        .any(|watch| watch.warning && watch.covers(namespace, id))
}
