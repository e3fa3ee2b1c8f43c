//! Schedule triggers whose cron is read in the server's time zone.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/missing-schedule-timezone",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/missing-schedule-timezone.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        for trigger in &flow.triggers {
            if !(trigger.is_core("Schedule") || trigger.is_core("ScheduleOnDates")) {
                continue;
            }
            let id = trigger.id().unwrap_or("");
            match flow.effective_trigger(trigger, "timezone") {
                Some(zone) => {
                    let name = zone.as_str().unwrap_or("");
                    cx.pass(
                        trigger.anchor(),
                        format!("trigger `{id}` runs in time zone `{name}`"),
                    );
                }
                None => {
                    cx.report(
                        trigger.anchor(),
                        format!("schedule `{id}` has no `timezone`"),
                    )
                    .help("set `timezone` to a region such as `Europe/Paris` or to `Etc/UTC`");
                }
            }
        }
    }
}
