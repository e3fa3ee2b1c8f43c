//! Multi-service files where the port-publishing services and the datastores share one network.
use super::view::image;
use crate::formats::compose::Project;
use crate::formats::compose::{Env, ServiceView, ports};
use crate::rules::options::Options;
use crate::rules::prelude::*;
use crate::rules::shared::datastores::{datastore_ports_of, stateful};
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "compose/flat-network",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/compose/flat-network.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let Some(services_key) = compose.services_key() else {
        return;
    };
    let project = Project::of(compose);
    if project.services.len() < 2 {
        return;
    }
    let datastores: Vec<&ServiceView> = project
        .services
        .iter()
        .filter(|v| is_datastore(v, project.env, cx.options()))
        .collect();
    let publishers: Vec<&ServiceView> = project
        .services
        .iter()
        .filter(|v| {
            !datastores.iter().any(|d| d.name() == v.name())
                && v.get("ports").is_some_and(|p| p.items().next().is_some())
        })
        .collect();
    let (Some(datastore), Some(publisher)) = (datastores.first(), publishers.first()) else {
        return;
    };
    let segmented = project
        .services
        .iter()
        .any(|v| v.get("networks").is_some() || v.get("network_mode").is_some());
    if !segmented {
        cx.report(
            services_key.span,
            format!(
                "`{}` publishes ports and shares the only network with the datastore `{}`",
                publisher.name(),
                datastore.name()
            ),
        )
        .help("put the datastores on a backend network (`internal: true`) that only the services using them join");
        return;
    }
    let internal = |name: &str| {
        compose
            .section("networks")
            .and_then(|n| n.get(name))
            .and_then(|n| n.get("internal"))
            .and_then(Node::as_bool)
            == Some(true)
    };
    let apart = datastores.iter().all(|d| {
        let theirs = networks(d);
        theirs.iter().all(|n| internal(n))
            || publishers
                .iter()
                .all(|p| networks(p).iter().all(|n| !theirs.contains(n)))
    });
    if apart {
        cx.pass(
            services_key.span,
            "the datastores are kept off the network of the port-publishing services",
        );
    }
}

/// A service whose image is a known datastore, or which listens on a datastore port.
fn is_datastore(view: &ServiceView, env: &Env, options: &Options) -> bool {
    let reference = image(&view.merged, env);
    let image = reference.as_deref().map(ImageRef::parse);
    let by_image = image
        .as_ref()
        .is_some_and(|i| stateful(i, options).is_some_and(|s| s.datastore));
    let by_port = ports(&view.merged, env).iter().any(|p| {
        p.target.is_some_and(|(a, b)| {
            datastore_ports_of(a, b, image.as_ref(), options)
                .next()
                .is_some()
        })
    });
    let by_expose = view.get("expose").is_some_and(|e| {
        e.items()
            .filter_map(Node::as_str)
            .filter_map(|s| s.split('/').next()?.trim().parse::<u16>().ok())
            .any(|p| {
                datastore_ports_of(p, p, image.as_ref(), options)
                    .next()
                    .is_some()
            })
    });
    by_image || by_port || by_expose
}

/// The networks a service joins: `default` unless it names others; its `network_mode`
/// (`service:db`, `host`) as a network of its own.
fn networks(view: &ServiceView) -> Vec<String> {
    if let Some(mode) = view.get("network_mode").and_then(Node::as_str) {
        return vec![format!("mode:{mode}")];
    }
    match view.get("networks") {
        Some(n) if n.as_map().is_some() => n.pairs().map(|(k, _, _)| k.to_string()).collect(),
        Some(n) => n
            .items()
            .filter_map(Node::as_str)
            .map(str::to_string)
            .collect(),
        None => vec!["default".into()],
    }
}
