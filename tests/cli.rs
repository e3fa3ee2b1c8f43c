//! The command line end to end: exit codes, discovery, output formats and flags, run over the
//! small trees in `fixtures/projects/`.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

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

/// `infralint` run from inside a directory, with a clean environment for colour. The fixture
/// projects stand for repositories of their own: the files around them in this repository are
/// not their context.
fn infralint_at(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("infralint").unwrap();
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .arg("--no-context");
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
    // Every format is linted: the Dockerfile, the compose file, the manifest, the systemd unit,
    // the Kestra flow and the Terraform module.
    assert_eq!(json["summary"]["files"], 6);
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
fn explicit_non_infrastructure_files_are_skipped_with_a_note() {
    infralint_in("mixed")
        .args(["README.md", "docs/notes.yaml", "chart/values.yaml"])
        .assert()
        .code(0)
        .stderr(
            "infralint: skipped README.md: its name is not that of an infrastructure file\n\
             infralint: skipped docs/notes.yaml: its content is not a Kubernetes manifest, \
             Kestra flow, compose file or CI pipeline\n\
             infralint: skipped chart/values.yaml: its content is not a Kubernetes manifest, \
             Kestra flow, compose file or CI pipeline\n",
        )
        .stdout(predicate::str::contains("No infrastructure files found."));
    infralint_in("mixed")
        .args(["chart/templates/deployment.yaml", "k8s/kustomization.yaml"])
        .arg("--show-files")
        .assert()
        .code(0)
        .stderr(
            "infralint: skipped chart/templates/deployment.yaml: it is a Helm chart template, \
             which is not YAML until it is rendered\n\
             infralint: skipped k8s/kustomization.yaml: a Kustomize configuration is not linted\n",
        )
        .stdout("");
    // The note does not change the exit code the findings give, and directories say nothing of
    // the files they hold that are not infrastructure.
    infralint_in("mixed")
        .args([
            "--select",
            "k8s",
            "--fail-on",
            "warning",
            "README.md",
            "k8s",
        ])
        .assert()
        .code(1)
        .stderr("infralint: skipped README.md: its name is not that of an infrastructure file\n");
}

/// Every name hadolint takes for a Dockerfile is one, found in a directory or named explicitly;
/// a compose-named Kestra flow is Kestra; a manifest with Prometheus template text in its
/// strings is linted, a Helm template is not.
#[test]
fn classification_by_name_and_content() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |name: &str, text: &str| {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    for name in [
        "Dockerfile-alpine",
        "Dockerfile_alpine",
        "alpine.Dockerfile",
    ] {
        write(&format!("docker/{name}"), "FROM alpine:3.21\n");
    }
    write(
        "docker/Dockerfile-linux.template",
        "{{ def x: 1; }}\nFROM x\n",
    );
    write(
        "flows/docker-compose-deploy.yml",
        "id: deploy\nnamespace: ops\ntasks:\n  - id: up\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands: [docker compose up -d]\n",
    );
    write(
        "monitoring/alerts.yaml",
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: node\nspec:\n  groups:\n    - name: node\n      rules:\n        - alert: NodeDown\n          expr: up == 0\n          annotations:\n            summary: \"{{ $labels.instance }} is down\"\n            description: |\n              {{ $labels.instance }} has been down for 5 minutes.\n",
    );
    write(
        "helm/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    let out = stdout_of(infralint_at(root).arg("--show-files"));
    assert_eq!(
        out,
        "docker     docker/Dockerfile-alpine\n\
         docker     docker/Dockerfile_alpine\n\
         docker     docker/alpine.Dockerfile\n\
         kestra     flows/docker-compose-deploy.yml\n\
         k8s        monitoring/alerts.yaml\n"
    );
    infralint_at(root)
        .args([
            "--show-files",
            "docker/Dockerfile_alpine",
            "helm/deployment.yaml",
        ])
        .assert()
        .code(0)
        .stdout("docker     docker/Dockerfile_alpine\n")
        .stderr(
            "infralint: skipped helm/deployment.yaml: it is a Go template (Helm), which is not \
             YAML until it is rendered\n",
        );
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
fn human_summary_counts_the_files_linted_per_format() {
    infralint_in("mixed")
        .args(["--fail-on", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Linted 6 files (Dockerfile: 1, Docker Compose: 1, Kubernetes: 1, Kestra: 1, systemd: 1, Terraform: 1).",
        ))
        .stdout(predicate::str::contains("not linted").not());
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
    for format in support::OUTPUT_FORMATS {
        let run = |threads: &str| {
            infralint_in("mixed")
                .env("RAYON_NUM_THREADS", threads)
                .args(["-f", format, "--fail-on", "never", "--show-positive"])
                .output()
                .unwrap()
                .stdout
        };
        let first = run("2");
        assert!(!first.is_empty(), "{format}");
        assert!(first == run("2"), "{format}: two runs differ");
        assert!(first == run("1"), "{format}: one thread differs from two");
    }
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
    // The default flag of every rule, as the registry has it.
    for rule in infralint::rules::all() {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(rule.id))
            .unwrap_or_else(|| panic!("{} not listed", rule.id));
        let flag = line.split_whitespace().nth(2);
        assert_eq!(
            flag,
            Some(if rule.default { "on" } else { "off" }),
            "{line}"
        );
    }
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
    let settings = infralint::Settings {
        context: false,
        ..infralint::Settings::default()
    };
    let (report, _) = infralint::lint_paths(&paths, &settings);
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

/// The mixed project's output in one format, with the process's exit code checked.
fn mixed_output(format: &str) -> String {
    let out = infralint_in("mixed")
        .args(["-f", format, "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{format}");
    let text = String::from_utf8(out.stdout).unwrap();
    // SARIF carries the rule docs, whose examples are not secrets of the project.
    if format != "sarif" {
        assert!(!text.contains("hunter2"), "{format}: a secret value leaked");
    }
    text
}

#[test]
fn mixed_project_sarif_output() {
    let mut sarif: Value = serde_json::from_str(&mixed_output("sarif")).unwrap();
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    // Every rule that ran is described, in registry order, with its doc: the project has a
    // file of every format but CI, and the default selection ran with the default profile (a
    // rule of another profile does not run, so it is not listed), without the rule of
    // `--render`, which was not given.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let registry: Vec<&str> = infralint::rules::all()
        .iter()
        .filter(|r| {
            r.default
                && !r.id.starts_with("ci/")
                && r.profile().is_none()
                && r.id != "infralint/render-refused"
        })
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, registry);
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .ends_with('.')
        );
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .starts_with(&format!("# {id}"))
        );
        // A help address exists only when the package names its repository.
        match rule["helpUri"].as_str() {
            Some(uri) => assert!(uri.ends_with(&format!("/rules/{id}.md")), "{uri}"),
            None => assert!(env!("CARGO_PKG_REPOSITORY").is_empty()),
        }
    }
    // The snapshot pins the results; versions and rule docs change on their own schedule.
    driver["rules"] = "(checked above)".into();
    driver["version"] = "(version)".into();
    driver["semanticVersion"] = "(version)".into();
    // Each result points at its rule's descriptor; the index itself moves whenever a rule is
    // added, so it is checked here and left out of the snapshot.
    let results = sarif["runs"][0]["results"].as_array_mut().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"], registry[index]);
        result["ruleIndex"] = "(checked above)".into();
    }
    let shown = serde_json::to_string_pretty(&sarif).unwrap();
    assert!(!shown.contains("hunter2"), "a secret value leaked");
    insta::assert_snapshot!("mixed_sarif", shown);
}

