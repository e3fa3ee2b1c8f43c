//! Datastore and admin ports published on every interface of the host.
use super::view::image;
use crate::formats::compose::Project;
use crate::formats::compose::{Env, Port, ServiceView};
use crate::rules::prelude::*;
use crate::rules::shared::datastores::datastore_ports_of;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "compose/datastore-port-exposed",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/datastore-port-exposed.md"),
    check: Check::Compose(check),
};

/// The first datastore port a published entry of a service exposes on every interface, with
/// what listens there. Ports that other servers share (9200, 8086, 8123) count only when the
/// service's image is that datastore. `compose/port-exposed-all-interfaces` leaves these
/// entries to this rule.
pub(crate) fn exposed_datastore(
    view: &ServiceView,
    env: &Env,
    port: &Port,
    cx: &Ctx,
) -> Option<(u16, &'static str)> {
    if !port.all_interfaces() || port.is_unresolved() {
        return None;
    }
    let (start, end) = port.target?;
    let reference = image(&view.merged, env);
    let image = reference.as_deref().map(ImageRef::parse);
    datastore_ports_of(start, end, image.as_ref(), cx.options()).next()
}

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for view in &project.services {
        for port in view.service.ports(project.env) {
            let Some((number, what)) = exposed_datastore(view, project.env, &port, cx) else {
                continue;
            };
            let host = match &port.published {
                Some(p) => format!("host port `{p}`"),
                None => "a random host port".to_string(),
            };
            cx.report(
                port.span(),
                format!(
                    "service `{}` publishes container port `{number}` ({what}) on {host} of every interface",
                    view.name()
                ),
            )
            .help("bind it to loopback (`127.0.0.1:…`), or drop the entry and reach it over the compose network");
        }
    }
}
