//! Hostile input end to end: files that are binary, oddly encoded, huge or deeply nested; trees
//! with symlink loops, unreadable parts and names no tool expects; and the promises every run
//! keeps whatever it reads: no secret in any output, the same bytes every time, a quiet end on a
//! closed pipe, and nothing written into the scanned tree. Big inputs are made at run time.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};

mod support;

use assert_cmd::Command;
use serde_json::Value;

use support::OUTPUT_FORMATS as FORMATS;

fn infralint_at(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("infralint").unwrap();
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    infralint_at(dir).args(args).output().unwrap()
}

/// Write a file, creating its directories.
fn put(dir: &Path, name: impl AsRef<Path>, content: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// The findings of a `-f json` run, with its exit code and stderr checked for panics.
fn findings(out: &Output) -> Vec<Value> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    json["findings"].as_array().unwrap().clone()
}

/// `(path, line, column, rule)` of every finding of a JSON run.
fn located(findings: &[Value]) -> Vec<(String, u64, u64, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn parse_errors<'a>(findings: &'a [Value], path: &str) -> Vec<&'a Value> {
    findings
        .iter()
        .filter(|f| f["path"] == path && f["rule"] == "infralint/parse-error")
        .collect()
}

/// One small file of each format, with findings to compare.
const SAMPLES: [(&str, &str); 7] = [
    (
        "Dockerfile",
        "FROM alpine:3.21\nRUN apk add curl \\\n  && echo ok\nUSER root\n",
    ),
    (
        "compose.yaml",
        "services:\n  web:\n    image: nginx:latest\n    privileged: true\n",
    ),
    (".env", "API_TOKEN=abcdef0123456789xyz\n"),
    (
        "deploy.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: a\n      image: nginx:latest\n      securityContext:\n        privileged: true\n",
    ),
    (
        "flow.yaml",
        "id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n",
    ),
    (
        "web.service",
        "[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/true\nUser=root\n",
    ),
    (
        "main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  acl    = \"public-read\"\n}\n",
    ),
];

fn samples(dir: &Path, edit: impl Fn(&str) -> Vec<u8>) {
    for (name, text) in SAMPLES {
        put(dir, name, edit(text));
    }
}

fn sample_findings(edit: impl Fn(&str) -> Vec<u8>) -> Vec<(String, u64, u64, String)> {
    let dir = tempfile::tempdir().unwrap();
    samples(dir.path(), edit);
    let out = run(dir.path(), &["-f", "json", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0));
    located(&findings(&out))
}

// Hostile files.