/// One line a finding, each naming its severity in words, then the human summary.
#[test]
fn mixed_project_concise_output() {
    let text = mixed_output("concise");
    let human = mixed_output("human");
    let summary = &human[human.find("Linted ").unwrap()..];
    assert!(text.ends_with(summary), "{text}");
    for line in text.strip_suffix(summary).unwrap().lines() {
        let severity = line.split(": ").nth(1).unwrap_or("");
        assert!(
            ["critical ", "warning ", "suggestion "]
                .iter()
                .any(|s| severity.starts_with(s)),
            "{line}"
        );
    }
    insta::assert_snapshot!("mixed_concise", text);
}

#[test]
fn mixed_project_github_output() {
    insta::assert_snapshot!("mixed_github", mixed_output("github"));
}

#[test]
fn mixed_project_gitlab_output() {
    insta::assert_snapshot!("mixed_gitlab", mixed_output("gitlab"));
}

#[test]
fn mixed_project_junit_output() {
    insta::assert_snapshot!("mixed_junit", mixed_output("junit"));
}

#[test]
fn mixed_project_markdown_output() {
    let out = mixed_output("markdown");
    assert_inert_markdown(&out);
    insta::assert_snapshot!("mixed_markdown", out);
}

/// Checks a Markdown review line by line, as CommonMark reads backslash escapes and code spans:
/// every code span closes on its line, and outside code spans there is no HTML but the
/// `<details>` blocks of the review, no raw `&`, no heading or block of raw HTML that the review
/// did not write, and every inline link goes to a file of the project.
fn assert_inert_markdown(out: &str) {
    for line in out.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            assert!(
                trimmed == "## infralint review" || trimmed.starts_with("### "),
                "{line}"
            );
        }
        if trimmed.starts_with('<') {
            assert!(
                trimmed.starts_with("<details><summary>") || trimmed == "</details>",
                "{line}"
            );
        }
        let chars: Vec<char> = line.chars().collect();
        let run = |from: usize| chars[from..].iter().take_while(|&&c| c == '`').count();
        let mut outside = String::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' => {
                    outside.push('_');
                    i += 2;
                }
                '`' => {
                    let n = run(i);
                    let mut j = i + n;
                    loop {
                        assert!(j < chars.len(), "unclosed code span in: {line}");
                        if chars[j] == '`' {
                            let m = run(j);
                            j += m;
                            if m == n {
                                break;
                            }
                        } else {
                            j += 1;
                        }
                    }
                    outside.push('C');
                    i = j;
                }
                c => {
                    outside.push(c);
                    i += 1;
                }
            }
        }
        let text = outside
            .replace("<details><summary>", "")
            .replace("</summary>", "")
            .replace("</details>", "");
        assert!(!text.contains(['<', '>']), "raw HTML in: {line}");
        let entities = text
            .replace("&amp;", "")
            .replace("&lt;", "")
            .replace("&gt;", "");
        assert!(!entities.contains('&'), "raw `&` in: {line}");
        for (at, _) in text.match_indices("](") {
            assert!(
                text[at + 2..].starts_with("fixtures/projects/"),
                "a link out of the project in: {line}"
            );
        }
    }
}

