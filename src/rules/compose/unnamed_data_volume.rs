//! Stateful images whose data directory is not on a named volume.
use super::view::{image, project, words};
use crate::formats::compose::{MountKind, environment, mounts};
use crate::rules::prelude::*;
use crate::rules::shared::datastores::{data_path, stateful};
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "compose/unnamed-data-volume",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/compose/unnamed-data-volume.md"),
    check: Check::Compose(check),
};

fn check(file: &ComposeFile, cx: &mut Ctx) {
    let ComposeFile::Yaml(compose) = file else {
        return;
    };
    let project = project(compose, cx);
    for view in project.services.iter().filter(|v| v.complete) {
        let Some(reference) = image(&view.merged, &project.env) else {
            continue;
        };
        let image = ImageRef::parse(&reference);
        if image.is_unresolved() {
            continue;
        }
        let Some(known) = stateful(&image, cx.options()) else {
            continue;
        };
        let command = words(view.get("command"));
        let Some(default_path) = data_path(&image, &command, cx.options()) else {
            continue;
        };
        let path = postgres_data_dir(&view.merged, &image, &known.name).unwrap_or(default_path);
        let mounts = mounts(&view.merged, &project.env);
        // The innermost mount that holds the data decides where it lives.
        let holder = mounts
            .iter()
            .filter(|m| m.covers(&path))
            .max_by_key(|m| m.target.as_ref().map_or(0, String::len));
        let name = view.name();
        match holder {
            Some(m) if m.kind == MountKind::Volume && !m.is_anonymous() => {
                let volume = m.source.as_deref().unwrap_or("");
                cx.pass(
                    view.key().span,
                    format!("`{name}` keeps `{path}` on the named volume `{volume}`"),
                );
            }
            Some(m) if m.kind == MountKind::Bind => {}
            Some(m) if m.kind == MountKind::Tmpfs => {
                cx.report(
                    view.key().span,
                    format!("service `{name}` ({}) keeps its data in `{path}` on a tmpfs, which is lost when the container stops", known.name),
                )
                .help(help(&path));
            }
            Some(m) if m.is_anonymous() => {
                cx.report(
                    view.key().span,
                    format!(
                        "service `{name}` ({}) keeps its data in `{path}` on an anonymous volume",
                        known.name
                    ),
                )
                .help(help(&path));
            }
            Some(_) => {}
            None => {
                cx.report(
                    view.key().span,
                    format!(
                        "service `{name}` ({}) keeps its data in `{path}` without a named volume",
                        known.name
                    ),
                )
                .help(help(&path));
            }
        }
    }
}

fn help(path: &str) -> String {
    format!(
        "mount a named volume declared under top-level `volumes:` at `{path}`, such as `data:{path}`"
    )
}

/// The official PostgreSQL images keep their data in `PGDATA` when it is set, and from
/// version 18 in `/var/lib/postgresql/<major>/docker`.
fn postgres_data_dir(service: &Node, image: &ImageRef, name: &str) -> Option<String> {
    if !matches!(
        name,
        "postgres" | "postgis/postgis" | "timescale/timescaledb"
    ) {
        return None;
    }
    let pgdata = environment(service)
        .into_iter()
        .rev()
        .find(|e| e.key == "PGDATA")
        .and_then(|e| e.value)
        .map(str::trim)
        .filter(|v| v.starts_with('/'));
    if let Some(dir) = pgdata {
        return Some(dir.trim_end_matches('/').to_string());
    }
    if name != "postgres" {
        return None;
    }
    let major: u32 = image
        .tag?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    (major >= 18).then(|| format!("/var/lib/postgresql/{major}/docker"))
}