#[test]
fn binary_files_with_infrastructure_names_are_parse_errors() {
    let dir = tempfile::tempdir().unwrap();
    let binary: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    let names = [
        "Dockerfile",
        "compose.yaml",
        ".env",
        "web.service",
        "main.tf",
    ];
    for name in names {
        put(dir.path(), name, &binary);
    }
    // A binary `.yaml` says nothing about being infrastructure: it is not linted.
    put(dir.path(), "blob.yaml", &binary);
    let out = run(dir.path(), &["-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    for name in names {
        let errors = parse_errors(&found, name);
        assert_eq!(errors.len(), 1, "{name}: {found:?}");
        assert!(
            errors[0]["message"].as_str().unwrap().contains("UTF-8"),
            "{name}: {found:?}"
        );
    }
    assert_eq!(found.len(), names.len(), "{found:?}");
}

#[test]
fn nul_bytes_do_not_stop_the_lint() {
    // NUL is valid UTF-8: in a trailing comment it changes nothing, but YAML allows it nowhere
    // (not even in a comment), so each YAML file has a parse error instead of its findings.
    let yaml = ["compose.yaml", "deploy.yaml", "flow.yaml"];
    let plain = sample_findings(|text| text.as_bytes().to_vec());
    let with_nul = sample_findings(|text| format!("{text}# \0 end\n").into_bytes());
    let (in_yaml, others): (Vec<_>, Vec<_>) = with_nul
        .into_iter()
        .partition(|f| yaml.contains(&f.0.as_str()));
    let expected: Vec<_> = plain
        .into_iter()
        .filter(|f| !yaml.contains(&f.0.as_str()))
        .collect();
    assert_eq!(others, expected);
    let lines = SAMPLES
        .iter()
        .map(|(name, text)| (*name, text.lines().count() as u64 + 1));
    let errors: Vec<_> = lines
        .filter(|(name, _)| yaml.contains(name))
        .map(|(name, line)| {
            (
                name.to_string(),
                line,
                3,
                "infralint/parse-error".to_string(),
            )
        })
        .collect();
    assert_eq!(in_yaml, errors);
}

#[test]
fn byte_order_marks() {
    let plain = sample_findings(|text| text.as_bytes().to_vec());
    // A UTF-8 byte-order mark is an encoding marker, not content: same findings, same places.
    let marked = sample_findings(|text| [b"\xEF\xBB\xBF", text.as_bytes()].concat());
    assert_eq!(marked, plain);

    // UTF-16, either byte order: one clear finding per file, also for a manifest whose kind
    // can only be seen by decoding it.
    let dir = tempfile::tempdir().unwrap();
    for (name, big_endian) in [("Dockerfile", false), ("deploy.yaml", true)] {
        let text = SAMPLES.iter().find(|(n, _)| *n == name).unwrap().1;
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        put(dir.path(), name, bytes);
    }
    let out = run(dir.path(), &["-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    assert_eq!(found.len(), 2, "{found:?}");
    for name in ["Dockerfile", "deploy.yaml"] {
        let errors = parse_errors(&found, name);
        assert_eq!(errors.len(), 1, "{name}: {found:?}");
        assert!(errors[0]["message"].as_str().unwrap().contains("UTF-16"));
    }
}

#[test]
fn line_endings() {
    let lf = sample_findings(|text| text.as_bytes().to_vec());
    let crlf = sample_findings(|text| text.replace('\n', "\r\n").into_bytes());
    assert_eq!(crlf, lf);

    // A lone CR ends a line in YAML and in systemd units: the same findings. Dockerfiles and
    // HCL end lines only at LF, so there each file is one line and a parse error.
    let cr = sample_findings(|text| text.replace('\n', "\r").into_bytes());
    let (own_syntax, same): (Vec<_>, Vec<_>) = cr
        .into_iter()
        .partition(|f| f.0 == "Dockerfile" || f.0 == "main.tf");
    let expected: Vec<_> = lf
        .iter()
        .filter(|f| f.0 != "Dockerfile" && f.0 != "main.tf")
        .cloned()
        .collect();
    assert_eq!(same, expected);
    for name in ["Dockerfile", "main.tf"] {
        assert!(
            own_syntax
                .iter()
                .any(|f| f.0 == name && f.3 == "infralint/parse-error"),
            "{own_syntax:?}"
        );
    }
}

#[test]
fn a_200_mb_manifest_hits_the_size_cap_unread() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse files: 200 MB on paper, nothing on disk. A manifest is recognised from its head;
    // other YAML of that size is not infrastructure and is left alone.
    let size = 200 * 1024 * 1024;
    for (name, head) in [
        ("deploy.yaml", "apiVersion: v1\nkind: ConfigMap\n"),
        ("values.yaml", "replicaCount: 1\n"),
        ("Dockerfile", "FROM alpine:3.21\n"),
    ] {
        put(dir.path(), name, head);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.path().join(name))
            .unwrap();
        file.set_len(size).unwrap();
    }
    let out = run(dir.path(), &["-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    assert_eq!(found.len(), 2, "{found:?}");
    for name in ["Dockerfile", "deploy.yaml"] {
        let errors = parse_errors(&found, name);
        assert_eq!(errors.len(), 1, "{found:?}");
        let message = errors[0]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("{size} bytes")) && message.contains("16 MiB"),
            "{message}"
        );
    }
}

#[test]
fn a_100k_line_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("FROM alpine:3.21\n");
    for i in 0..100_000 {
        text.push_str(&format!("RUN echo {i}\n"));
    }
    text.push_str("USER root\n");
    put(dir.path(), "Dockerfile", &text);
    let out = run(dir.path(), &["-f", "json", "--select", "docker/root-user"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        located(&findings(&out)),
        [(
            "Dockerfile".to_string(),
            100_002,
            1,
            "docker/root-user".to_string()
        )]
    );
}

#[test]
fn deep_nesting_is_one_parse_error_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let levels = 100_000;
    let cases = [
        (
            "k8s/flow.yaml",
            format!(
                "apiVersion: v1\nkind: ConfigMap\ndata: {}\n",
                "[".repeat(levels)
            ),
        ),
        (
            "k8s/block.yaml",
            format!(
                "apiVersion: v1\nkind: ConfigMap\ndata:\n{}x\n",
                "- ".repeat(levels)
            ),
        ),
        (
            "compose.yaml",
            format!("services: {}\n", "{a: ".repeat(levels)),
        ),
        (
            "flows/flow.yaml",
            format!("id: a\nnamespace: b\ntasks:\n  - {}\n", "[".repeat(levels)),
        ),
        (
            "tf/main.tf",
            format!("locals {{\n  x = {}\n}}\n", "[".repeat(levels)),
        ),
        (
            "blocks/main.tf",
            (0..levels).map(|i| format!("b{i} {{\n")).collect(),
        ),
    ];
    for (name, text) in &cases {
        put(dir.path(), name, text);
    }
    let out = run(dir.path(), &["-f", "json", "--select", "infralint"]);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    for (name, _) in &cases {
        assert_eq!(parse_errors(&found, name).len(), 1, "{name}: {found:?}");
    }
    assert_eq!(found.len(), cases.len(), "{found:?}");
}