#[test]
fn the_markdown_check_catches_break_outs() {
    assert_inert_markdown("- `a` b \\<c\\> `d|e` [`x:1`](fixtures/projects/x#L1) &amp;");
    for bad in [
        "- `a` <img src=x>",
        "- `a`` b",
        "- x & y",
        "- [`x`](javascript:alert(1))",
        "<script>",
        "# heading",
    ] {
        let caught = std::panic::catch_unwind(|| assert_inert_markdown(bad));
        assert!(caught.is_err(), "not caught: {bad}");
    }
}

#[test]
fn markdown_review_keeps_hostile_names_inert() {
    let out = infralint_in("hostile")
        .args([
            "-f",
            "markdown",
            "--fail-on",
            "warning",
            "--max-per-rule",
            "2",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("hunter2"), "a secret value leaked");
    assert_inert_markdown(&text);
    assert!(
        text.contains("❌ **Fails the gate** at `--fail-on warning`"),
        "{text}"
    );
    assert!(
        text.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{text}"
    );
    assert!(
        text.contains("<summary>The first 2 of 3 locations</summary>"),
        "{text}"
    );
    assert!(text.contains("  - and 1 more"), "{text}");
    insta::assert_snapshot!("hostile_markdown", text);
}

#[test]
fn markdown_review_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.md");
    infralint_in("mixed")
        .args([
            "-f",
            &format!("markdown={}", path.display()),
            "--fail-on",
            "never",
        ])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("## infralint review\n\nℹ️ **Report only**"),
        "{text}"
    );
    assert!(text.contains("### Estimated resources"), "{text}");
}

