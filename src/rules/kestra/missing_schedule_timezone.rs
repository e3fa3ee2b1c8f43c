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
            if trigger.is_core("Schedule") && zone_free(trigger) {
                continue;
            }
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

/// Whether a Schedule's cron has no fixed point in the day, week or year: it runs every minute,
/// every few minutes or every (few) hours (`*/5 * * * *`, `0 * * * *`, `15 */2 * * *`,
/// `@hourly`) on every day. Its runs then happen at the same instants whatever the zone, or one
/// interval shifted, and a daylight-saving change only lengthens or shortens one interval; a
/// cron that names an hour, or a day of the week or month (`*/5 * * * 1-5`), starts and stops at
/// a wall-clock boundary that the zone moves.
fn zone_free(trigger: &crate::formats::kestra::Trigger) -> bool {
    let Some(cron) = trigger.get("cron").and_then(Node::as_str) else {
        return false;
    };
    let cron = cron.trim();
    if cron.eq_ignore_ascii_case("@hourly") {
        return true;
    }
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let with_seconds = trigger.get("withSeconds").and_then(Node::as_bool) == Some(true);
    let hour_at = if with_seconds { 2 } else { 1 };
    if fields.len() != hour_at + 4 {
        return false;
    }
    let every = |f: &str| f == "*" || f == "?";
    let stepped = |f: &str| {
        every(f)
            || f.split_once('/').is_some_and(|(base, step)| {
                (every(base) || base == "0") && step.parse::<u32>().is_ok_and(|n| n > 0)
            })
    };
    fields.get(hour_at).is_some_and(|h| stepped(h))
        && fields
            .get(hour_at + 1..)
            .is_some_and(|rest| rest.iter().all(|f| every(f)))
}
