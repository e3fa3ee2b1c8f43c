//! Network tasks without a retry: one dropped connection fails the execution.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/missing-retry",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/missing-retry.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        let flow_retry = flow.get("retry").filter(|n| !n.is_null());
        for task in flow.tasks_of(&[TaskClass::Network]) {
            let Some(retry) = flow.effective(task, "retry").or(flow_retry) else {
                cx.report(
                    task.anchor(),
                    format!(
                        "task `{}` (`{}`) calls a remote system without a retry",
                        task.id().unwrap_or(""),
                        task.short_kind()
                    ),
                )
                .help("add a `retry` (for example `type: exponential`, `interval: PT10S`, `maxAttempts: 3`) on the task, in `pluginDefaults` or on the flow");
                continue;
            };
            // `maxAttempt` is the alias Kestra keeps for flows written before 0.24.
            if ["maxAttempts", "maxAttempt", "maxDuration"]
                .iter()
                .any(|k| retry.get(k).is_some())
            {
                cx.pass(
                    task.anchor(),
                    format!("task `{}` retries", task.id().unwrap_or("")),
                );
            }
        }
    }
}
