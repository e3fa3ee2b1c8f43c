//! Flows that do real work and have no way to react when it fails.
use crate::formats::kestra::{FailureWatch, Section};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/missing-error-handler",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/missing-error-handler.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        let work: Vec<&Task> = flow
            .tasks_of(&[TaskClass::Network, TaskClass::Compute])
            .filter(|t| t.section == Section::Tasks)
            .collect();
        // An alerting flow (a Flow trigger on failures, not on successes) is itself the error
        // path of others: asking it for one more would never end.
        if work.is_empty()
            || FailureWatch::of(flow)
                .iter()
                .any(|w| w.failed && !w.success)
        {
            continue;
        }
        let id = flow.id().unwrap_or("");
        let namespace = flow.namespace().unwrap_or("");
        let path = if flow.has_list("errors") {
            Some("flow-level `errors`")
        } else if flow.has_list("afterExecution") {
            Some("`afterExecution`")
        } else if work.iter().all(|t| wrapped(flow, t)) {
            Some("`errors` of the enclosing flowable tasks")
        } else if cx
            .run()
            .kestra
            .failure_watches
            .iter()
            .any(|w| w.failed && w.covers(namespace, id))
        {
            Some("a Flow trigger watching its failures")
        } else {
            None
        };
        match path {
            Some(path) => {
                let notifies = flow.tasks.iter().any(|t| {
                    t.section != Section::Tasks
                        && (t.kind.starts_with("io.kestra.plugin.notifications.")
                            || t.kind.starts_with("io.kestra.plugin.slack."))
                });
                let message = if notifies {
                    format!("flow `{id}` reacts to failures through {path} and notifies someone")
                } else {
                    format!("flow `{id}` reacts to failures through {path}")
                };
                cx.pass(flow.anchor(), message);
            }
            None => {
                cx.report(
                    flow.anchor(),
                    format!("flow `{id}` has no error handler: nobody hears when it fails"),
                )
                .help("add flow-level `errors` (for example a notification task), or a flow with a Flow trigger on FAILED executions of this namespace");
            }
        }
    }
}

/// Whether a task sits (through `tasks`, `then`, `cases`, …) inside a flowable task that has
/// its own non-empty `errors`.
fn wrapped(flow: &Flow, task: &Task) -> bool {
    let mut via = task.via.as_str();
    for &index in &task.parents {
        let Some(parent) = flow.tasks.get(index) else {
            return false;
        };
        let handles = !matches!(via, "errors" | "finally" | "afterExecution")
            && parent
                .get("errors")
                .is_some_and(|e| e.items().next().is_some());
        if handles {
            return true;
        }
        via = parent.via.as_str();
    }
    false
}
