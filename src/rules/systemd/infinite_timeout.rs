//! Services whose start or stop may hang forever.
use super::privilege::service_owner;
use super::system_task::is_system_task;
use crate::formats::systemd::{Entry, TimeSpan, parse_timespan};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/infinite-timeout",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/systemd/infinite-timeout.md"),
    check: Check::Systemd(check),
};

const HELP: &str =
    "set a finite `TimeoutStartSec=`/`TimeoutStopSec=` a little above the longest normal run";

fn check(unit: &Unit, cx: &mut Ctx) {
    // Early-boot units and one-shot setup jobs (a file system check, a resize) may take as long
    // as the disk needs: systemd's own units of that kind wait without a limit.
    if unit.kind != UnitKind::Service || is_system_task(unit) {
        return;
    }
    // `TimeoutSec=` sets both timeouts; a later `TimeoutStartSec=`/`TimeoutStopSec=` overrides
    // its half. Values systemd cannot parse are ignored, as systemd ignores them.
    let mut start: Option<(&Entry, TimeSpan)> = None;
    let mut stop: Option<(&Entry, TimeSpan)> = None;
    for entry in unit
        .sections_named("Service")
        .flat_map(|s| s.entries.iter())
    {
        let key = entry.key.value.as_str();
        if !matches!(key, "TimeoutSec" | "TimeoutStartSec" | "TimeoutStopSec") {
            continue;
        }
        let Some(span) = parse_timespan(&entry.value) else {
            continue;
        };
        // `0` turns the timeout off, like `infinity`.
        let span = if span.is_zero() {
            TimeSpan::Infinity
        } else {
            span
        };
        if key != "TimeoutStopSec" {
            start = Some((entry, span));
        }
        if key != "TimeoutStartSec" {
            stop = Some((entry, span));
        }
    }
    match (infinite(start), infinite(stop)) {
        (Some(a), Some(b)) if std::ptr::eq(a, b) => {
            report(cx, a, "start and stop wait");
        }
        (a, b) => {
            if let Some(a) = a {
                report(cx, a, "start waits");
            }
            if let Some(b) = b {
                report(cx, b, "stop waits");
            }
        }
    }
    if start.is_none() && unit.service_type() == "oneshot" && !unit.partial {
        if let Some(owner) = service_owner(unit) {
            cx.report(
                owner,
                "a `Type=oneshot` service has no start timeout unless it sets `TimeoutStartSec=`: a hung run blocks forever",
            )
            .help(HELP);
        }
    }
}

fn infinite(timeout: Option<(&Entry, TimeSpan)>) -> Option<&Entry> {
    timeout
        .filter(|(_, span)| *span == TimeSpan::Infinity)
        .map(|(e, _)| e)
}

fn report(cx: &mut Ctx, entry: &Entry, what: &str) {
    cx.report(
        entry.span,
        format!(
            "`{}={}` disables the timeout: the {what} forever on a hung process",
            entry.key.value,
            entry.value.trim()
        ),
    )
    .help(HELP);
}
