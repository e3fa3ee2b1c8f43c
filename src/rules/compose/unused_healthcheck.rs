//! Healthchecks whose result nothing reads: no dependent waits for them, no watcher restarts the
//! container, no proxy routes by them.
use super::values::compose_bool;
use crate::formats::compose::Project;
use crate::formats::compose::{Env, ServiceView, depends_on, environment};
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "compose/unused-healthcheck",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/compose/unused-healthcheck.md"),
    check: Check::Compose(check),
};

/// The label the autoheal watcher looks for unless told otherwise; `unhealthy-restart-labels`
/// in `[options]` adds the labels of other watchers.
const AUTOHEAL_LABEL: &str = "autoheal";

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    let watcher = autoheal_watcher(&project.services);
    if watcher == Watcher::All {
        return;
    }
    let awaited: Vec<&str> = project
        .services
        .iter()
        .flat_map(|s| depends_on(&s.merged))
        .filter(|d| d.condition.as_deref() == Some("service_healthy"))
        .map(|d| d.name)
        .collect();
    for service in project.services.iter().filter(|s| s.complete) {
        let Some(healthcheck) = service.get("healthcheck") else {
            continue;
        };
        if is_disabled(healthcheck, project.env) || awaited.contains(&service.name()) {
            continue;
        }
        let labels = labels(&service.merged);
        let restarted = labels.iter().any(|(k, v)| {
            let watched = v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("true"))
                && (*k == AUTOHEAL_LABEL || matches!(&watcher, Watcher::Label(l) if l == k));
            watched || is_restart_label(k, v.as_deref(), &cx.options().unhealthy_restart_labels)
        });
        if restarted || routes_by_health(&labels) {
            continue;
        }
        // The `healthcheck` key when this service writes it, else the service (it inherits one).
        let at = service
            .service
            .node
            .entry("healthcheck")
            .map_or(service.key().span, |e| e.key.span);
        cx.report(
            at,
            format!(
                "service `{}` has a healthcheck that nothing acts on",
                service.name()
            ),
        )
        .help("make dependent services wait with `condition: service_healthy`, or label the service `autoheal=true` and run an autoheal container");
    }
}

/// Whether a label is one of the `unhealthy-restart-labels` of `[options]`: `key=value` (the
/// value compared case-insensitively, as `true` is), or a bare `key` for any value.
fn is_restart_label(key: &str, value: Option<&str>, configured: &[String]) -> bool {
    configured
        .iter()
        .any(|entry| match entry.trim().split_once('=') {
            Some((k, v)) => {
                k.trim() == key && value.is_some_and(|value| value.eq_ignore_ascii_case(v.trim()))
            }
            None => entry.trim() == key,
        })
}

/// Whether the healthcheck is switched off (`disable: true` or `test: ["NONE"]`).
fn is_disabled(healthcheck: &Node, env: &Env) -> bool {
    if healthcheck
        .get("disable")
        .and_then(|d| compose_bool(d, env))
        == Some(true)
    {
        return true;
    }
    let test = healthcheck.get("test");
    test.and_then(|t| t.items().next())
        .and_then(Node::as_str)
        .is_some_and(|first| first == "NONE")
}

/// A service's labels, map or `key=value` list form: (key, value).
fn labels(service: &Node) -> Vec<(&str, Option<String>)> {
    let Some(labels) = service.get("labels") else {
        return Vec::new();
    };
    if labels.as_map().is_some() {
        return labels
            .pairs()
            .map(|(k, _, v)| (k, v.as_str().map(str::to_string)))
            .collect();
    }
    labels
        .items()
        .filter_map(Node::as_str)
        .map(|item| match item.split_once('=') {
            Some((k, v)) => (k, Some(v.to_string())),
            None => (item, None),
        })
        .collect()
}

/// Traefik's Docker provider routes only to containers whose health is `healthy` (when they
/// have a healthcheck), so a service it routes to uses its healthcheck.
fn routes_by_health(labels: &[(&str, Option<String>)]) -> bool {
    let disabled = labels.iter().any(|(k, v)| {
        *k == "traefik.enable"
            && v.as_deref()
                .is_some_and(|v| v.eq_ignore_ascii_case("false"))
    });
    !disabled && labels.iter().any(|(k, _)| k.starts_with("traefik."))
}

/// What an autoheal container of the file watches.
#[derive(Debug, PartialEq, Eq)]
enum Watcher {
    None,
    /// Containers labelled `<label>=true` (besides the default `autoheal`).
    Label(String),
    /// Every container (`AUTOHEAL_CONTAINER_LABEL=all`).
    All,
}

/// The autoheal container of the file, if one runs: a service whose image is `*/autoheal`.
fn autoheal_watcher(services: &[ServiceView]) -> Watcher {
    let Some(service) = services.iter().find(|s| {
        s.get("image")
            .and_then(Node::as_str)
            .is_some_and(|i| ImageRef::parse(i).name() == "autoheal")
    }) else {
        return Watcher::None;
    };
    match environment(&service.merged)
        .into_iter()
        .find(|e| e.key == "AUTOHEAL_CONTAINER_LABEL")
        .and_then(|e| e.value)
    {
        Some("all") => Watcher::All,
        Some(label) => Watcher::Label(label.to_string()),
        None => Watcher::None,
    }
}
