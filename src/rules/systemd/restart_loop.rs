//! Services that restart without a start rate limit and without a real delay.
use crate::formats::systemd::{Entry, TimeSpan, parse_timespan};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/restart-loop",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/systemd/restart-loop.md"),
    check: Check::Systemd(check),
};

const HELP: &str = "keep the start rate limit (drop the `0`, or set `StartLimitIntervalSec=` and `StartLimitBurst=` in `[Unit]`), or space the restarts with `RestartSec=` of a few seconds";

/// systemd's restart delay when `RestartSec=` is unset.
const DEFAULT_DELAY: TimeSpan = TimeSpan::Micros(100_000);

/// Restarts closer than this, without a rate limit, are a tight loop.
const TIGHT: TimeSpan = TimeSpan::seconds(1);

fn check(unit: &Unit, cx: &mut Ctx) {
    if unit.kind != UnitKind::Service {
        return;
    }
    let Some(restart) = unit.get("Service", "Restart") else {
        return;
    };
    if restart.value.trim() == "no" {
        return;
    }
    let Some(off) = rate_limit_off(unit) else {
        return;
    };
    let delay = match unit.get("Service", "RestartSec") {
        Some(entry) => match parse_timespan(&entry.value) {
            Some(delay) => delay,
            None => return,
        },
        None => DEFAULT_DELAY,
    };
    if delay >= TIGHT || backs_off(unit) {
        return;
    }
    let delay_text = unit.get("Service", "RestartSec").map_or_else(
        || "the default delay of 100ms".to_string(),
        |e| format!("`RestartSec={}`", e.value.trim()),
    );
    cx.report(
        off.span,
        format!(
            "`{}={}` turns off the start rate limit: with `Restart={}` and {delay_text} a crashing service restarts forever in a tight loop",
            off.key.value,
            off.value.trim(),
            restart.value.trim(),
        ),
    )
    .help(HELP);
}

/// The assignment that turns start rate limiting off: an interval or a burst of `0`. Both live
/// in `[Unit]`; `[Service]` still accepts the old `StartLimitInterval=` and `StartLimitBurst=`,
/// and whichever comes last wins.
fn rate_limit_off(unit: &Unit) -> Option<&Entry> {
    let mut interval: Option<&Entry> = None;
    let mut burst: Option<&Entry> = None;
    for section in &unit.sections {
        let in_unit = section.name.value == "Unit";
        let in_service = section.name.value == "Service";
        for entry in &section.entries {
            if entry.value.trim().is_empty() {
                continue;
            }
            match entry.key.value.as_str() {
                "StartLimitIntervalSec" if in_unit => interval = Some(entry),
                "StartLimitInterval" if in_unit || in_service => interval = Some(entry),
                "StartLimitBurst" if in_unit || in_service => burst = Some(entry),
                _ => {}
            }
        }
    }
    interval
        .filter(|e| parse_timespan(&e.value).is_some_and(TimeSpan::is_zero))
        .or_else(|| burst.filter(|e| e.value.trim().parse::<u32>() == Ok(0)))
}

/// `RestartSteps=` with a finite `RestartMaxDelaySec=` of a second or more: the delay grows
/// after each restart (`infinity`, the default, turns the stepping off).
fn backs_off(unit: &Unit) -> bool {
    let steps = unit
        .get("Service", "RestartSteps")
        .and_then(|e| e.value.trim().parse::<u32>().ok())
        .unwrap_or(0);
    let max = unit
        .get("Service", "RestartMaxDelaySec")
        .and_then(|e| parse_timespan(&e.value));
    steps > 0 && max.is_some_and(|m| m >= TIGHT && m != TimeSpan::Infinity)
}
