//! Health check timings that make healthy services look unhealthy or add needless load.
use crate::formats::docker::Healthcheck;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/unreasonable-healthcheck",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/docker/unreasonable-healthcheck.md"),
    check: Check::Docker(check),
};

/// Nanoseconds per second.
pub(crate) const SECOND: f64 = 1e9;

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(found) = file
        .final_stage()
        .and_then(|s| file.effective(s, Kind::Healthcheck))
    else {
        return;
    };
    if !matches!(found.instr.healthcheck(), Some(Healthcheck::Cmd(_))) {
        return;
    }
    for flag in &found.instr.flags {
        let Some(value) = &flag.value else {
            continue;
        };
        let written = format!("--{}={}", flag.name.value, value.value);
        // Zero durations and counts mean "inherit", not "none".
        let ns = duration(&value.value).filter(|ns| *ns > 0.0);
        let problem = match (flag.name.value.as_str(), ns) {
            ("timeout", Some(ns)) if ns < 2.0 * SECOND => Some((
                format!(
                    "`{written}` is under 2s, so a briefly slow but healthy service counts as failing"
                ),
                "allow the check a few seconds, such as `--timeout=5s`",
            )),
            ("interval", Some(ns)) if ns < 5.0 * SECOND => Some((
                format!("`{written}` runs the check more often than every 5s"),
                "check every 10s to 60s, and use `--start-period` for a slow start",
            )),
            ("retries", _) if value.value.trim().parse::<u64>() == Ok(0) => Some((
                format!(
                    "`{written}` does not mean fail at once: Docker reads 0 as the inherited or default count"
                ),
                "set the number of consecutive failures explicitly, such as `--retries=3`",
            )),
            _ => None,
        };
        if let Some((message, help)) = problem {
            cx.report(flag.span, message).help(help);
        }
    }
}

/// A Go duration (`1m30s`, `500ms`, `1.5s`, `0`) in nanoseconds; `None` when malformed.
pub(crate) fn duration(text: &str) -> Option<f64> {
    let text = text.trim();
    if text == "0" {
        return Some(0.0);
    }
    let mut rest = text;
    let mut total = 0.0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let number: f64 = rest.get(..number_len)?.parse().ok()?;
        rest = rest.get(number_len..)?;
        let unit_len = rest
            .bytes()
            .take_while(|b| !b.is_ascii_digit() && *b != b'.')
            .count();
        let unit = match rest.get(..unit_len)? {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => SECOND,
            "m" => 60.0 * SECOND,
            "h" => 3600.0 * SECOND,
            _ => return None,
        };
        total += number * unit;
        rest = rest.get(unit_len..)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(duration("30s"), Some(30.0 * SECOND));
        assert_eq!(duration("1m30s"), Some(90.0 * SECOND));
        assert_eq!(duration("500ms"), Some(0.5 * SECOND));
        assert_eq!(duration("1.5s"), Some(1.5 * SECOND));
        assert_eq!(duration("1h"), Some(3600.0 * SECOND));
        assert_eq!(duration("0"), Some(0.0));
        assert_eq!(duration("30"), None);
        assert_eq!(duration(""), None);
        assert_eq!(duration("5x"), None);
        assert_eq!(duration("s"), None);
    }
}
