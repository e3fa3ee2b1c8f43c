//! Targets and context: linting some files of a repository reports on them exactly what a run
//! over the whole repository reports on them. Each fixture directory of a format whose rules
//! read other files (Terraform modules, compose projects, systemd drop-ins and timers, GitLab
//! includes, the local workflows and actions a GitHub workflow calls, Kubernetes and Kestra
//! run-wide facts) is copied into a repository of its own, and every file of it is linted alone.
#![allow(unused_crate_dependencies)]
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infralint::Settings;

/// Copy a directory tree.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Every file under `dir`, sorted.
fn files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != ".git") {
                    stack.push(path);
                }
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A fixture directory copied into a new repository (a directory holding `.git`).
fn repository(fixture: &str) -> std::io::Result<tempfile::TempDir> {
    let repo = tempfile::tempdir()?;
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    copy_tree(&from, repo.path())?;
    std::fs::create_dir(repo.path().join(".git"))?;
    Ok(repo)
}

/// What a run reports, by file: rule, span, severity and message of every finding.
type Findings = BTreeMap<String, Vec<String>>;

fn findings(paths: &[PathBuf], settings: &Settings) -> Findings {
    let (report, _) = infralint::lint_paths(paths, settings);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
        .files
        .iter()
        .map(|file| {
            let lines = file
                .findings
                .iter()
                .map(|f| {
                    format!(
                        "{} {}..{} {:?} {}",
                        f.rule, f.span.start, f.span.end, f.severity, f.message
                    )
                })
                .collect();
            (file.source.name.clone(), lines)
        })
        .collect()
}

/// Every rule, so that rules off by default are compared too.
fn settings(context: bool) -> Settings {
    Settings {
        context,
        selection: infralint::Selection {
            select: vec!["all".to_string()],
            ..infralint::Selection::default()
        },
        ..Settings::default()
    }
}

/// Lint each file of the fixture alone and compare with the whole run; return how many files
/// differ when linted alone without context (to show the fixture needs its context).
fn assert_subsets_match(fixture: &str) -> usize {
    let repo = repository(fixture).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let whole = findings(&[repo.path().to_path_buf()], &settings(true));
    let mut differ_without = 0;
    for file in files(repo.path()).unwrap_or_else(|e| panic!("{fixture}: {e}")) {
        let alone = findings(std::slice::from_ref(&file), &settings(true));
        for (name, got) in &alone {
            let want = whole.get(name).cloned().unwrap_or_default();
            assert_eq!(
                got, &want,
                "{fixture}: {name} linted alone differs from the whole run"
            );
        }
        let bare = findings(std::slice::from_ref(&file), &settings(false));
        if bare.iter().any(|(name, got)| whole.get(name) != Some(got)) {
            differ_without += 1;
        }
    }
    differ_without
}

#[test]
fn a_terraform_file_is_linted_with_its_module() {
    for fixture in [
        "terraform/clean-network",
        "terraform/real-module-repo",
        "terraform/real-web-stack",
    ] {
        assert_subsets_match(fixture);
    }
    // Without its module, a configuration file misses its tags' defaults, and an example is
    // taken for a production root.
    assert!(assert_subsets_match("terraform/clean-network") > 0);
    assert!(assert_subsets_match("terraform/real-module-repo") > 0);
}

#[test]
fn a_kubernetes_manifest_is_linted_with_the_repository_facts() {
    for fixture in [
        "k8s/clean-shop",
        "k8s/clean-patches",
        "k8s/real-overlay",
        "k8s/real-legacy-storefront",
        "k8s/real-node-agents",
        "k8s/real-wordpress",
    ] {
        assert_subsets_match(fixture);
    }
    assert!(assert_subsets_match("k8s/real-overlay") > 0);
}

#[test]
fn a_kestra_flow_is_linted_with_the_flows_that_watch_it() {
    for fixture in [
        "kestra/alerting",
        "kestra/clean-orders",
        "kestra/real-data-platform",
        "kestra/real-legacy-etl",
    ] {
        assert_subsets_match(fixture);
    }
    assert!(assert_subsets_match("kestra/alerting") > 0);
}

#[test]
fn a_compose_file_is_linted_with_its_project() {
    for fixture in [
        "compose/clean-webapp",
        "compose/real-homelab",
        "compose/real-homelab-edge",
        "compose/real-override",
    ] {
        assert_subsets_match(fixture);
    }
}

#[test]
fn a_systemd_unit_is_linted_with_its_drop_ins_and_timers() {
    for fixture in [
        "systemd/clean-webapp",
        "systemd/drop-ins-prefix",
        "systemd/drop-ins-shadowed",
        "systemd/drop-ins-twice",
        "systemd/drop-ins-type",
        "systemd/drop-ins-unit",
        "systemd/real-homelab",
        "systemd/real-homelab-jobs",
        "systemd/real-vpn",
        "systemd/timer-os-overlay",
        "systemd/timer-repo",
    ] {
        assert_subsets_match(fixture);
    }
}

#[test]
fn a_gitlab_file_is_linted_with_its_pipeline() {
    for fixture in [
        "ci/clean-github",
        "ci/clean-gitlab",
        "ci/real-github-oss",
        "ci/real-gitlab-legacy",
    ] {
        assert_subsets_match(fixture);
    }
}

#[test]
fn a_github_workflow_is_linted_with_the_local_workflows_and_actions_it_calls() {
    assert_subsets_match("ci/clean-github-local-calls");
}

/// The context is never reported on, and a file given twice (as itself and through its
/// directory) is reported once.
#[test]
fn only_the_targets_are_reported() {
    let repo = repository("terraform/real-module-repo").unwrap();
    let target = repo.path().join("examples/basic/main.tf");
    let alone = findings(std::slice::from_ref(&target), &settings(true));
    let names: Vec<&String> = alone.keys().collect();
    assert!(
        matches!(names.as_slice(), [name] if name.ends_with("examples/basic/main.tf")),
        "{names:?}"
    );
    let twice = findings(
        &[target.clone(), repo.path().join("examples/basic")],
        &settings(true),
    );
    let whole = findings(&[repo.path().join("examples/basic")], &settings(true));
    assert_eq!(twice, whole);
}
