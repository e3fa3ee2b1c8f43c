//! No output ever prints a secret: masking does not depend on which rules ran. Every output
//! format is checked with the secret rules ignored, left out of the selection, ignored by the
//! configuration or for a path, suppressed inline, and hidden by a baseline.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

mod support;

use assert_cmd::Command;

/// The secrets written in the project; none may appear in any output.
const SECRETS: [&str; 3] = ["Sup3rS3cretPw123", "hunter2hunter2", "Zq8vLr2pXw7kNc4T"];

/// The secret rules of the formats of the project.
const SECRET_RULES: &str =
    "docker/hardcoded-secret,compose/hardcoded-secret,terraform/hardcoded-secret";

use support::OUTPUT_FORMATS as FORMATS;

/// A project whose secrets sit on the lines shown around findings of other rules (a Dockerfile
/// base image, a compose image, a Terraform resource header). With `suppressed`, each file ends
/// with a comment that suppresses its secret rule for the whole file.
fn project(suppressed: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, rule: &str, text: &str| {
        let mut text = text.to_string();
        if suppressed {
            text.push_str(&format!("# infralint: ignore-file[{rule}] test data\n"));
        }
        std::fs::write(dir.path().join(name), text).unwrap();
    };
    write(
        "Dockerfile",
        "docker/hardcoded-secret",
        "FROM python:latest\nENV DB_PASSWORD=Sup3rS3cretPw123 APP_PORT=8000\n\
         CMD [\"python\", \"app.py\"]\n",
    );
    write(
        "compose.yaml",
        "compose/hardcoded-secret",
        "services:\n  app:\n    image: example/app:latest\n    environment: \
         [\"DATABASE_URL=postgres://app:hunter2hunter2@db.example.com/app\"]\n",
    );
    write(
        "main.tf",
        "terraform/hardcoded-secret",
        "resource \"aws_db_instance\" \"main\" {\n  password = \"Zq8vLr2pXw7kNc4T\"\n  \
         engine   = \"postgres\"\n  username = \"admin\"\n}\n",
    );
    dir
}

