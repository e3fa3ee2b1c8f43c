//! Standard input end to end: `infralint -` on the four formats a stream is told by, on a name
//! given with `--stdin-filename`, on rendered Helm output (findings attributed by `# Source:`)
//! and Kustomize output, on unreadable streams, and with every output format, the baseline and
//! the configuration.
#![allow(unused_crate_dependencies)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/stdin")
            .join(name),
    )
    .unwrap()
}

/// A directory without configuration to run in: configuration is found from the current
/// directory, as for `.`.
fn workdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// `infralint` run in `dir` with `input` on standard input.
fn run_in(dir: &Path, input: &[u8], args: &[&str]) -> std::process::Output {
    Command::cargo_bin("infralint")
        .unwrap()
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .write_stdin(input.to_vec())
        .output()
        .unwrap()
}

/// A run's findings, one line each (path:line:column rule severity: message), then its exit
/// code and what it wrote on stderr, from `-f json-lines` with every rule selected.
fn lines(dir: &Path, input: &[u8], args: &[&str]) -> String {
    let mut all = vec!["-f", "json-lines", "--select", "all"];
    all.extend_from_slice(args);
    let out = run_in(dir, input, &all);
    let mut text = String::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let f: Value = serde_json::from_str(line).unwrap();
        text.push_str(&support::json_finding_line(&f));
    }
    text.push_str(&format!("exit: {}\n", out.status.code().unwrap()));
    let stderr = String::from_utf8(out.stderr).unwrap();
    if !stderr.is_empty() {
        text.push_str(&format!("stderr: {stderr}"));
    }
    text
}

/// The JSON report of a run.
fn json(dir: &Path, input: &[u8], args: &[&str]) -> Value {
    let mut all = vec!["-f", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&run_in(dir, input, &all).stdout).unwrap()
}

/// The rule ids of a JSON report's findings, positive ones left out.
fn rules_of(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "positive")
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_kubernetes_stream_is_told_by_its_content() {
    let dir = workdir();
    insta::assert_snapshot!(lines(dir.path(), &fixture("kustomize-build.yaml"), &["-"]));
}

/// Kustomize output has no `# Source:` comments: one file `-`, whose findings name the object
/// they are about.
#[test]
fn kustomize_output_is_one_file_with_object_names() {
    let dir = workdir();
    let report = json(dir.path(), &fixture("kustomize-build.yaml"), &["-"]);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["path"] == "-"));
    let message = |rule: &str| {
        findings
            .iter()
            .find(|f| f["rule"] == rule && f["severity"] != "positive")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(message("k8s/missing-network-policy").contains("`Deployment/prod-api`"));
    assert!(message("k8s/missing-resource-limits").contains("`CronJob/prod-report`"));
    // Every finding names its object as `Kind/name`; the overlay prefixes each name with `prod-`.
    for f in findings.iter().filter(|f| f["severity"] != "positive") {
        let message = f["message"].as_str().unwrap();
        let named = message.split('`').any(|word| {
            word.split_once('/').is_some_and(|(kind, name)| {
                kind.starts_with(|c: char| c.is_ascii_uppercase()) && name.starts_with("prod-")
            })
        });
        assert!(named, "{}: {message}", f["rule"]);
    }
}

#[test]
fn a_kestra_flow_is_told_by_its_content() {
    let dir = workdir();
    insta::assert_snapshot!(lines(dir.path(), &fixture("kestra-flow.yaml"), &["-"]));
}

#[test]
fn a_compose_file_is_told_by_its_content() {
    let dir = workdir();
    insta::assert_snapshot!(lines(dir.path(), &fixture("compose.yaml"), &["-"]));
}

#[test]
fn a_dockerfile_is_told_by_its_content() {
    let dir = workdir();
    insta::assert_snapshot!(lines(dir.path(), &fixture("Dockerfile"), &["-"]));
}

/// The name decides the format, as a file's would, and names the findings: here a stream that
/// content alone would not tell (a dotenv file).
#[test]
fn stdin_filename_decides_the_format_and_the_path() {
    let dir = workdir();
    let dotenv = b"POSTGRES_PASSWORD=Zk8vQm2pLx9wRt4n\nLOG_LEVEL=info\n";
    insta::assert_snapshot!(format!(
        "{}{}",
        lines(
            dir.path(),
            &fixture("Dockerfile"),
            &["-", "--stdin-filename", "app/Dockerfile"]
        ),
        lines(dir.path(), dotenv, &["-", "--stdin-filename", ".env"]),
    ));
    assert!(lines(dir.path(), dotenv, &["-"]).contains("exit: 2"));
}