#[test]
fn extremely_long_lines() {
    let dir = tempfile::tempdir().unwrap();
    let long = "a".repeat(8 * 1024 * 1024);
    put(
        dir.path(),
        "Dockerfile",
        format!("FROM alpine:3.21\nRUN echo {long} && curl -fsSL https://x.test | sh\nUSER root\n"),
    );
    put(
        dir.path(),
        "compose.yaml",
        format!(
            "services:\n  web:\n    image: nginx:1.27.3\n    command: \"{long}\"\n    privileged: true\n"
        ),
    );
    put(
        dir.path(),
        "web.service",
        format!("[Service]\nExecStart=/bin/echo {long}\nUser=root\n"),
    );
    put(
        dir.path(),
        "main.tf",
        format!("locals {{\n  x = \"{long}\"\n}}\n"),
    );
    let out = run(
        dir.path(),
        &[
            "-f",
            "json",
            "--fail-on",
            "never",
            "--extend-select",
            "systemd/root-service",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let found = located(&findings(&out));
    assert!(
        found.iter().all(|f| f.3 != "infralint/parse-error"),
        "{found:?}"
    );
    for expected in [
        ("Dockerfile", 3, "docker/root-user"),
        ("compose.yaml", 5, "compose/privileged-container"),
        ("web.service", 3, "systemd/root-service"),
    ] {
        assert!(
            found
                .iter()
                .any(|f| f.0 == expected.0 && f.1 == expected.1 && f.3 == expected.2),
            "{expected:?} in {found:?}"
        );
    }

    // People get a window of a long line around the finding, at its real line and column,
    // not megabytes of it (nor a panic: a terminal frame cannot be padded that far).
    let out = run(dir.path(), &["-f", "human", "--fail-on", "never"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(human.len() < 64 * 1024, "{} bytes", human.len());
    let column = "RUN echo ".len() + long.len() + " && ".len() + 1;
    assert!(
        human.contains(&format!("Dockerfile:2:{column}]")),
        "{human}"
    );
    assert!(human.contains("...aaaa"), "{human}");
    assert!(
        human.contains("&& curl -fsSL https://x.test | sh"),
        "{human}"
    );
}

#[test]
fn empty_and_comment_only_files() {
    let names = [
        "Dockerfile",
        "compose.yaml",
        ".env",
        "web.service",
        "main.tf",
    ];
    for content in ["", "# only a comment\n# and another\n"] {
        let dir = tempfile::tempdir().unwrap();
        for name in names {
            put(dir.path(), name, content);
        }
        put(
            dir.path(),
            "k8s.yaml",
            format!("{content}---\napiVersion: v1\nkind: ConfigMap\n---\n{content}"),
        );
        let out = run(dir.path(), &["-f", "json", "--select", "infralint"]);
        let found = findings(&out);
        // A Dockerfile needs a `FROM`; the others may be empty.
        assert_eq!(
            located(&found),
            [(
                "Dockerfile".to_string(),
                1,
                1,
                "infralint/parse-error".to_string()
            )],
            "{content:?}"
        );
        assert_eq!(out.status.code(), Some(1));
    }
}

// Hostile trees.

fn dockerfile(dir: &Path, name: impl AsRef<Path>) {
    put(dir, name, "FROM alpine:3.21\nUSER root\n");
}

fn shown_files(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<String>, String) {
    let out = infralint_at(dir)
        .arg("--show-files")
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let listed = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
        .collect();
    (
        out.status.code(),
        listed,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn symlink_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    dockerfile(root, "app/Dockerfile");
    std::os::unix::fs::symlink(".", root.join("app/again")).unwrap();
    std::os::unix::fs::symlink("../app", root.join("app/up")).unwrap();
    std::os::unix::fs::symlink("Containerfile", root.join("Containerfile")).unwrap();
    std::os::unix::fs::symlink("b.Dockerfile", root.join("a.Dockerfile")).unwrap();
    std::os::unix::fs::symlink("a.Dockerfile", root.join("b.Dockerfile")).unwrap();
    // Links are not followed in the walk: the loop is never entered.
    let (code, listed, stderr) = shown_files(root, &[]);
    assert_eq!(
        (code, listed),
        (Some(0), vec!["app/Dockerfile".into()]),
        "{stderr}"
    );
    // A loop named on the command line is an error, and the rest is still linted.
    let (code, listed, stderr) = shown_files(root, &[".", "a.Dockerfile", "Containerfile"]);
    assert_eq!(code, Some(2));
    assert_eq!(listed, ["app/Dockerfile"]);
    assert!(
        stderr.contains("a.Dockerfile") && stderr.contains("Containerfile"),
        "{stderr}"
    );
    // A directory reached through a link named on the command line is walked once.
    let (code, listed, _) = shown_files(root, &["app/again/up/again"]);
    assert_eq!(code, Some(0));
    assert_eq!(listed, ["app/again/up/again/Dockerfile"]);
}

#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let (root, outside) = (dir.path().join("root"), dir.path().join("outside"));
    dockerfile(&outside, "Dockerfile");
    put(&root, "Dockerfile", "FROM alpine:3.21\nUSER 10001\n");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("vendored")).unwrap();
    std::os::unix::fs::symlink(outside.join("Dockerfile"), root.join("sub/Dockerfile")).unwrap();
    let (code, listed, _) = shown_files(&root, &[]);
    assert_eq!((code, listed), (Some(0), vec!["Dockerfile".into()]));
    let out = run(&root, &["-f", "json", "--select", "docker/root-user"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(findings(&out).iter().all(|f| f["severity"] == "positive"));
}

/// A command that runs infralint as an unprivileged user when the tests run as root (who reads
/// any directory whatever its mode), from `dir`, with everything but `locked` reachable.
fn unprivileged(dir: &Path, locked: &Path) -> StdCommand {
    if std::fs::read_dir(locked).is_err() {
        let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("infralint"));
        cmd.current_dir(dir);
        return cmd;
    }
    let bin = dir.join("infralint-bin");
    std::fs::copy(assert_cmd::cargo::cargo_bin("infralint"), &bin).unwrap();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path == locked {
            continue;
        }
        let mode = if path.is_dir() { 0o755 } else { 0o644 };
        let mode = if path == bin { 0o755 } else { mode };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        }
    }
    let mut cmd = StdCommand::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .current_dir(dir);
    cmd
}

#[test]
fn unreadable_directories_are_errors_and_the_others_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    dockerfile(dir.path(), "open/Dockerfile");
    dockerfile(dir.path(), "locked/Dockerfile");
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut cmd = unprivileged(dir.path(), &locked);
    let out = cmd.args(["-f", "json", "--fail-on", "never", "."]).output();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = out.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("locked"), "{stderr}");
    assert!(stderr.contains("Permission denied"), "{stderr}");
    let found = findings(&out);
    assert!(
        found
            .iter()
            .any(|f| f["path"] == "open/Dockerfile" && f["rule"] == "docker/root-user"),
        "{found:?}"
    );
    assert!(found.iter().all(|f| f["path"] == "open/Dockerfile"));
}

