//! The command line end to end: exit codes, discovery, output formats and flags, run over the
//! small trees in `fixtures/projects/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod support;

fn project(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/projects")
        .join(name)
}

/// `infralint` run from inside a fixture project, with a clean environment for colour.
fn infralint_in(name: &str) -> Command {
    infralint_at(&project(name))
}

/// A project whose Dockerfile is not valid UTF-8: a finding that does not depend on any rule.
/// Written at run time so that the suites reading every fixture as text are not concerned.
fn latin1_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        b"FROM alpine:3.21\nLABEL maintainer=\"Jos\xe9\"\n",
    )
    .unwrap();
    dir
}

/// `infralint` run from inside a directory.
fn infralint_at(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("infralint").unwrap();
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn clean_project_exits_zero() {
    infralint_in("clean").assert().code(0);
}

#[test]
fn fail_on_never_exits_zero_despite_findings() {
    let latin1 = latin1_project();
    infralint_at(latin1.path())
        .args(["--fail-on", "never"])
        .assert()
        .code(0);
}

#[test]
fn critical_finding_exits_one() {
    let latin1 = latin1_project();
    infralint_at(latin1.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("infralint/parse-error"));
}

#[test]
fn fail_on_threshold_is_inclusive() {
    let latin1 = latin1_project();
    infralint_at(latin1.path())
        .args(["--fail-on", "warning"])
        .assert()
        .code(1);
    infralint_at(latin1.path())
        .args(["--fail-on", "critical"])
        .assert()
        .code(1);
}

#[test]
fn missing_path_exits_two_and_names_it() {
    infralint_in("clean")
        .arg("no/such/dir")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir"));
}

#[test]
fn missing_path_does_not_stop_the_others() {
    let latin1 = latin1_project();
    let out = infralint_at(latin1.path())
        .args(["-f", "json", "Dockerfile", "missing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
}

#[test]
fn usage_errors_exit_two() {
    infralint_in("clean")
        .args(["--fail-on", "sometimes"])
        .assert()
        .code(2);
    infralint_in("clean").arg("--no-such-flag").assert().code(2);
}

#[test]
fn unknown_selector_exits_two_with_a_suggestion() {
    infralint_in("clean")
        .args(["--select", "dockr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`dockr`"))
        .stderr(predicate::str::contains("did you mean `docker`"));
    infralint_in("clean")
        .args(["--ignore", "docker,infralint/parse-eror"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `infralint/parse-error`",
        ));
}

#[test]
fn selectors_filter_findings() {
    let latin1 = latin1_project();
    infralint_at(latin1.path())
        .args(["--ignore", "infralint/parse-error"])
        .assert()
        .code(0);
    infralint_at(latin1.path())
        .args(["--select", "docker", "--select", "infralint"])
        .assert()
        .code(1);
    infralint_at(latin1.path())
        .args(["--select", "all", "--ignore", "infralint"])
        .assert()
        .code(0);
}

#[test]
fn json_has_the_documented_shape() {
    let latin1 = latin1_project();
    let json = json_of(infralint_at(latin1.path()).args(["-f", "json"]));
    let top: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(top, ["findings", "summary", "version"]);
    assert_eq!(json["version"], 1);

    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    let finding = findings[0].as_object().unwrap();
    let mut keys: Vec<&str> = finding.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "column",
            "end_column",
            "end_line",
            "help",
            "line",
            "message",
            "path",
            "rule",
            "severity"
        ]
    );
    assert_eq!(finding["rule"], "infralint/parse-error");
    assert_eq!(finding["severity"], "critical");
    assert_eq!(finding["path"], "Dockerfile");
    assert_eq!(finding["line"], 2);
    assert_eq!(finding["column"], 22);
    assert!(finding["end_line"].is_u64() && finding["end_column"].is_u64());
    assert!(finding["message"].as_str().unwrap().contains("UTF-8"));
    assert!(finding["help"].is_null() || finding["help"].is_string());

    let summary = json["summary"].as_object().unwrap();
    for key in ["files", "critical", "warning", "suggestion", "positive"] {
        assert!(summary[key].is_u64(), "summary.{key}");
    }
    assert_eq!(summary["files"], 1);
    assert_eq!(summary["critical"], 1);
}

#[test]
fn json_findings_are_well_formed_on_a_mixed_tree() {
    let json = json_of(infralint_in("mixed").args(["-f", "json", "--fail-on", "never"]));
    assert_eq!(json["version"], 1);
    let mut previous = (String::new(), 0, 0);
    for finding in json["findings"].as_array().unwrap() {
        let severity = finding["severity"].as_str().unwrap();
        assert!(["critical", "warning", "suggestion", "positive"].contains(&severity));
        let path = finding["path"].as_str().unwrap().to_string();
        assert!(!path.starts_with("./") && !path.contains('\\'), "{path}");
        let at = (
            path,
            finding["line"].as_u64().unwrap(),
            finding["column"].as_u64().unwrap(),
        );
        assert!(at.1 >= 1 && at.2 >= 1);
        assert!(at.0 > previous.0 || (at.0 == previous.0 && at.1 >= previous.1));
        previous = at;
        assert!(finding["help"].is_null() || finding["help"].is_string());
    }
    // The Dockerfile, the compose file, the manifest and the Terraform module are linted; the
    // other formats are found but not linted yet.
    assert_eq!(json["summary"]["files"], 4);
    // No source text in JSON, so the fixture's secret value never appears.
    assert!(!json.to_string().contains("hunter2"));
}

#[test]
fn show_files_honours_ignores_excludes_and_helm() {
    let out = stdout_of(infralint_in("mixed").arg("--show-files"));
    let listed: Vec<(&str, &str)> = out
        .lines()
        .map(|l| l.split_once(' ').map(|(f, p)| (f, p.trim())).unwrap())
        .collect();
    assert_eq!(
        listed,
        [
            ("docker", "app/Dockerfile"),
            ("compose", "compose.yaml"),
            ("systemd", "deploy/web.service"),
            ("kestra", "flows/hello.yml"),
            ("terraform", "infra/main.tf"),
            ("k8s", "k8s/deployment.yaml"),
        ]
    );
}

#[test]
fn show_files_paths_are_relative_to_the_current_directory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let absolute = project("clean");
    let out = stdout_of(
        Command::cargo_bin("infralint")
            .unwrap()
            .current_dir(root)
            .arg("--show-files")
            .arg(&absolute)
            .arg("./fixtures/projects/clean/api/Dockerfile"),
    );
    assert_eq!(
        out,
        "docker     fixtures/projects/clean/api/Dockerfile\n\
         k8s        fixtures/projects/clean/k8s/service.yaml\n"
    );
}

