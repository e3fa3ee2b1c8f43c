//! Calendar timers that skip missed runs (`Persistent=` off) or run in the host's local time.
use crate::formats::systemd::UnitKind;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/fragile-timer",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/systemd/fragile-timer.md"),
    check: Check::Systemd(check),
};

fn check(unit: &Unit, cx: &mut Ctx) {
    if unit.kind != UnitKind::Timer {
        return;
    }
    let calendars = unit.list("Timer", "OnCalendar");
    if calendars.is_empty() {
        return;
    }
    let mut problems = 0;
    if unit.bool("Timer", "Persistent") != Some(true) {
        problems += 1;
        let span = match (unit.get("Timer", "Persistent"), unit.header("Timer")) {
            (Some(entry), _) => entry.span,
            (None, Some(header)) => header,
            (None, None) => return,
        };
        cx.report(span, "a run missed while the machine is off is skipped")
            .help("add `Persistent=true` to `[Timer]`");
    }
    for entry in &calendars {
        if !has_zone(&entry.value) && !is_shorthand(&entry.value) {
            problems += 1;
            cx.report(
                entry.value_span,
                format!("`{}` runs in the host's local time", entry.value),
            )
            .help("end the expression with a time zone, preferably `UTC`");
        }
    }
    if problems == 0
        && let Some(header) = unit.header("Timer")
    {
        let zoned = calendars.iter().all(|e| has_zone(&e.value));
        cx.pass(
            header,
            if zoned {
                "persistent calendar timer with an explicit time zone"
            } else {
                "persistent calendar timer on a schedule that needs no time zone"
            },
        );
    }
}

/// Whether an expression is one of the shorthands (`daily`, `weekly`, …): they run at a
/// midnight or on the hour, which daylight-saving changes neither skip nor repeat, and a
/// periodic job that runs "once a day" does not care which zone's day it is.
fn is_shorthand(expr: &str) -> bool {
    let expr = expr.trim().to_ascii_lowercase();
    NOT_ZONES
        .get(..10)
        .unwrap_or_default()
        .contains(&expr.as_str())
}

/// Words that end a calendar expression without being a zone; the first ten are the
/// shorthands.
const NOT_ZONES: &[&str] = &[
    "minutely",
    "hourly",
    "daily",
    "monthly",
    "weekly",
    "yearly",
    "annually",
    "quarterly",
    "semiannually",
    "semi-annually",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether a calendar expression ends with a time zone: `UTC` or a tz database name
/// (`Europe/Berlin`, `Etc/UTC`, `Japan`). An `@epoch` timestamp is absolute.
fn has_zone(expr: &str) -> bool {
    let expr = expr.trim();
    if expr.starts_with('@') {
        return true;
    }
    let mut tokens = expr.split_whitespace();
    let Some(last) = tokens.next_back() else {
        return false;
    };
    if tokens.next().is_none() {
        return false;
    }
    if last.eq_ignore_ascii_case("utc") {
        return true;
    }
    let word = last.trim_end_matches(',');
    word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
        && !word.contains("..")
        && !word
            .split([',', '.'])
            .any(|w| NOT_ZONES.contains(&w.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::has_zone;

    #[test]
    fn zones() {
        assert!(has_zone("*-*-* 03:00:00 UTC"));
        assert!(has_zone("Mon..Fri *-*-* 07:00 Europe/Berlin"));
        assert!(has_zone("daily utc"));
        assert!(!has_zone("daily"));
        assert!(!has_zone("*-*-* 03:00:00"));
        assert!(!has_zone("Mon,Tue *-*-* 03:00"));
        assert!(!has_zone("*-*-* 03:00:00 Mon"));
        assert!(super::is_shorthand("Weekly"));
        assert!(!super::is_shorthand("Mon"));
    }
}