/// A name that is not an infrastructure file's is a usage error; a YAML name whose content is
/// not infrastructure is skipped with a note, as the file would be.
#[test]
fn stdin_filename_that_is_not_infrastructure() {
    let dir = workdir();
    insta::assert_snapshot!(format!(
        "{}{}",
        lines(
            dir.path(),
            &fixture("Dockerfile"),
            &["-", "--stdin-filename", "README.md"]
        ),
        lines(
            dir.path(),
            b"replicaCount: 2\n",
            &["-", "--stdin-filename", "values.yaml"]
        ),
    ));
}

#[test]
fn helm_output_is_attributed_to_its_templates() {
    let dir = workdir();
    insta::assert_snapshot!(lines(dir.path(), &fixture("helm-template.yaml"), &["-"]));
}

/// The human report shows the rendered text of each template, and the summary counts one file
/// per template: the two ConfigMaps of `configmaps.yaml` are one file.
#[test]
fn helm_output_in_the_human_report() {
    let dir = workdir();
    let out = run_in(dir.path(), &fixture("helm-template.yaml"), &["-"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// Every output format takes the stream's findings, with the template paths and the rendered
/// output marked in every message.
#[test]
fn helm_output_in_every_format() {
    let dir = workdir();
    for format in support::OUTPUT_FORMATS {
        let out = run_in(
            dir.path(),
            &fixture("helm-template.yaml"),
            &["-", "-f", format],
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("web/templates/deployment.yaml"), "{format}");
        assert!(text.contains("in rendered output"), "{format}");
        assert!(
            !text.contains("Wq7rT2vLx9pK"),
            "{format}: a secret was printed"
        );
    }
    let report = json(dir.path(), &fixture("helm-template.yaml"), &["-"]);
    for f in report["findings"].as_array().unwrap() {
        let message = f["message"].as_str().unwrap();
        assert!(message.ends_with(" (in rendered output)"), "{message}");
    }
}

/// The facts that span files come from the whole stream: the chart's NetworkPolicy covers its
/// Deployment, and without it the Deployment is reported.
#[test]
fn helm_output_gathers_run_facts_from_the_stream() {
    let dir = workdir();
    let rendered = String::from_utf8(fixture("helm-template.yaml")).unwrap();
    let with = rules_of(&json(dir.path(), rendered.as_bytes(), &["-"]));
    assert!(!with.iter().any(|r| r == "k8s/missing-network-policy"));
    let start = rendered
        .find("# Source: web/templates/serviceaccount.yaml")
        .unwrap();
    let without = format!("---\n{}", &rendered[start..]);
    let report = json(dir.path(), without.as_bytes(), &["-"]);
    let missing: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "k8s/missing-network-policy" && f["severity"] != "positive")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0]["path"], "web/templates/deployment.yaml");
    // `name: release-name-web` is the 4th line of the rendered Deployment.
    assert_eq!(missing[0]["line"], 4);
}

/// Lines count from the first line a template rendered, after its `# Source:` comment.
#[test]
fn helm_lines_are_those_of_the_rendered_document() {
    let dir = workdir();
    let report = json(dir.path(), &fixture("helm-template.yaml"), &["-"]);
    let image = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "k8s/unpinned-image" && f["severity"] == "warning")
        .unwrap()
        .clone();
    assert_eq!(image["path"], "web/templates/tests/test-connection.yaml");
    // `image: busybox` is the 16th line of the rendered Pod.
    assert_eq!(image["line"], 16);
}

