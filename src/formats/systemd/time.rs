//! systemd time spans (`5min 20s`, `100ms`, `1h30m`, plain seconds, `infinity`), read the way
//! systemd.time(7) describes them.

/// A parsed time span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimeSpan {
    Micros(u64),
    Infinity,
}

impl TimeSpan {
    pub const fn seconds(n: u64) -> TimeSpan {
        TimeSpan::Micros(n.saturating_mul(1_000_000))
    }

    pub fn is_zero(self) -> bool {
        self == TimeSpan::Micros(0)
    }
}

const SECOND: u64 = 1_000_000;

/// The length of a unit in microseconds (case matters: `M` is a month, `m` a minute).
fn unit_micros(unit: &str) -> Option<u64> {
    Some(match unit {
        "usec" | "us" | "µs" | "μs" => 1,
        "msec" | "ms" => 1_000,
        "" | "seconds" | "second" | "sec" | "s" => SECOND,
        "minutes" | "minute" | "min" | "m" => 60 * SECOND,
        "hours" | "hour" | "hr" | "h" => 3_600 * SECOND,
        "days" | "day" | "d" => 86_400 * SECOND,
        "weeks" | "week" | "w" => 604_800 * SECOND,
        "months" | "month" | "M" => 2_629_800 * SECOND,
        "years" | "year" | "y" => 31_557_600 * SECOND,
        _ => return None,
    })
}

/// Parses a time span whose unit-less numbers are seconds; `None` when systemd would reject it.
pub fn parse_timespan(text: &str) -> Option<TimeSpan> {
    let text = text.trim();
    if text == "infinity" {
        return Some(TimeSpan::Infinity);
    }
    let mut chars = text.chars().peekable();
    let mut total: u128 = 0;
    let mut parts = 0;
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut whole = String::new();
        while let Some(c) = chars.next_if(char::is_ascii_digit) {
            whole.push(c);
        }
        let mut fraction = String::new();
        if chars.next_if_eq(&'.').is_some() {
            while let Some(c) = chars.next_if(char::is_ascii_digit) {
                fraction.push(c);
            }
        }
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut unit = String::new();
        while let Some(c) = chars.next_if(|c| c.is_alphabetic()) {
            unit.push(c);
        }
        let per = u128::from(unit_micros(&unit)?);
        let whole: u128 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        total = total.saturating_add(whole.saturating_mul(per));
        if !fraction.is_empty() {
            let digits = fraction.get(..fraction.len().min(18)).unwrap_or("0");
            let scale = 10u128.pow(u32::try_from(digits.len()).unwrap_or(0));
            let value: u128 = digits.parse().ok()?;
            total = total.saturating_add(value.saturating_mul(per) / scale);
        }
        parts += 1;
    }
    if parts == 0 {
        return None;
    }
    Some(TimeSpan::Micros(u64::try_from(total).unwrap_or(u64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans() {
        assert_eq!(parse_timespan("0"), Some(TimeSpan::Micros(0)));
        assert_eq!(parse_timespan("90"), Some(TimeSpan::seconds(90)));
        assert_eq!(parse_timespan("5min 20s"), Some(TimeSpan::seconds(320)));
        assert_eq!(parse_timespan("1h30m"), Some(TimeSpan::seconds(5_400)));
        assert_eq!(parse_timespan("100ms"), Some(TimeSpan::Micros(100_000)));
        assert_eq!(parse_timespan("1.5s"), Some(TimeSpan::Micros(1_500_000)));
        assert_eq!(parse_timespan("2 min"), Some(TimeSpan::seconds(120)));
        assert_eq!(parse_timespan(" infinity "), Some(TimeSpan::Infinity));
        assert_eq!(parse_timespan("0s"), Some(TimeSpan::Micros(0)));
        assert_eq!(parse_timespan(""), None);
        assert_eq!(parse_timespan("soon"), None);
        assert_eq!(parse_timespan("5 parsecs"), None);
        assert_eq!(parse_timespan("-5s"), None);
    }
}
