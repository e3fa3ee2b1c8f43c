//! Durations, cron expressions and time zones as Kestra (through Java and cron-utils) reads them.

use super::zones::ZONES;

/// A duration as Java's `Duration.parse` reads it (`PT10M`, `P1DT2H`, `pt0.25s`), in
/// milliseconds; `None` when Java would reject it (weeks, months, years, `10m`, `P`, `PT`).
pub(crate) fn duration_millis(text: &str) -> Option<i128> {
    let upper = text.trim().to_ascii_uppercase();
    let (negative, rest) = match upper.as_bytes().first() {
        Some(b'-') => (true, upper.get(1..)?),
        Some(b'+') => (false, upper.get(1..)?),
        _ => (false, upper.as_str()),
    };
    let rest = rest.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let mut total: i128 = 0;
    let mut parts = 0;
    if !date.is_empty() {
        let days = date.strip_suffix('D')?;
        total += signed_int(days)? * 86_400_000;
        parts += 1;
    }
    if let Some(time) = time {
        let mut rest = time;
        let mut time_parts = 0;
        for (unit, factor) in [('H', 3_600_000_i128), ('M', 60_000)] {
            if let Some(at) = rest.find(unit) {
                let number = rest.get(..at)?;
                total += signed_int(number)? * factor;
                rest = rest.get(at + 1..)?;
                time_parts += 1;
            }
        }
        if !rest.is_empty() {
            let seconds = rest.strip_suffix('S')?;
            total += seconds_millis(seconds)?;
            time_parts += 1;
        }
        if time_parts == 0 {
            return None;
        }
        parts += time_parts;
    }
    if parts == 0 {
        return None;
    }
    Some(if negative { -total } else { total })
}

fn signed_int(text: &str) -> Option<i128> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 18 {
        return None;
    }
    let value: i128 = digits.parse().ok()?;
    Some(if text.starts_with('-') { -value } else { value })
}

/// `12`, `0.25`, `1,5` (Java accepts a comma), at most nine fraction digits.
fn seconds_millis(text: &str) -> Option<i128> {
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole = signed_int(whole)?;
    let mut millis: i128 = 0;
    for (i, digit) in fraction.bytes().take(3).enumerate() {
        millis += i128::from(digit - b'0') * [100, 10, 1].get(i).copied().unwrap_or(0);
    }
    Some(whole * 1000 + if whole < 0 { -millis } else { millis })
}

/// Cron nicknames Kestra accepts.
const NICKNAMES: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// Why a cron is invalid for Kestra, or `None` when it is valid.
pub(crate) fn cron_problem(cron: &str, with_seconds: bool) -> Option<String> {
    let cron = cron.trim();
    if cron.starts_with('@') {
        return if NICKNAMES.iter().any(|n| n.eq_ignore_ascii_case(cron)) {
            None
        } else {
            Some("is not a cron nickname Kestra knows".to_string())
        };
    }
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let named = |i: usize| {
        if i + 1 == fields.len() {
            DAYS
        } else if i + 2 == fields.len() {
            MONTHS
        } else {
            &[][..]
        }
    };
    for (i, field) in fields.iter().enumerate() {
        let mut bare = field.to_ascii_uppercase();
        for name in named(i) {
            bare = bare.replace(name, "");
        }
        if let Some(token) = ["?", "L", "W", "#"].iter().find(|t| bare.contains(**t)) {
            return Some(format!("uses the Quartz-only `{token}`"));
        }
    }
    let expected = if with_seconds { 6 } else { 5 };
    if fields.len() != expected {
        let hint = if fields.len() == 6 && !with_seconds {
            " (six fields need `withSeconds: true`)"
        } else {
            ""
        };
        return Some(format!(
            "has {} fields where Kestra expects {expected}{hint}",
            fields.len()
        ));
    }
    let mut ranges: Vec<(&str, u32, u32, &[&str], u32)> = Vec::new();
    if with_seconds {
        ranges.push(("second", 0, 59, &[], 0));
    }
    ranges.extend([
        ("minute", 0, 59, &[][..], 0),
        ("hour", 0, 23, &[][..], 0),
        ("day of month", 1, 31, &[][..], 0),
        ("month", 1, 12, MONTHS, 1),
        ("day of week", 0, 7, DAYS, 0),
    ]);
    for (field, (name, min, max, names, base)) in fields.iter().zip(ranges) {
        if !field_is_valid(field, min, max, names, base) {
            return Some(format!(
                "has an invalid {name} field `{field}` (allowed: {min}-{max})"
            ));
        }
    }
    None
}

