//! Stateful images whose data directory is not on a named volume.
use super::view::{image, words};
use crate::formats::compose::Project;
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

fn check(compose: &Compose, cx: &mut Ctx) {
    if is_throwaway(&cx.source().name) {
        return;
    }
    let project = Project::of(compose);
    for view in project.services.iter().filter(|v| v.complete) {
        let Some(reference) = image(&view.merged, project.env) else {
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
        let mounts = mounts(&view.merged, project.env);
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

/// A compose file for CI or tests (`docker-compose-ci.yml`, `compose.test.yaml`, or any file
/// under a `test`, `tests`, `e2e` or `e2e-tests` directory): its databases are created for one
/// run and meant to be thrown away, so keeping their data is not a goal. Only whole directory
/// names count, so a checkout under `/home/ci/` is not a test file.
fn is_throwaway(path: &str) -> bool {
    const STEM_WORDS: [&str; 5] = ["ci", "test", "tests", "e2e", "testing"];
    const DIRECTORIES: [&str; 7] = [
        "test",
        "tests",
        "testing",
        "testdata",
        "e2e",
        "e2e-tests",
        "integration-tests",
    ];
    let path = path.to_ascii_lowercase();
    let mut components = path.split(['/', '\\']).rev();
    let file = components.next().unwrap_or("");
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    stem.split(['-', '_', '.']).any(|w| STEM_WORDS.contains(&w))
        || components.any(|c| DIRECTORIES.contains(&c))
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

#[cfg(test)]
mod tests {
    use super::is_throwaway;

    #[test]
    fn ci_and_test_files_are_throwaway() {
        assert!(is_throwaway("repo/docker-compose-ci.yml"));
        assert!(is_throwaway(
            "repo/e2e-tests/docker/docker-compose-postgres.yml"
        ));
        assert!(is_throwaway("repo/tests/compose.yaml"));
        assert!(is_throwaway("compose.test.yaml"));
        assert!(!is_throwaway("repo/compose.yaml"));
        assert!(!is_throwaway("repo/docker-compose.yml"));
        assert!(!is_throwaway("repo/services/circle/compose.yaml"));
        assert!(!is_throwaway("/home/ci/project/compose.yaml"));
    }
}
