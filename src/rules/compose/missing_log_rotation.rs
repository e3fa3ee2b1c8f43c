//! Services logging to Docker's `json-file` driver without a size limit.
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/missing-log-rotation",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/compose/missing-log-rotation.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let Some(services_key) = compose.services_key() else {
        return;
    };
    // The daemon's `daemon.json` may rotate every container's log, which a file linter cannot see.
    if cx.options().assume_daemon_log_rotation {
        return;
    }
    let project = Project::of(compose);
    let mut unrotated = Vec::new();
    let mut judged = 0;
    for view in project.services.iter().filter(|v| v.complete) {
        judged += 1;
        let logging = view.get("logging");
        let driver = logging
            .and_then(|l| l.get("driver"))
            .and_then(Node::as_str)
            .map_or_else(
                || "json-file".to_string(),
                |d| project.env.interpolate(d).trim().to_string(),
            );
        let max_size = logging
            .and_then(|l| l.path(&["options", "max-size"]))
            .is_some_and(|n| !n.is_null());
        if driver == "json-file" && !max_size {
            unrotated.push(view.name());
        }
    }
    if judged == 0 {
        return;
    }
    if unrotated.is_empty() {
        cx.pass(
            services_key.span,
            "every service rotates its logs or uses a driver that does",
        );
        return;
    }
    let (noun, verb) = match unrotated.len() {
        1 => ("service", "logs"),
        _ => ("services", "log"),
    };
    let names = unrotated.join("`, `");
    cx.report(
        services_key.span,
        format!("{noun} `{names}` {verb} to `json-file` without a size limit"),
    )
    .help("set `logging.options.max-size` (and `max-file`), for example through an `x-logging` anchor, or use the `local` driver");
}
