//! Ports published on every interface of the host instead of a chosen address.
use super::datastore_port_exposed::exposed_datastore;
use crate::formats::compose::Port;
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/port-exposed-all-interfaces",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/compose/port-exposed-all-interfaces.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for view in &project.services {
        let ports = view.service.ports(project.env);
        let mut open = false;
        for port in &ports {
            if port.is_unresolved() || !port.all_interfaces() {
                open |= port.is_unresolved();
                continue;
            }
            open = true;
            if exposed_datastore(view, project.env, port, cx).is_some() || public_web_port(port) {
                continue;
            }
            let what = match (&port.published, port.target) {
                (Some(p), _) => format!("host port `{p}`"),
                (None, Some((a, b))) if a == b => {
                    format!("container port `{a}` on a random host port")
                }
                (None, _) => "a random host port range".to_string(),
            };
            cx.report(
                port.span(),
                format!("service `{}` publishes {what} on every interface", view.name()),
            )
            .help("bind the entry to an address, such as `127.0.0.1:8080:80`, and let a reverse proxy face the network");
        }
        if open {
            continue;
        }
        if !ports.is_empty() {
            cx.pass(
                view.key().span,
                format!(
                    "every port of `{}` is bound to a specific address",
                    view.name()
                ),
            );
        } else if view.written("expose").is_some() {
            cx.pass(
                view.key().span,
                format!(
                    "`{}` only exposes ports to the compose network",
                    view.name()
                ),
            );
        }
    }
}

/// Host ports 80 and 443 are where a public web server or reverse proxy listens: publishing them
/// on every interface is the intent, not an accident.
fn public_web_port(port: &Port<'_>) -> bool {
    matches!(port.published.as_deref().map(str::trim), Some("80" | "443"))
}
