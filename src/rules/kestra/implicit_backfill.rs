//! Schedules that leave the catch-up of missed runs to the server default.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/implicit-backfill",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/kestra/implicit-backfill.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        for trigger in flow.triggers.iter().filter(|t| t.is_core("Schedule")) {
            let id = trigger.id().unwrap_or("");
            let Some(recover) = flow.effective_trigger(trigger, "recoverMissedSchedules") else {
                cx.report(
                    trigger.anchor(),
                    format!("schedule `{id}` does not say which missed runs to recover"),
                )
                .help("set `recoverMissedSchedules` to `LAST` or `NONE` (or `ALL` when every slot must run)");
                continue;
            };
            let mut message = format!(
                "schedule `{id}` recovers missed runs: `{}`",
                recover.as_str().unwrap_or("")
            );
            if let Some(delay) = flow
                .effective_trigger(trigger, "lateMaximumDelay")
                .and_then(Node::as_str)
            {
                message.push_str(&format!(", late runs skipped after `{delay}`"));
            }
            cx.pass(trigger.anchor(), message);
        }
    }
}