#[test]
fn mixed_project_json_lines_output() {
    let out = mixed_output("json-lines");
    for line in out.lines() {
        let finding: Value = serde_json::from_str(line).unwrap();
        assert!(finding["rule"].is_string(), "{line}");
    }
    insta::assert_snapshot!("mixed_json_lines", out);
}

#[test]
fn fingerprints_are_stable_across_runs_and_line_shifts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nUSER root\n",
    )
    .unwrap();
    let prints = |dir: &Path| -> Vec<String> {
        let sarif = json_of(infralint_at(dir).args(["-f", "sarif", "--fail-on", "never"]));
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["infralint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let first = prints(dir.path());
    assert_eq!(first, prints(dir.path()));
    std::fs::write(
        dir.path().join("Dockerfile"),
        "# a comment\n\nFROM alpine:3.20\nUSER   root\n",
    )
    .unwrap();
    assert_eq!(first, prints(dir.path()));
}

#[test]
fn several_outputs_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    infralint_in("mixed")
        .args(["-f", "human", "--fail-on", "never"])
        .arg("-f")
        .arg(format!("sarif={}", sarif.display()))
        .arg(format!("--format=junit={}", junit.display()))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Findings:"));
    let log: Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .starts_with("<?xml")
    );
    infralint_in("mixed")
        .args(["-f", "json", "-f", "sarif"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "only one output format can go to stdout",
        ));
    infralint_in("mixed")
        .args(["-f", "xml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown format `xml`"));
}

#[test]
fn github_columns_only_for_one_line_ranges() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nRUN echo one \\\n  && echo two\nUSER root\n",
    )
    .unwrap();
    let out = stdout_of(infralint_at(dir.path()).args(["-f", "github", "--fail-on", "never"]));
    for line in out.lines() {
        assert!(line.starts_with("::"), "{line}");
        let properties = line.split("::").nth(1).unwrap();
        assert_eq!(
            properties.contains(",col="),
            !properties.contains("endLine="),
            "{line}"
        );
    }
    assert!(
        out.contains("::error file=Dockerfile,line=4,col=1,endColumn=10,title=docker/root-user::"),
        "{out}"
    );
}

/// A project with a configuration file, built at run time.
fn configured(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("infralint.toml"), config).unwrap();
    for sub in ["app", "legacy", "vendor/lib"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("Dockerfile"),
            // A service (it exposes a port), so `docker/missing-healthcheck` applies.
            "FROM alpine:3.20\nUSER root\nEXPOSE 8080\n",
        )
        .unwrap();
    }
    dir
}

