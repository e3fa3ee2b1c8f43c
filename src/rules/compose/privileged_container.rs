//! Services that run with `privileged: true`.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/privileged-container",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/privileged-container.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    for service in compose.services() {
        let Some(entry) = service.node.entry("privileged") else {
            continue;
        };
        if entry.value.as_bool() != Some(true) {
            continue;
        }
        let span = entry.key.span.cover(entry.value.span);
        cx.report(
            span,
            format!("service `{}` runs privileged, with every capability and device of the host", service.name),
        )
        .help("remove `privileged: true` and grant only what the service needs with `cap_add` or `devices`");
    }
}