/// A stream over the size limit, one that is not UTF-8, a UTF-16 one and an empty one get
/// what a file gets.
#[test]
fn unreadable_streams_get_the_findings_a_file_gets() {
    let dir = workdir();
    let mut oversized = b"apiVersion: v1\nkind: ConfigMap\ndata:\n  blob: |\n".to_vec();
    oversized.resize(16 * 1024 * 1024 + 10, b'#');
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "FROM alpine:3.21\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let latin1 = b"FROM alpine:3.21\nLABEL maintainer=\"Jos\xe9\"\n";
    let mut out = String::new();
    for (what, input, args) in [
        ("oversized", oversized.as_slice(), &["-"][..]),
        ("not UTF-8", latin1, &["-"]),
        (
            "not UTF-8, named",
            latin1,
            &["-", "--stdin-filename", "Dockerfile"],
        ),
        ("UTF-16", &utf16, &["-"]),
        ("empty", b"", &["-"]),
        (
            "empty, named",
            b"",
            &["-", "--stdin-filename", "Dockerfile"],
        ),
        (
            "empty YAML, named",
            b"",
            &["-", "--stdin-filename", "deploy.yaml"],
        ),
    ] {
        out.push_str(&format!("## {what}\n{}", lines(dir.path(), input, args)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn content_that_matches_no_format_is_an_error() {
    let dir = workdir();
    let out = lines(dir.path(), b"replicaCount: 2\nimage: nginx\n", &["-"]);
    assert!(out.contains("--stdin-filename"));
    insta::assert_snapshot!(out);
}

#[test]
fn dash_is_the_only_path_and_the_name_needs_it() {
    let dir = workdir();
    let mixed = lines(dir.path(), b"", &["-", "."]);
    assert!(mixed.starts_with("exit: 2\n"), "{mixed}");
    let alone = lines(dir.path(), b"", &["--stdin-filename", "Dockerfile"]);
    assert!(alone.starts_with("exit: 2\n"), "{alone}");
}

/// A baseline written from a stream hides the same findings on the next run: fingerprints
/// use the template path.
#[test]
fn the_baseline_works_on_a_stream() {
    let dir = workdir();
    let input = fixture("helm-template.yaml");
    let write = run_in(
        dir.path(),
        &input,
        &["-", "--write-baseline", "baseline.json"],
    );
    assert_eq!(write.status.code(), Some(0));
    let baseline: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("baseline.json")).unwrap()).unwrap();
    let paths: Vec<&str> = baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"web/templates/deployment.yaml"),
        "{paths:?}"
    );
    let again = json(dir.path(), &input, &["-", "--baseline", "baseline.json"]);
    assert_eq!(rules_of(&again), Vec::<String>::new());
}

/// The configuration is found from the current directory, and its per-path settings apply to
/// the name given.
#[test]
fn configuration_applies_to_the_name() {
    let dir = workdir();
    std::fs::write(
        dir.path().join("infralint.toml"),
        "exclude = [\"vendor/**\"]\n\n[rules]\nignore = [\"docker/dependencies-after-source\"]\n\n\
         [per-path-ignores]\n\"legacy/**\" = [\"docker/shell-form-entrypoint\"]\n",
    )
    .unwrap();
    let input = fixture("Dockerfile");
    let named = |name: &str| rules_of(&json(dir.path(), &input, &["-", "--stdin-filename", name]));
    assert!(named("app/Dockerfile").contains(&"docker/shell-form-entrypoint".to_string()));
    assert!(!named("legacy/Dockerfile").contains(&"docker/shell-form-entrypoint".to_string()));
    let excluded = lines(
        dir.path(),
        &input,
        &["-", "--stdin-filename", "vendor/Dockerfile"],
    );
    insta::assert_snapshot!(excluded);
    let sub: PathBuf = dir.path().join("deploy");
    std::fs::create_dir(&sub).unwrap();
    let unnamed = rules_of(&json(&sub, &input, &["-"]));
    assert!(unnamed.contains(&"docker/shell-form-entrypoint".to_string()));
    assert!(!unnamed.contains(&"docker/dependencies-after-source".to_string()));
}

/// Formats that only a name tells: a Terraform file (linted as a module of one file), a
/// systemd unit and a GitHub workflow.
#[test]
fn stdin_filename_lints_the_formats_named_only() {
    let dir = workdir();
    let terraform = b"terraform {\n  backend \"local\" {}\n}\n\nprovider \"aws\" {}\n";
    let unit = b"[Service]\nExecStart=/usr/bin/app\n";
    let workflow = b"on: issues\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n";
    let mut out = String::new();
    for (name, input) in [
        ("infra/main.tf", &terraform[..]),
        ("app.service", &unit[..]),
        (".github/workflows/triage.yml", &workflow[..]),
    ] {
        out.push_str(&lines(dir.path(), input, &["-", "--stdin-filename", name]));
    }
    insta::assert_snapshot!(out);
}

/// `--show-files -` lists the files a stream gives: one per template of rendered Helm output.
#[test]
fn show_files_lists_the_files_of_a_stream() {
    let dir = workdir();
    let helm = run_in(
        dir.path(),
        &fixture("helm-template.yaml"),
        &["--show-files", "-"],
    );
    let named = run_in(
        dir.path(),
        &fixture("Dockerfile"),
        &["--show-files", "-", "--stdin-filename", "app/Dockerfile"],
    );
    let unknown = run_in(dir.path(), b"replicaCount: 2\n", &["--show-files", "-"]);
    assert_eq!(unknown.status.code(), Some(2));
    insta::assert_snapshot!(format!(
        "{}{}",
        String::from_utf8(helm.stdout).unwrap(),
        String::from_utf8(named.stdout).unwrap()
    ));
}