fn rules_by_path(json: &Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "positive")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn configuration_is_found_upward_and_applied() {
    let dir = configured(
        r#"
fail-on = "warning"
exclude = ["vendor"]
[rules]
select = ["docker/root-user", "docker/missing-healthcheck"]
severity = { "docker/missing-healthcheck" = "suggestion" }
[per-path-ignores]
"legacy/**" = ["docker/root-user"]
"#,
    );
    // Run from a subdirectory: the file is found upward, and its globs stay relative to it.
    let json = json_of(infralint_at(&dir.path().join("app")).args([
        "-f",
        "json",
        ".",
        "../legacy",
        "../vendor/lib/Dockerfile",
    ]));
    assert_eq!(
        rules_by_path(&json),
        [
            (
                "../legacy/Dockerfile".into(),
                "docker/missing-healthcheck".into(),
                "suggestion".into()
            ),
            (
                "Dockerfile".into(),
                "docker/missing-healthcheck".into(),
                "suggestion".into()
            ),
            (
                "Dockerfile".into(),
                "docker/root-user".into(),
                "critical".into()
            ),
        ]
    );
    // fail-on = "warning" from the file; the flag wins over it.
    infralint_at(dir.path()).arg("legacy").assert().code(0);
    infralint_at(dir.path()).arg("app").assert().code(1);
    infralint_at(dir.path())
        .args(["app", "--fail-on", "never"])
        .assert()
        .code(0);
    // --no-config: every rule, and the excluded file is linted again.
    let json = json_of(infralint_at(dir.path()).args(["-f", "json", "--no-config", "vendor"]));
    let found = rules_by_path(&json);
    assert!(
        found
            .iter()
            .any(|f| f.1 == "docker/missing-healthcheck" && f.2 == "warning"),
        "{json}"
    );
    assert!(
        found.iter().all(|f| f.0 == "vendor/lib/Dockerfile"),
        "{json}"
    );
    // --ignore adds to the file's ignores; --select replaces its select.
    let json = json_of(infralint_at(dir.path()).args([
        "-f",
        "json",
        "app",
        "--ignore",
        "docker/root-user",
    ]));
    assert_eq!(rules_by_path(&json).len(), 1);
    let json = json_of(infralint_at(dir.path()).args([
        "-f",
        "json",
        "app",
        "--select",
        "docker/missing-healthcheck",
    ]));
    let rules: Vec<String> = rules_by_path(&json).into_iter().map(|r| r.1).collect();
    assert_eq!(rules, ["docker/missing-healthcheck"]);
}

#[test]
fn an_explicit_config_file_and_show_config() {
    let dir = configured("fail-on = \"never\"\n");
    let other = dir.path().join("strict.toml");
    std::fs::write(
        &other,
        "fail-on = \"suggestion\"\n[options]\nnonroot-base-images = [\"acme/*\"]\n",
    )
    .unwrap();
    infralint_at(dir.path()).arg("app").assert().code(0);
    infralint_at(dir.path())
        .arg("app")
        .arg("--config")
        .arg(&other)
        .assert()
        .code(1);
    let shown = stdout_of(
        infralint_at(dir.path())
            .arg("--config")
            .arg(&other)
            .arg("--show-config"),
    );
    assert!(shown.contains("strict.toml"), "{shown}");
    assert!(shown.contains("fail-on = \"suggestion\""), "{shown}");
    assert!(
        shown.contains("nonroot-base-images = [\"acme/*\"]"),
        "{shown}"
    );
    infralint_at(dir.path())
        .args(["--config", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn configuration_errors_exit_two_with_the_location() {
    let dir = configured("fail-on = \"warning\"\n[rules]\nignore = [\"docker/root-usr\"]\n");
    infralint_at(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("infralint.toml:3:11"))
        .stderr(predicate::str::contains("did you mean `docker/root-user`"));
    let dir = configured("[options]\nsecret-file-pattern = []\n");
    infralint_at(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("infralint.toml:2:1"))
        .stderr(predicate::str::contains(
            "did you mean `secret-file-patterns`",
        ));
}

#[test]
fn inline_suppressions_and_no_inline_ignores() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\n# infralint: ignore[docker/root-user] needs port 80 on this host\nUSER root\n",
    )
    .unwrap();
    infralint_at(dir.path()).assert().code(0);
    infralint_at(dir.path())
        .arg("--no-inline-ignores")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("docker/root-user"));
}

