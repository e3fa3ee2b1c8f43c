//! systemd units assembled from their drop-ins the way systemd assembles them, and timers
//! whose unit may come from a package: the cases that need several files on disk.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use infralint::Format;
use infralint::Selection;
use infralint::engine::lint_source;
use infralint::formats::siblings::Siblings;
use infralint::source::SourceFile;
use std::path::{Path, PathBuf};

fn dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/systemd")
        .join(case)
}

fn all() -> Selection {
    Selection {
        select: vec!["all".to_string()],
        extend_select: vec![],
        ignore: vec![],
    }
}

/// The findings of one file, named `name`, as (rule, line, message).
fn lint_as(path: &Path, name: &str) -> Vec<(String, usize, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let source = SourceFile::new(name, Some(path.to_path_buf()), text);
    let siblings = Siblings::dir(path.parent().unwrap());
    let mut out: Vec<(String, usize, String)> =
        lint_source(&source, Format::Systemd, &siblings, &all())
            .into_iter()
            .map(|f| {
                let before = source.text.get(..f.span.start as usize).unwrap_or("");
                let line = before.lines().count().max(1);
                (f.rule.to_string(), line, f.message)
            })
            .collect();
    out.sort();
    out
}

fn unit_findings(case: &str) -> Vec<(String, usize, String)> {
    lint_as(&dir(case).join("web-app.service"), "web-app.service")
}

#[test]
fn the_same_drop_in_gives_the_same_findings_in_every_directory_systemd_reads() {
    let expected = unit_findings("drop-ins-unit");
    assert!(
        !expected
            .iter()
            .any(|(rule, _, _)| rule == "systemd/missing-no-new-privileges"
                || rule == "systemd/root-service"),
        "{expected:?}"
    );
    // The type's `service.d/`, a dash prefix's `web-.service.d/`, and the same file in two of
    // them (the more specific one wins, and it is the same text) change nothing.
    for case in ["drop-ins-type", "drop-ins-prefix", "drop-ins-twice"] {
        assert_eq!(unit_findings(case), expected, "{case}");
    }
}

#[test]
fn a_drop_in_of_the_same_name_in_a_more_specific_directory_hides_the_general_one() {
    // `service.d/10-hardening.conf` would reset the user to root; the unit's own
    // `web-app.service.d/10-hardening.conf` of the same name replaces it.
    assert_eq!(
        unit_findings("drop-ins-shadowed"),
        unit_findings("drop-ins-unit")
    );
}

#[test]
fn a_drop_in_is_judged_the_same_whatever_its_displayed_name() {
    let path = dir("drop-ins-shadowed/service.d/10-hardening.conf");
    let full = lint_as(&path, "drop-ins-shadowed/service.d/10-hardening.conf");
    assert!(
        full.iter()
            .any(|(rule, _, _)| rule == "systemd/missing-no-new-privileges"),
        "{full:?}"
    );
    // A run started inside the drop-in directory displays the bare file name.
    assert_eq!(lint_as(&path, "10-hardening.conf"), full);
}

#[test]
fn a_timer_whose_unit_may_come_from_a_package_is_not_reported() {
    let timer = |case: &str| {
        lint_as(&dir(case).join("fstrim.timer"), "fstrim.timer")
            .into_iter()
            .filter(|(rule, _, _)| rule == "systemd/timer-without-unit")
            .count()
    };
    // In an OS unit directory, packages install their units beside the committed ones.
    assert_eq!(timer("timer-os-overlay/usr/lib/systemd/system"), 0);
    // Beside the repository's own services, the missing unit is expected in the repository.
    assert_eq!(timer("timer-repo"), 1);
}