fn field_is_valid(field: &str, min: u32, max: u32, names: &[&str], base: u32) -> bool {
    let value = |text: &str| -> Option<u32> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
            return u32::try_from(i).ok().map(|i| i + base);
        }
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 4 {
            return None;
        }
        text.parse().ok().filter(|v| (min..=max).contains(v))
    };
    field.split(',').all(|item| {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (item, None),
        };
        if let Some(step) = step
            && (step.is_empty()
                || !step.bytes().all(|b| b.is_ascii_digit())
                || step.parse::<u32>().map_or(true, |s| s == 0))
        {
            return false;
        }
        if range == "*" {
            return true;
        }
        match range.split_once('-') {
            Some((from, to)) => value(from).zip(value(to)).is_some(),
            None => value(range).is_some(),
        }
    })
}

/// Whether Java's `ZoneId.of` accepts the id: a tz database name, `Z`, an offset (`+02:00`,
/// `-5`), or `UTC`/`GMT`/`UT` followed by an offset.
pub(crate) fn is_known_zone(zone: &str) -> bool {
    if ZONES.binary_search(&zone).is_ok() || zone == "Z" {
        return true;
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(rest) = zone.strip_prefix(prefix)
            && (rest.starts_with(['+', '-']) && is_offset(rest))
        {
            return true;
        }
    }
    is_offset(zone)
}

/// `+h`, `+hh`, `+hh:mm`, `-hhmm`, `+hh:mm:ss`, within ±18 hours.
fn is_offset(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['+', '-']) else {
        return false;
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let hours = match digits.len() {
        1 | 2 => digits.parse::<u32>().ok(),
        4 | 6 => digits.get(..2).and_then(|h| h.parse().ok()),
        _ => None,
    };
    hours.is_some_and(|h| h <= 18)
}

/// Zone ids without a `/` that name a region (tz database links), not an abbreviation.
const REGION_LINKS: &[&str] = &[
    "GB", "GB-Eire", "NZ", "NZ-CHAT", "PRC", "ROC", "ROK", "W-SU",
];

/// Why a zone id is an abbreviation or a fixed offset rather than a region, or `None`.
pub(crate) fn ambiguity(zone: &str) -> Option<&'static str> {
    if matches!(
        zone,
        "UTC" | "GMT" | "Etc/UTC" | "Etc/GMT" | "Z" | "UCT" | "Etc/UCT" | "Universal" | "Zulu"
    ) {
        return None;
    }
    if let Some(rest) = zone.strip_prefix("Etc/GMT")
        && rest.starts_with(['+', '-'])
    {
        return Some("an `Etc/GMT` zone, whose sign is inverted (`Etc/GMT+5` is UTC-5)");
    }
    if is_offset(zone)
        || ["UTC", "GMT", "UT"].iter().any(|p| {
            zone.strip_prefix(p)
                .is_some_and(|r| r.starts_with(['+', '-']))
        })
    {
        return Some("a fixed offset, which ignores daylight saving time");
    }
    if !zone.contains('/')
        && !REGION_LINKS.contains(&zone)
        && zone
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Some("an abbreviation, which is ambiguous and ignores the region's rules");
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_millis("PT10M"), Some(600_000));
        assert_eq!(duration_millis("pt0.25s"), Some(250));
        assert_eq!(duration_millis("P1DT2H"), Some(93_600_000));
        assert_eq!(duration_millis("PT1.5S"), Some(1_500));
        for bad in ["10m", "P1W", "P1M", "P", "PT", "P1Y", "PT1H30", "1h"] {
            assert_eq!(duration_millis(bad), None, "{bad}");
        }
    }

    #[test]
    fn crons() {
        assert_eq!(cron_problem("0 9 * * 1-5", false), None);
        assert_eq!(cron_problem("*/15 0-6,22 1 JAN-JUL sun", false), None);
        assert_eq!(cron_problem("0 9 * * WED", false), None);
        assert_eq!(cron_problem("@daily", false), None);
        assert_eq!(cron_problem("*/30 * * * * *", true), None);
        assert!(cron_problem("0 24 * * *", false).is_some());
        assert!(cron_problem("0 0 9 ? * MON", false).is_some());
        assert!(cron_problem("0 9 L * *", false).is_some());
        assert!(cron_problem("@reboot", false).is_some());
        assert!(cron_problem("*/0 * * * *", false).is_some());
    }

    #[test]
    fn zones() {
        assert!(is_known_zone("Europe/Paris"));
        assert!(is_known_zone("UTC+2"));
        assert!(is_known_zone("+02:00"));
        assert!(!is_known_zone("PST"));
        assert!(!is_known_zone("Europe/Pariss"));
        assert!(ambiguity("EST").is_some());
        assert!(ambiguity("EST5EDT").is_some());
        assert!(ambiguity("Etc/GMT+5").is_some());
        assert!(ambiguity("GMT-5").is_some());
        assert!(ambiguity("Europe/Paris").is_none());
        assert!(ambiguity("UTC").is_none());
        assert!(ambiguity("NZ").is_none());
        assert!(ZONES.windows(2).all(|w| w.first() < w.get(1)));
    }
}