#[test]
fn a_file_gone_before_it_is_read_is_an_error_and_the_others_are_linted() {
    // A dangling link named on the command line is a file that exists for the walk and is
    // gone when read (the same race, deterministically). Inside a tree, links are skipped.
    let dir = tempfile::tempdir().unwrap();
    dockerfile(dir.path(), "Dockerfile");
    std::os::unix::fs::symlink("deleted", dir.path().join("compose.yaml")).unwrap();
    let out = run(
        dir.path(),
        &[
            "-f",
            "json",
            "--fail-on",
            "never",
            "Dockerfile",
            "compose.yaml",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("compose.yaml"), "{stderr}");
    assert!(
        findings(&out)
            .iter()
            .any(|f| f["rule"] == "docker/root-user")
    );
    let out = run(dir.path(), &["-f", "json", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0));
}

/// Decode `%XX` escapes.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A strict enough check that a document is well-formed XML: tags nest and close, attribute
/// values are quoted, and `&` only starts a known entity or a character reference. Returns
/// the values of every attribute, for the caller to compare.
fn check_xml(text: &str) -> Vec<String> {
    fn entities(text: &str) {
        let mut rest = text;
        while let Some(at) = rest.find('&') {
            let after = &rest[at + 1..];
            let end = after
                .find(';')
                .unwrap_or_else(|| panic!("bare `&` in {text:?}"));
            let name = &after[..end];
            let ok = ["amp", "lt", "gt", "quot", "apos"].contains(&name)
                || name
                    .strip_prefix('#')
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            assert!(ok, "bad entity `&{name};` in {text:?}");
            rest = &after[end + 1..];
        }
        assert!(!text.contains('<'), "raw `<` in {text:?}");
    }
    let text = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .unwrap();
    let mut stack: Vec<String> = Vec::new();
    let mut values = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        entities(&rest[..open]);
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix('/') {
            let end = after.find('>').unwrap();
            assert_eq!(stack.pop().as_deref(), Some(&after[..end]), "bad nesting");
            rest = &after[end + 1..];
            continue;
        }
        let name_end = rest.find([' ', '>', '/']).unwrap();
        let name = rest[..name_end].to_string();
        assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        rest = &rest[name_end..];
        loop {
            rest = rest.trim_start_matches(' ');
            if let Some(after) = rest.strip_prefix("/>") {
                rest = after;
                break;
            }
            if let Some(after) = rest.strip_prefix('>') {
                stack.push(name);
                rest = after;
                break;
            }
            let eq = rest.find("=\"").unwrap();
            let attribute = &rest[..eq];
            assert!(
                attribute.chars().all(|c| c.is_ascii_alphanumeric()),
                "{attribute:?}"
            );
            let after = &rest[eq + 2..];
            let close = after.find('"').unwrap();
            let value = &after[..close];
            entities(value);
            values.push(value.to_string());
            rest = &after[close + 1..];
        }
    }
    assert!(rest.trim().is_empty());
    assert!(stack.is_empty(), "unclosed {stack:?}");
    values
}

