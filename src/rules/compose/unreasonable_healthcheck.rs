//! Health checks whose timings cause false alarms or load, or whose test cannot fail.
use crate::rules::docker::ineffective_healthcheck::{Verdict, judge};
use crate::rules::docker::unreasonable_healthcheck::{SECOND, duration};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/unreasonable-healthcheck",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/compose/unreasonable-healthcheck.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    for service in compose.services() {
        let Some(healthcheck) = service.get("healthcheck") else {
            continue;
        };
        if healthcheck.get("disable").and_then(Node::as_bool) == Some(true) {
            continue;
        }
        for (key, key_node, value) in healthcheck.pairs() {
            let span = key_node.span.cover(value.span);
            let Some(problem) = timing(key, value) else {
                continue;
            };
            cx.report(span, problem.0).help(problem.1);
        }
        if let Some(test) = healthcheck.get("test")
            && let Some(verdict) = script(test).as_deref().and_then(judge)
        {
            let message = match verdict {
                Verdict::AlwaysSucceeds => "health check test always succeeds".to_string(),
                Verdict::Swallows(tail) => {
                    format!("health check test ends in `{tail}`, so it never reports failure")
                }
                Verdict::Trivial(name) => {
                    format!("health check test only runs `{name}`, which does not test the service")
                }
                Verdict::ProcessOnly(name) => format!(
                    "health check test only uses `{name}` to see that a process exists, which Docker already knows"
                ),
            };
            cx.report(test.span, format!("service `{}`: {message}", service.name))
                .help("probe what the service does and fail when it cannot, such as `curl -fsS http://localhost:8080/health || exit 1`");
        }
    }
}

fn timing(key: &str, value: &Node) -> Option<(String, &'static str)> {
    let text = value.as_str()?.trim();
    // Zero durations mean "use the default", as in the Dockerfile.
    let ns = duration(text).filter(|ns| *ns > 0.0);
    match (key, ns) {
        ("timeout", Some(ns)) if ns < 2.0 * SECOND => Some((
            format!("`timeout: {text}` is under 2s, so a briefly slow but healthy service counts as failing"),
            "allow the check a few seconds, such as `timeout: 5s`",
        )),
        ("interval", Some(ns)) if ns < 5.0 * SECOND => Some((
            format!("`interval: {text}` runs the check more often than every 5s"),
            "check every 10s to 60s, and use `start_period` for a slow start",
        )),
        ("retries", _) if value.as_i64() == Some(0) => Some((
            "`retries: 0` does not mean fail at once: Docker reads 0 as the image's or the default count".to_string(),
            "set the number of consecutive failures explicitly, such as `retries: 3`",
        )),
        _ => None,
    }
}

/// The shell script a `test` runs: `CMD-SHELL` and string forms as written, `CMD` arguments
/// joined (or the `-c` script of a shell).
fn script(test: &Node) -> Option<String> {
    if let Some(text) = test.as_str() {
        return Some(text.to_string());
    }
    let words: Vec<&str> = test.items().filter_map(Node::as_str).collect();
    match words.as_slice() {
        ["CMD-SHELL", rest @ ..] => Some(rest.join(" ")),
        ["CMD", program, flag, script, ..]
            if matches!(
                program.rsplit('/').next(),
                Some("sh" | "bash" | "ash" | "dash")
            ) && *flag == "-c" =>
        {
            Some((*script).to_string())
        }
        ["CMD", rest @ ..] if !rest.is_empty() => Some(rest.join(" ")),
        _ => None,
    }
}
