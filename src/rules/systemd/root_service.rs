//! System services that run as root.
use super::privilege::{RunsAs, runs_as, service_owner};
use super::system_task::is_system_task;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/root-service",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/systemd/root-service.md"),
    check: Check::Systemd(check),
};

const HELP: &str = "set `User=` to a dedicated account, or `DynamicUser=yes` for a service that keeps no files of its own";

fn check(unit: &Unit, cx: &mut Ctx) {
    // Early-boot units and one-shot setup jobs run as root by design.
    if is_system_task(unit) {
        return;
    }
    match runs_as(unit) {
        RunsAs::Root(Some(user)) => {
            cx.report(user.span, format!("the service runs as `{}`", user.value))
                .help(HELP);
        }
        RunsAs::Root(None) => {
            if let Some(owner) = service_owner(unit) {
                cx.report(owner, "the service runs as `root`: no `User=` is set")
                    .help(HELP);
            }
        }
        RunsAs::User(user) => {
            cx.pass(user.span, format!("the service runs as `{}`", user.value));
        }
        RunsAs::Dynamic(entry) => {
            cx.pass(entry.span, "the service runs as a dynamic user");
        }
        RunsAs::UserManager | RunsAs::Unknown => {}
    }
}