/// XML attribute values as a parser reads them (after normalization, then references).
fn xml_attribute(value: &str) -> String {
    value
        .replace(['\n', '\t', '\r'], " ")
        .replace("&#10;", "\n")
        .replace("&#9;", "\t")
        .replace("&#13;", "\r")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[test]
fn hostile_paths_in_every_output_format() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Two names that differ only in bytes that are not UTF-8 must stay two files.
    let names: [&[u8]; 6] = [
        b"with space/Dockerfile",
        b"new\nline/Dockerfile",
        b"bad\xff/Dockerfile",
        b"bad\xfe/Dockerfile",
        b"quote\"amp&lt<,colon:percent%25/Dockerfile",
        b"tab\tesc\x1b[31m/Dockerfile",
    ];
    // How each is shown: bytes that are not UTF-8 as `\xNN`, the rest as it is.
    let shown = [
        "with space/Dockerfile",
        "new\nline/Dockerfile",
        "bad\\xFF/Dockerfile",
        "bad\\xFE/Dockerfile",
        "quote\"amp&lt<,colon:percent%25/Dockerfile",
        "tab\tesc\u{1b}[31m/Dockerfile",
    ];
    for name in names {
        dockerfile(root, OsStr::from_bytes(name));
    }
    let mut expected: Vec<String> = shown.iter().map(|s| s.to_string()).collect();
    expected.sort();
    let output = |format: &str| {
        let out = run(root, &["-f", format, "--select", "docker/root-user"]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(out.stderr.is_empty(), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let sorted = |mut paths: Vec<String>| {
        paths.sort();
        paths
    };

    let json: Value = serde_json::from_str(&output("json")).unwrap();
    let paths = json["findings"].as_array().unwrap().iter();
    assert_eq!(
        sorted(
            paths
                .map(|f| f["path"].as_str().unwrap().to_string())
                .collect()
        ),
        expected
    );

    let lines = output("json-lines");
    let paths = lines.lines().map(|l| {
        let f: Value = serde_json::from_str(l).unwrap();
        f["path"].as_str().unwrap().to_string()
    });
    assert_eq!(sorted(paths.collect()), expected);

    let gitlab: Value = serde_json::from_str(&output("gitlab")).unwrap();
    let paths = gitlab.as_array().unwrap().iter();
    assert_eq!(
        sorted(
            paths
                .map(|i| i["location"]["path"].as_str().unwrap().to_string())
                .collect()
        ),
        expected
    );

    let sarif: Value = serde_json::from_str(&output("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap().iter();
    let uris: Vec<String> = results
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'<'),
                "{uri}"
            );
            percent_decode(uri)
        })
        .collect();
    assert_eq!(sorted(uris), expected);

    // GitHub workflow commands: one line each, properties escaped as GitHub decodes them.
    let github = output("github");
    let files: Vec<String> = github
        .lines()
        .map(|line| {
            let properties = line.strip_prefix("::error ").unwrap().split("::").next();
            let file = properties.unwrap().split(',').next().unwrap();
            percent_decode(file.strip_prefix("file=").unwrap())
        })
        .collect();
    // A terminal shows the log: ESC is written as a visible escape.
    let visible = expected.iter().map(|p| p.replace('\u{1b}', "\\u{1b}"));
    assert_eq!(sorted(files), sorted(visible.collect()));

    let junit = output("junit");
    let values = check_xml(&junit);
    for path in &expected {
        // XML 1.0 cannot carry ESC: it is written as a visible escape.
        let path = path.replace('\u{1b}', "\\u{1b}");
        assert!(
            values.iter().any(|v| xml_attribute(v) == path),
            "{path:?} not in {values:?}"
        );
    }

    // People get every name on its one line, control characters escaped.
    let human = output("human");
    assert!(!human.contains('\u{1b}'), "{human}");
    for path in &expected {
        let printable: String = path
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().collect()
                } else {
                    c.to_string()
                }
            })
            .collect();
        assert!(
            human.contains(&format!(",-[{printable}:2:1]")),
            "{printable} in {human}"
        );
    }

    // The review links to every file by its exact name.
    let markdown = output("markdown");
    let mut linked: Vec<String> = markdown
        .match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &markdown[at + 2..];
            let target = &rest[..rest.find(')').unwrap()];
            target.strip_suffix("#L2").map(percent_decode)
        })
        .collect();
    linked.sort();
    linked.dedup();
    assert_eq!(linked, expected);
}

