//! Services whose processes may gain privileges through setuid binaries or file capabilities.
use super::security_opt::{parse_bool, security_opts};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/missing-no-new-privileges",
    severity: Severity::Suggestion,
    doc: include_str!("../../../rules/compose/missing-no-new-privileges.md"),
    check: Check::Compose(check),
};

fn check(file: &ComposeFile, cx: &mut Ctx) {
    let ComposeFile::Yaml(compose) = file else {
        return;
    };
    for service in compose.services() {
        // The daemon applies the entries in order: the last `no-new-privileges` wins.
        let last = security_opts(&service)
            .into_iter()
            .rev()
            .filter(|o| o.key == "no-new-privileges")
            .filter_map(|o| match o.value {
                None => Some((o.node, true)),
                Some(v) => parse_bool(v).map(|b| (o.node, b)),
            })
            .next();
        match last {
            Some((node, true)) => {
                cx.pass(
                    node.span,
                    format!("service `{}` sets `no-new-privileges`", service.name),
                );
            }
            Some((node, false)) => {
                let written = node.as_str().unwrap_or_default();
                cx.report(
                    node.span,
                    format!(
                        "service `{}` lets its processes gain privileges (`{written}`)",
                        service.name
                    ),
                )
                .help("set `no-new-privileges:true` instead");
            }
            None => {
                cx.report(
                    service.key.span,
                    format!(
                        "service `{}` does not set `no-new-privileges`",
                        service.name
                    ),
                )
                .help("add `no-new-privileges:true` to the service's `security_opt`");
            }
        }
    }
}
