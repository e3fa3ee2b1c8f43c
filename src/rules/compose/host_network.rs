//! Services that use the host's network stack instead of a container network.
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/host-network",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/compose/host-network.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for service in compose.services() {
        let Some(mode) = service.get("network_mode") else {
            continue;
        };
        let mode_text = mode.as_str().map(|v| project.env.interpolate(v));
        if mode_text.as_deref() != Some("host") {
            continue;
        }
        let ignored = if service
            .get("ports")
            .is_some_and(|p| p.items().next().is_some())
        {
            "; its `ports` are ignored"
        } else {
            ""
        };
        cx.report(
            mode.span,
            format!(
                "service `{}` uses the host's network, so every port it opens is open on the host{ignored}",
                service.name
            ),
        )
        .help("use a project network and publish only the ports clients need, or suppress with the reason the service needs the host network");
    }
}