#[test]
fn a_hundred_thousand_files_in_one_directory() {
    // In memory where the system has a tmpfs: creating and deleting 100k files on a loaded
    // disk takes minutes, which is not what this test measures.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    // Every `.yaml` is read to decide what it is; one in a thousand is a manifest, the others
    // are empty (no data to store).
    for i in 0..100_000 {
        let path = dir.path().join(format!("f{i:06}.yaml"));
        if i % 1000 == 0 {
            let text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n");
            std::fs::write(path, text).unwrap();
        } else {
            std::fs::File::create(path).unwrap();
        }
    }
    let out = run(dir.path(), &["-f", "json", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 100);
}

// Output integrity.

/// A value no rule doc contains, used as every secret of [`secrets_tree`].
const SECRET: &str = "Zq8vN3kP7wR2xT5mYh4c";
const ACCESS_KEY: &str = "AKIAZQ8VN3KP7WR2XT5M";

/// Secrets in every format, some of them repeated where no rule looks (a command line).
fn secrets_tree(root: &Path) {
    let s = SECRET;
    put(
        root,
        "Dockerfile",
        format!(
            "FROM alpine:3.21\nENV API_TOKEN={s}\nARG DB_PASSWORD={s}\nRUN curl -H \"Authorization: Bearer {s}\" https://example.com\nUSER 10001\n"
        ),
    );
    put(
        root,
        "compose.yaml",
        format!(
            "services:\n  web:\n    image: nginx:1.27.3\n    environment:\n      DB_PASSWORD: {s}\n      API_KEY: \"{s}\"\n    command: [\"--token\", \"{s}\"]\n"
        ),
    );
    put(root, ".env", format!("API_TOKEN={s}\nDB_PASSWORD='{s}'\n"));
    put(
        root,
        "k8s/deploy.yaml",
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n          env:\n            - name: DB_PASSWORD\n              value: {s}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: {s}\n"
        ),
    );
    put(
        root,
        "flows/flow.yaml",
        format!(
            "id: hello\nnamespace: company.team\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.http.Request\n    uri: https://example.com\n    headers:\n      Authorization: \"Bearer {s}\"\n    password: {s}\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: \"token {s}\"\n"
        ),
    );
    put(
        root,
        "deploy/web.service",
        format!(
            "[Unit]\nDescription=web\n\n[Service]\nEnvironment=API_TOKEN={s}\nEnvironment=\"DB_PASSWORD={s}\"\nExecStart=/usr/bin/web --password {s}\n"
        ),
    );
    put(
        root,
        "infra/main.tf",
        format!(
            "resource \"aws_db_instance\" \"db\" {{\n  password = \"{s}\"\n}}\nprovider \"aws\" {{\n  access_key = \"{ACCESS_KEY}\"\n  secret_key = \"{s}/abcdefghijklmnopqrst\"\n}}\nvariable \"token\" {{\n  default = \"{s}\"\n}}\n"
        ),
    );
}

