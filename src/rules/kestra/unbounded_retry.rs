//! Retries without a bound, or with bounds that cannot work as written.
use crate::formats::kestra::FlowFile;
use crate::formats::kestra::cron::duration_millis;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/unbounded-retry",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/unbounded-retry.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        if let Some(retry) = flow.root.get("retry") {
            judge(retry, "the flow", cx);
        }
        for task in &flow.tasks {
            if let Some(retry) = task.get("retry") {
                judge(retry, &format!("task `{}`", task.id().unwrap_or("?")), cx);
            }
        }
        for defaults in &flow.plugin_defaults {
            if let Some(retry) = defaults.values.get("retry") {
                judge(
                    retry,
                    &format!("plugin defaults for `{}`", defaults.kind),
                    cx,
                );
            }
        }
    }
}

fn judge(retry: &Node, owner: &str, cx: &mut Ctx) {
    if retry.as_map().is_none() {
        return;
    }
    let kind_node = retry.get("type");
    let kind = kind_node.and_then(Node::as_str).unwrap_or("").trim();
    let at = kind_node.map_or(retry.span, |n| n.span);
    let millis = |key: &str| {
        retry
            .get(key)
            .and_then(Node::as_str)
            .and_then(duration_millis)
    };
    let bounded = ["maxAttempts", "maxAttempt", "maxDuration"]
        .iter()
        .any(|k| retry.get(k).is_some_and(|n| !n.is_null()));
    let uncapped = kind == "exponential" && retry.get("maxInterval").is_none_or(Node::is_null);
    // Both problems sit at the retry's type: one finding names both, since a rule keeps one
    // finding per place.
    if !bounded && uncapped {
        cx.report(
            at,
            format!("the exponential retry of {owner} has neither `maxAttempts` nor `maxDuration`, so it never gives up, and no `maxInterval`, so its wait grows without limit"),
        )
        .help("set `maxAttempts` (and usually `maxDuration`), and cap the backoff with `maxInterval`");
        return;
    }
    if !bounded {
        cx.report(
            at,
            format!("the retry of {owner} has neither `maxAttempts` nor `maxDuration`, so it never gives up"),
        )
        .help("set `maxAttempts` (and usually `maxDuration`)");
    }
    match kind {
        "constant" => {
            if let (Some(interval), Some(max)) = (millis("interval"), millis("maxDuration"))
                && interval >= max
                && let Some(node) = retry.get("interval")
            {
                cx.report(
                    node.span,
                    format!("the constant retry of {owner} waits at least as long as its `maxDuration`, so it may never retry"),
                )
                .help("make `interval` shorter than `maxDuration`");
            }
        }
        "exponential" if uncapped => {
            cx.report(
                at,
                format!("the exponential retry of {owner} has no `maxInterval`, so its wait grows without limit"),
            )
            .help("cap the backoff with `maxInterval`");
        }
        "random" => {
            if let (Some(min), Some(max)) = (millis("minInterval"), millis("maxInterval"))
                && min >= max
                && let Some(node) = retry.get("minInterval")
            {
                cx.report(
                    node.span,
                    format!("the random retry of {owner} has a `minInterval` not smaller than its `maxInterval`"),
                )
                .help("make `minInterval` smaller than `maxInterval`");
            }
        }
        _ => {}
    }
}