#[test]
fn gitignore_is_honoured_without_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "skipped/\n").unwrap();
    std::fs::create_dir_all(dir.path().join("skipped")).unwrap();
    std::fs::create_dir_all(dir.path().join(".hidden")).unwrap();
    std::fs::write(dir.path().join("skipped/Dockerfile"), "FROM alpine\n").unwrap();
    std::fs::write(dir.path().join(".hidden/Dockerfile"), "FROM alpine\n").unwrap();
    std::fs::write(dir.path().join(".ignore"), "*.tf\n").unwrap();
    std::fs::write(dir.path().join("main.tf"), "").unwrap();
    let out = stdout_of(
        Command::cargo_bin("infralint")
            .unwrap()
            .current_dir(dir.path())
            .arg("--show-files"),
    );
    assert_eq!(out, "docker     .hidden/Dockerfile\n");
}

#[test]
fn explicit_non_infrastructure_files_are_skipped_silently() {
    infralint_in("mixed")
        .args(["README.md", "docs/notes.yaml", "chart/values.yaml"])
        .assert()
        .code(0)
        .stderr("")
        .stdout(predicate::str::contains("No infrastructure files found."));
    infralint_in("mixed")
        .args(["chart/templates/deployment.yaml", "k8s/kustomization.yaml"])
        .arg("--show-files")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn explicit_files_are_linted_when_they_classify() {
    let latin1 = latin1_project();
    let out = stdout_of(infralint_in("mixed").args([
        "--show-files",
        "app/Dockerfile",
        "k8s/deployment.yaml",
        "README.md",
    ]));
    assert_eq!(
        out,
        "docker     app/Dockerfile\nk8s        k8s/deployment.yaml\n"
    );
    let json = json_of(infralint_at(latin1.path()).args(["-f", "json", "Dockerfile"]));
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn human_summary_is_honest_about_formats_without_rules() {
    infralint_in("mixed")
        .args(["--fail-on", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Linted 4 files (Dockerfile: 1, Docker Compose: 1, Kubernetes: 1, Terraform: 1).",
        ))
        .stdout(predicate::str::contains(
            "Found 2 more files (Kestra: 1, systemd: 1), not linted",
        ));
}

#[test]
fn no_colour_in_pipes_with_no_color_or_flag() {
    let latin1 = latin1_project();
    for (env, flag) in [(None, None), (Some("1"), None), (None, Some("--no-color"))] {
        let mut cmd = infralint_at(latin1.path());
        if let Some(value) = env {
            cmd.env("NO_COLOR", value);
        }
        if let Some(flag) = flag {
            cmd.arg(flag);
        }
        let out = cmd.output().unwrap();
        assert!(!out.stdout.contains(&0x1b), "{env:?} {flag:?}");
        assert!(!out.stderr.contains(&0x1b), "{env:?} {flag:?}");
    }
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let run = |threads: &str| {
        stdout_of(
            infralint_in("mixed")
                .env("RAYON_NUM_THREADS", threads)
                .args(["-f", "json", "--fail-on", "never"]),
        )
    };
    assert_eq!(run("1"), run("4"));
}

#[test]
fn explain_prints_the_rule_doc() {
    infralint_in("clean")
        .args(["--explain", "infralint/parse-error"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# infralint/parse-error\n"));
    infralint_in("clean")
        .args(["--explain", "infralint/parse-eror"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `infralint/parse-error`",
        ));
}

#[test]
fn list_rules_prints_id_severity_and_summary() {
    let out = stdout_of(infralint_in("clean").arg("--list-rules"));
    let line = out
        .lines()
        .find(|l| l.starts_with("infralint/parse-error "))
        .expect("parse-error listed");
    assert!(line.contains(" critical "), "{line}");
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
}

#[test]
fn closed_stdout_ends_quietly() {
    for args in [
        &["--show-files"][..],
        &["--list-rules"][..],
        &["--fail-on", "never"][..],
        &["-f", "json", "--fail-on", "never"][..],
    ] {
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("infralint"))
            .current_dir(project("mixed"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the program writes anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn mixed_project_human_output() {
    let out = stdout_of(infralint_in("mixed").args(["--fail-on", "never", "--show-positive"]));
    assert!(
        !out.contains("hunter2"),
        "a secret value reached the output"
    );
    insta::assert_snapshot!("mixed_human", out);
}

#[test]
fn mixed_project_json_output() {
    // The raw text, so that the snapshot also pins the order of the keys.
    let out = stdout_of(infralint_in("mixed").args(["-f", "json", "--fail-on", "never"]));
    insta::assert_snapshot!("mixed_json", out);
}

#[test]
fn findings_of_the_projects_follow_the_conventions() {
    let paths = [project("mixed"), project("clean")];
    let report = infralint::lint_paths(&paths, &infralint::Options::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    for file in &report.files {
        for finding in &file.findings {
            support::check_conventions(&file.source, finding)
                .unwrap_or_else(|e| panic!("{}: {e}", file.source.name));
        }
    }
}

#[test]
fn oversized_files_get_one_parse_error_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("Dockerfile")).unwrap();
    file.set_len(infralint::MAX_FILE_SIZE + 1).unwrap();
    let json = json_of(infralint_at(dir.path()).args(["-f", "json"]));
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["rule"], "infralint/parse-error");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{} bytes", infralint::MAX_FILE_SIZE + 1)),
        "{message}"
    );
    assert!(message.contains("16 MiB"), "{message}");
}

#[test]
fn unreadable_files_are_errors_and_the_others_are_still_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = latin1_project();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let secret = locked.join("Dockerfile");
    std::fs::write(&secret, "FROM alpine:3.21\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut cmd = if std::fs::read(&secret).is_ok() {
        // Root reads any file whatever its mode, so run as an unprivileged user: the binary and
        // the project are made reachable for it, all but the locked file.
        let bin = dir.path().join("infralint-bin");
        std::fs::copy(assert_cmd::cargo::cargo_bin("infralint"), &bin).unwrap();
        for path in [dir.path(), locked.as_path()] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::set_permissions(
            dir.path().join("Dockerfile"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .current_dir(dir.path());
        cmd
    } else {
        infralint_at(dir.path())
    };
    let out = cmd.args(["-f", "json", "."]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("locked/Dockerfile"), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["critical"], 1);
}
