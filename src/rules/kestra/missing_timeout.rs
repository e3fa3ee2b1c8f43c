//! Network and compute tasks without a timeout, and Pause tasks that may wait forever.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/missing-timeout",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/missing-timeout.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        // Kestra has no flow-level timeout; an SLA of type MAX_DURATION stands in for one.
        let bounded = flow
            .sla()
            .any(|s| s.get("type").and_then(Node::as_str) == Some("MAX_DURATION"));
        if bounded {
            continue;
        }
        for task in &flow.tasks {
            let id = task.id().unwrap_or("");
            match task.class {
                TaskClass::Network | TaskClass::Compute => {
                    if flow.effective(task, "timeout").is_some() {
                        cx.pass(task.anchor(), format!("task `{id}` has a timeout"));
                    } else if !client_bounded(&task.kind) {
                        cx.report(
                            task.anchor(),
                            format!("task `{id}` (`{}`) has no timeout", task.short_kind()),
                        )
                        .help("set `timeout` (an ISO-8601 duration such as `PT15M`) on the task or in `pluginDefaults`");
                    }
                }
                TaskClass::Flowable if task.kind == "io.kestra.plugin.core.flow.Pause" => {
                    let waits = ["pauseDuration", "delay", "timeout"]
                        .iter()
                        .any(|k| flow.effective(task, k).is_some());
                    if !waits {
                        cx.report(
                            task.anchor(),
                            format!("pause `{id}` waits for a manual resume without a time limit"),
                        )
                        .help("set `pauseDuration` or `timeout` so the execution does not stay paused forever");
                    }
                }
                _ => {}
            }
        }
    }
}

/// Tasks that make one HTTP call through Kestra's HTTP client: the client gives up on a server
/// that stops answering (its `readIdleTimeout` defaults to five minutes, and the connection
/// attempt is bounded by the system's TCP connect timeout), so a hung server cannot hold the
/// task forever. Core HTTP requests and downloads, and the notification plugins. The
/// server-sent-events request streams for as long as the server sends, and stays reported.
fn client_bounded(kind: &str) -> bool {
    matches!(
        kind,
        "io.kestra.plugin.core.http.Request" | "io.kestra.plugin.core.http.Download"
    ) || kind.starts_with("io.kestra.plugin.notifications.")
        || kind.starts_with("io.kestra.plugin.slack.")
}