#[test]
fn baseline_hides_known_findings_and_counts_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::write(root.join("app/Dockerfile"), "FROM alpine:3.20\nUSER root\n").unwrap();
    infralint_at(root)
        .args(["--write-baseline", "infralint-baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("wrote"));
    let baseline: Value =
        serde_json::from_slice(&std::fs::read(root.join("infralint-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 2);
    let entry = &baseline["findings"][0];
    assert_eq!(entry["path"], "app/Dockerfile");
    assert!(entry["fingerprint"].is_string() && entry["rule"].is_string());

    // Lines shift and the baseline still matches, from another directory too.
    std::fs::write(
        root.join("app/Dockerfile"),
        "# base\nFROM alpine:3.20\n\nUSER root\n",
    )
    .unwrap();
    infralint_at(&root.join("app"))
        .args(["--baseline", "../infralint-baseline.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("The baseline hid"));
    // A new finding is reported; a fixed one makes an entry stale.
    std::fs::write(
        root.join("app/Dockerfile"),
        "FROM alpine:3.20\nUSER 10001\nENV API_TOKEN=abcdef0123456789\n",
    )
    .unwrap();
    let out = infralint_at(root)
        .args(["--baseline", "infralint-baseline.json", "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<String> = rules_by_path(&json).into_iter().map(|r| r.1).collect();
    assert_eq!(rules, ["docker/hardcoded-secret"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 of its entries no longer matches"),
        "{stderr}"
    );
    infralint_at(root)
        .args(["--baseline", "missing.json"])
        .assert()
        .code(2);
}

#[test]
fn resources_summary_sums_limits_times_replicas_with_headroom() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx:1.27.3\n    deploy:\n      replicas: 2\n      resources:\n        limits: {memory: 256m, cpus: '0.5'}\n  db:\n    image: postgres:16.4\n    mem_limit: 256m\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("infralint.toml"),
        "[options]\nhost-memory = \"2GiB\"\nhost-cpus = 2\n",
    )
    .unwrap();
    let out = stdout_of(infralint_at(dir.path()).args(["--summary", "resources"]));
    assert!(out.starts_with("Estimated resources"), "{out}");
    assert!(!out.contains("Findings:"), "{out}");
    assert!(
        out.contains(
            "total: memory limits 768 MiB; CPU limits 1 (a lower bound: 1 of 2 without a limit)"
        ),
        "{out}"
    );
    assert!(
        out.contains("Host: 1.2 GiB of 2 GiB memory left, 1 of 2 CPUs left (at most: some entries have no limit)"),
        "{out}"
    );
    let json = json_of(infralint_at(dir.path()).args(["-f", "json", "--fail-on", "never"]));
    assert_eq!(
        json["resources"]["total"]["memory_limit_bytes"],
        768 * 1024 * 1024
    );
    assert_eq!(json["resources"]["total"]["unbounded_cpu"], 1);
}

/// Helm charts and Kustomize overlays met in a walk are told once for the run: in the human
/// summary, as `notices` in JSON and as a run notification in SARIF. A chart vendored in another
/// chart's `charts/`, a base that an overlay uses and a component are not listed.
#[test]
fn unrendered_charts_and_overlays_are_told() {
    let human = stdout_of(infralint_in("rendered").args(["--fail-on", "never", "--no-color"]));
    let summary: String = human
        .lines()
        .skip_while(|line| !line.starts_with("Linted "))
        .map(|line| format!("{line}\n"))
        .collect();
    insta::assert_snapshot!("rendered_summary", summary);
    let json = json_of(infralint_in("rendered").args(["-f", "json", "--fail-on", "never"]));
    insta::assert_json_snapshot!("rendered_json_notices", json["notices"]);
    let sarif = json_of(infralint_in("rendered").args(["-f", "sarif", "--fail-on", "never"]));
    insta::assert_json_snapshot!(
        "rendered_sarif_invocations",
        sarif["runs"][0]["invocations"]
    );
    // A run that meets none has no such key.
    let plain = json_of(infralint_in("clean").args(["-f", "json", "--fail-on", "never"]));
    assert!(plain.get("notices").is_none(), "{plain}");
}
