//! System services that run as root.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/root-service",
    severity: Severity::Warning,
    doc: include_str!("../../../rules/systemd/root-service.md"),
    check: Check::Systemd(check),
};

const HELP: &str = "set `User=` to a dedicated account, or `DynamicUser=yes` for a service that keeps no files of its own";

fn check(unit: &Unit, cx: &mut Ctx) {
    if unit.kind != UnitKind::Service || unit.is_user_unit() {
        return;
    }
    let user = unit.get("Service", "User");
    if let Some(user) = user {
        if matches!(user.value.as_str(), "root" | "0") {
            cx.report(user.span, format!("the service runs as `{}`", user.value))
                .help(HELP);
        } else {
            cx.pass(user.span, format!("the service runs as `{}`", user.value));
        }
        return;
    }
    if unit.dynamic_user() {
        if let Some(entry) = unit.get("Service", "DynamicUser") {
            cx.pass(entry.span, "the service runs as a dynamic user");
        }
        return;
    }
    if unit.partial {
        return;
    }
    let Some(owner) = unit
        .header("Service")
        .or_else(|| unit.sections.first().map(|s| s.header))
    else {
        return;
    };
    cx.report(owner, "the service runs as `root`: no `User=` is set")
        .help(HELP);
}