#[test]
fn secrets_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    secrets_tree(dir.path());
    // The tree is what it claims: every file has a finding that masks a secret.
    let (report, _) =
        infralint::lint_paths(&[dir.path().to_path_buf()], &infralint::Settings::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.files.len(), 7);
    for file in &report.files {
        assert!(
            file.findings.iter().any(|f| f.mask.is_some()),
            "{}: nothing masked",
            file.source.name
        );
    }
    let check = |what: &str, text: &str| {
        assert!(
            !text.contains(SECRET),
            "{what}: a secret value leaked:\n{text}"
        );
        assert!(
            !text.contains(ACCESS_KEY),
            "{what}: an access key leaked:\n{text}"
        );
    };
    for format in FORMATS {
        let out = run(
            dir.path(),
            &["-f", format, "--fail-on", "never", "--show-positive"],
        );
        assert_eq!(out.status.code(), Some(0), "{format}");
        check(format, &String::from_utf8_lossy(&out.stdout));
        check(format, &String::from_utf8_lossy(&out.stderr));
    }
    let out_dir = tempfile::tempdir().unwrap();
    let baseline = out_dir.path().join("baseline.json");
    let out = infralint_at(dir.path())
        .arg("--write-baseline")
        .arg(&baseline)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    check("baseline", &std::fs::read_to_string(&baseline).unwrap());
}

/// Every file under `root` (links and directories included) with its content.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (u32, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let content = if meta.is_file() {
            std::fs::read(&path).unwrap()
        } else if meta.file_type().is_symlink() {
            std::fs::read_link(&path)
                .unwrap()
                .into_os_string()
                .into_encoded_bytes()
        } else {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            Vec::new()
        };
        out.insert(path, (meta.permissions().mode(), content));
    }
    out
}

#[test]
fn the_scanned_tree_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    secrets_tree(&root);
    let mixed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/projects/mixed");
    let status = StdCommand::new("cp")
        .arg("-R")
        .arg(&mixed)
        .arg(root.join("mixed"))
        .status();
    assert!(status.unwrap().success());
    std::os::unix::fs::symlink("../outside", root.join("link")).unwrap();
    let status = StdCommand::new("chmod")
        .args(["-R", "a-w"])
        .arg(&root)
        .status();
    assert!(status.unwrap().success());
    let before = snapshot(&root);
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    for format in FORMATS {
        let out = infralint_at(&root)
            .args(["-f", format, "--fail-on", "never"])
            .arg("-f")
            .arg(format!("json={}", reports.join(format).display()))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
    }
    let after = snapshot(&root);
    let status = StdCommand::new("chmod")
        .args(["-R", "u+w"])
        .arg(&root)
        .status();
    assert!(status.unwrap().success());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert!(before == after, "a file of the scanned tree changed");
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Enough findings that no pipe buffer holds the output.
    for i in 0..300 {
        dockerfile(dir.path(), format!("app{i}/Dockerfile"));
    }
    for format in FORMATS {
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("infralint"))
            .current_dir(dir.path())
            .args(["-f", format, "--fail-on", "never"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `infralint | head -c 10`
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{format}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{format}");
    }
}