fn infralint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("infralint").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["--no-config", "--fail-on", "never"]);
    cmd
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = infralint(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn assert_masked(out: &str, what: &str) {
    for secret in SECRETS {
        assert!(!out.contains(secret), "{what} prints `{secret}`:\n{out}");
    }
}

/// Every output format of a run, checked; the human one must also show the masked lines, so
/// that the check is not vacuous.
fn assert_every_format_masked(dir: &Path, args: &[&str], what: &str) {
    for format in FORMATS {
        let mut all = args.to_vec();
        all.extend(["-f", format]);
        let out = run(dir, &all);
        assert_masked(&out, &format!("{what}, -f {format}"));
        if format == "human" {
            for line in [
                "ENV DB_PASSWORD=**************** APP_PORT=8000",
                "postgres://app:**************@db.example.com/app",
                "password = \"****************\"",
            ] {
                assert!(out.contains(line), "{what}: `{line}` not shown:\n{out}");
            }
        }
    }
}

#[test]
fn secret_rules_ignored_on_the_command_line() {
    let dir = project(false);
    assert_every_format_masked(
        dir.path(),
        &["--select", "all", "--ignore", SECRET_RULES],
        "--ignore",
    );
    assert_every_format_masked(dir.path(), &["--ignore", SECRET_RULES], "default rules");
}

#[test]
fn secret_rules_left_out_by_select() {
    let dir = project(false);
    assert_every_format_masked(
        dir.path(),
        &[
            "--select",
            "docker/missing-user,compose/unpinned-image,terraform/unencrypted-storage",
        ],
        "--select",
    );
}

#[test]
fn secret_rules_ignored_by_the_configuration() {
    let dir = project(false);
    let config = dir.path().join("infralint.toml");
    std::fs::write(
        &config,
        "[rules]\nignore = [\"docker/hardcoded-secret\", \"terraform/hardcoded-secret\"]\n\
         [per-path-ignores]\n\"compose.yaml\" = [\"compose/hardcoded-secret\"]\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    // `--config` after `--no-config` would conflict: run without the helper's flags.
    for format in FORMATS {
        let out = Command::cargo_bin("infralint")
            .unwrap()
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(["--config", config, "--fail-on", "never", "-f", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_masked(
            &String::from_utf8(out.stdout).unwrap(),
            &format!("configuration, -f {format}"),
        );
    }
}

#[test]
fn secret_findings_suppressed_inline() {
    let dir = project(true);
    assert_every_format_masked(dir.path(), &[], "inline suppression");
}

#[test]
fn secret_findings_hidden_by_a_baseline() {
    let dir = project(false);
    let baseline = dir.path().join("baseline.json");
    let baseline_arg = baseline.to_str().unwrap();
    infralint(dir.path())
        .args(["--select", SECRET_RULES, "--write-baseline", baseline_arg])
        .assert()
        .success();
    let written = std::fs::read_to_string(&baseline).unwrap();
    for rule in SECRET_RULES.split(',') {
        assert!(written.contains(rule), "{written}");
    }
    assert_masked(&written, "the baseline file");
    assert_every_format_masked(
        dir.path(),
        &["--select", "all", "--baseline", baseline_arg],
        "--baseline",
    );
}

/// A baseline written by the release before masking became independent of the rules (format
/// version 1, in `fixtures/projects/baseline-v1`) still hides every finding it recorded,
/// including one whose offending text holds a secret that version 1 hashed in clear.
#[test]
fn a_baseline_of_version_1_still_hides_its_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/projects/baseline-v1");
    let recorded = std::fs::read_to_string(dir.join("baseline.json")).unwrap();
    assert!(recorded.contains("\"version\": 1"), "{recorded}");
    let entries = recorded.matches("\"fingerprint\"").count();
    let out = run(&dir, &["--select", "all", "--baseline", "baseline.json"]);
    assert!(
        out.contains(&format!("The baseline hid {entries} findings.")),
        "{out}"
    );
    assert!(
        out.contains("Findings: 0 critical, 0 warnings, 0 suggestions"),
        "{out}"
    );
    assert!(!out.contains("no longer"), "{out}");
    // Written again, the baseline is of the current version and hides the same findings.
    let copy = tempfile::tempdir().unwrap();
    for name in ["Dockerfile", "compose.yaml", "main.tf"] {
        std::fs::copy(dir.join(name), copy.path().join(name)).unwrap();
    }
    run(
        copy.path(),
        &["--select", "all", "--write-baseline", "v2.json"],
    );
    let rewritten = std::fs::read_to_string(copy.path().join("v2.json")).unwrap();
    assert!(rewritten.contains("\"version\": 2"), "{rewritten}");
    assert_eq!(rewritten.matches("\"fingerprint\"").count(), entries);
    let out = run(copy.path(), &["--select", "all", "--baseline", "v2.json"]);
    assert!(
        out.contains(&format!("The baseline hid {entries} findings.")),
        "{out}"
    );
}

#[test]
fn a_baseline_of_an_unknown_version_says_how_to_write_it_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.21\n").unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        "{\"version\": 99, \"findings\": []}\n",
    )
    .unwrap();
    let out = infralint(dir.path())
        .args(["--baseline", "b.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--write-baseline"), "{err}");
}

/// A value that `[options]` declares a placeholder or a secret reference is not a secret: no
/// secret rule reports it and no output masks it, while the real secrets beside it stay masked.
#[test]
fn configured_placeholders_are_neither_reported_nor_masked() {
    let dir = project(false);
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM python:latest\nENV DB_PASSWORD=set-me-at-deploy API_TOKEN=keeper://app/token \
         ADMIN_PASSWORD=Sup3rS3cretPw123\nCMD [\"python\", \"app.py\"]\n",
    )
    .unwrap();
    let config = dir.path().join("infralint.toml");
    std::fs::write(
        &config,
        "[options]\nplaceholder-values = [\"set-me-*\"]\nsecret-reference-prefixes = [\"keeper://\"]\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    for format in FORMATS {
        let out = Command::cargo_bin("infralint")
            .unwrap()
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(["--config", config, "--fail-on", "never", "-f", format])
            .output()
            .unwrap();
        let out = String::from_utf8(out.stdout).unwrap();
        assert_masked(&out, &format!("configured placeholders, -f {format}"));
        if format == "human" {
            assert!(
                out.contains("DB_PASSWORD=set-me-at-deploy API_TOKEN=keeper://app/token"),
                "the placeholder and the reference are masked:\n{out}"
            );
            assert!(!out.contains("`DB_PASSWORD`"), "{out}");
            assert!(out.contains("`ADMIN_PASSWORD`"), "{out}");
        }
    }
}
