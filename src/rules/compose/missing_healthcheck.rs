//! Long-running services without a health check, or with the image's check turned off.
use super::view::image;
use crate::formats::compose::Project;
use crate::formats::docker::Healthcheck;
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "compose/missing-healthcheck",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/compose/missing-healthcheck.md"),
    check: Check::Compose(check),
};

/// Published images whose Dockerfile defines a `HEALTHCHECK`, checked against each project's
/// own Dockerfile (listed in the rule's doc). Matched by whole repository.
const IMAGES_WITH_HEALTHCHECK: &[&str] = &[
    "vaultwarden/server",
    "ghcr.io/dani-garcia/vaultwarden",
    "louislam/uptime-kuma",
    "jellyfin/jellyfin",
    "ghcr.io/jellyfin/jellyfin",
    "pihole/pihole",
    "syncthing/syncthing",
];

const HELP: &str = "add a `healthcheck` whose `test` probes the service, such as `[\"CMD\", \"curl\", \"-fsS\", \"http://localhost:8080/health\"]`";

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for view in project.long_running() {
        let Some(healthcheck) = view.get("healthcheck") else {
            if !builds_with_healthcheck(&view.merged, compose)
                && !image_has_healthcheck(&view.merged, project.env)
            {
                cx.report(
                    view.key().span,
                    format!("service `{}` has no health check", view.name()),
                )
                .help(HELP);
            }
            continue;
        };
        let disabled = healthcheck.get("disable").and_then(Node::as_bool) == Some(true);
        let test = healthcheck.get("test");
        let none = test.is_some_and(|t| {
            t.items().next().and_then(Node::as_str) == Some("NONE") || t.as_str() == Some("NONE")
        });
        if disabled || none {
            let written = view.written("healthcheck");
            let at = written
                .and_then(|h| {
                    if disabled {
                        h.entry("disable").map(|e| e.key.span.cover(e.value.span))
                    } else {
                        h.get("test").map(|t| t.span)
                    }
                })
                .unwrap_or(view.key().span);
            cx.report(
                at,
                format!("the health check of service `{}` is disabled", view.name()),
            )
            .help(HELP);
        } else if test.is_some() {
            cx.pass(
                view.key().span,
                format!("`{}` has a health check", view.name()),
            );
        }
    }
}

/// Whether the service pulls (does not build) an image known to define its own `HEALTHCHECK`.
fn image_has_healthcheck(service: &Node, env: &crate::formats::compose::Env) -> bool {
    if service.get("build").is_some() {
        return false;
    }
    image(service, env).is_some_and(|reference| {
        let image = ImageRef::parse(&reference);
        !image.is_unresolved() && image.is_any_of(IMAGES_WITH_HEALTHCHECK)
    })
}

/// Whether the service builds a Dockerfile of its directory whose target stage has a
/// `HEALTHCHECK`: the image then brings its own check.
fn builds_with_healthcheck(service: &Node, compose: &Compose) -> bool {
    let Some(build) = service.get("build") else {
        return false;
    };
    let Some(file) = compose.surroundings.dockerfile(build) else {
        return false;
    };
    let stage = match build.get("target").and_then(Node::as_str) {
        Some(target) => file.stages.iter().find(|s| {
            s.alias
                .as_ref()
                .is_some_and(|a| a.value.eq_ignore_ascii_case(target))
        }),
        None => file.final_stage(),
    };
    stage
        .and_then(|s| file.effective(s, Kind::Healthcheck))
        .is_some_and(|found| matches!(found.instr.healthcheck(), Some(Healthcheck::Cmd(_))))
}
