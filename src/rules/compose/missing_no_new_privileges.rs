//! Services whose processes may gain privileges through setuid binaries or file capabilities.
use super::security_opt::{parse_bool, security_opts};
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/missing-no-new-privileges",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/compose/missing-no-new-privileges.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for service in project.services.iter().filter(|s| s.complete) {
        // The daemon applies the entries in order: the last `no-new-privileges` wins.
        let last = security_opts(&service.merged, project.env)
            .into_iter()
            .rev()
            .filter(|o| o.key == "no-new-privileges")
            .find_map(|o| match o.value.as_deref() {
                None => Some((o, true)),
                Some(v) => parse_bool(v).map(|b| (o, b)),
            });
        // The deciding entry may come from the override file: point at it only when it is
        // written in this file (the same text among the service's own entries).
        let here = last.as_ref().and_then(|(o, _)| {
            security_opts(&service.own, project.env)
                .into_iter()
                .find(|mine| mine.node.span == o.node.span && mine.text == o.text)
                .map(|mine| mine.node.span)
        });
        let at = here.unwrap_or(service.key().span);
        match last {
            Some((_, true)) => {
                cx.pass(
                    at,
                    format!("service `{}` sets `no-new-privileges`", service.name()),
                );
            }
            Some((opt, false)) => {
                cx.report(
                    at,
                    format!(
                        "service `{}` lets its processes gain privileges (`{}`)",
                        service.name(),
                        opt.text
                    ),
                )
                .help("set `no-new-privileges:true` instead");
            }
            None => {
                cx.report(
                    at,
                    format!(
                        "service `{}` does not set `no-new-privileges`",
                        service.name()
                    ),
                )
                .help("add `no-new-privileges:true` to the service's `security_opt`");
            }
        }
    }
}
