//! Long-running services that stay down after a crash.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/missing-restart",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/systemd/missing-restart.md"),
    check: Check::Systemd(check),
};

const HELP: &str = "add `Restart=on-failure` with a `RestartSec=` delay";

const LONG_RUNNING: [&str; 6] = [
    "simple",
    "exec",
    "notify",
    "notify-reload",
    "dbus",
    "forking",
];

fn check(unit: &Unit, cx: &mut Ctx) {
    if unit.kind != UnitKind::Service
        || !LONG_RUNNING.contains(&unit.service_type())
        || unit.is_one_shot()
    {
        return;
    }
    match unit.get("Service", "Restart") {
        Some(restart) if restart.value == "no" => {
            cx.report(
                restart.span,
                "the service is not restarted when it fails: `Restart=no`",
            )
            .help(HELP);
        }
        Some(restart)
            if matches!(
                restart.value.as_str(),
                "on-failure" | "on-abnormal" | "always"
            ) =>
        {
            let delay = unit.get("Service", "RestartSec").map_or_else(
                || "after the default 100ms".to_string(),
                |d| format!("after `RestartSec={}`", d.value),
            );
            cx.pass(
                restart.span,
                format!(
                    "the service restarts with `Restart={}` {delay}",
                    restart.value
                ),
            );
        }
        Some(_) => {}
        None if unit.partial => {}
        None => {
            let Some(owner) = unit
                .header("Service")
                .or_else(|| unit.sections.first().map(|s| s.header))
            else {
                return;
            };
            cx.report(
                owner,
                "the service is not restarted when it fails: no `Restart=`",
            )
            .help(HELP);
        }
    }
}
