//! infralint's machine outputs and its pre-commit hook, checked with the real tools that
//! consume them: Microsoft's SARIF Multitool and a JSON-schema validator with the SARIF 2.1.0
//! schema, junitparser, and pre-commit. `.ci/tools` installs them under `target/ci-tools`
//! (`.ci/run` does so first; otherwise the first test that needs them does).
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Where the checkers are: `INFRALINT_CI_TOOLS` when `.ci/run` set it, else `target/ci-tools`,
/// installed there by `.ci/tools` on first use (from npm and PyPI). If they cannot be installed
/// the tests fail with the installer's output: a check that silently does not run is worse
/// than a red one.
fn tools() -> PathBuf {
    if let Some(dir) = std::env::var_os("INFRALINT_CI_TOOLS").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    static INSTALL: std::sync::Once = std::sync::Once::new();
    static FAILURE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    INSTALL.call_once(|| {
        let out = Command::new("bash").arg(root.join(".ci/tools")).output();
        let failure = match out {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(text(&out)),
            Err(e) => Some(format!("cannot run bash: {e}")),
        };
        *FAILURE.lock().unwrap_or_else(|e| e.into_inner()) = failure;
    });
    if let Some(failure) = FAILURE.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        panic!(
            "these tests check infralint's output with real external tools, and installing \
             them with `bash .ci/tools` (npm and python3 needed) failed:\n{failure}"
        );
    }
    root.join("target/ci-tools")
}

fn tool(relative: &str) -> PathBuf {
    let path = tools().join(relative);
    assert!(
        path.exists(),
        "{} is missing: run `bash .ci/tools` to install the checkers",
        path.display()
    );
    path
}

fn python() -> PathBuf {
    tool("venv/bin/python")
}

fn mixed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/projects/mixed")
}

fn infralint(dir: &Path, args: &[&str]) -> Output {
    Command::new(assert_cmd::cargo::cargo_bin("infralint"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The mixed project's SARIF, written to a temporary file.
fn sarif_file(dir: &tempfile::TempDir) -> PathBuf {
    let path = dir.path().join("results.sarif");
    let out = infralint(
        &mixed(),
        &[
            "--fail-on",
            "never",
            "-f",
            &format!("sarif={}", path.display()),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    path
}

#[test]
fn sarif_passes_the_sarif_multitool() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = sarif_file(&dir);
    let log = dir.path().join("validation.sarif");
    let out = run(Command::new(tool("node_modules/.bin/sarif-multitool"))
        .arg("validate")
        .arg(&sarif)
        .arg("-o")
        .arg(&log));
    assert!(out.status.success(), "{}", text(&out));
    // The Multitool exits 0 whatever it finds; its verdict is in its own SARIF log.
    let verdict: serde_json::Value = serde_json::from_slice(&std::fs::read(&log).unwrap()).unwrap();
    let run = &verdict["runs"][0];
    assert_eq!(
        run["invocations"][0]["executionSuccessful"], true,
        "{verdict}"
    );
    let problems: Vec<String> = run["results"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|r| matches!(r["level"].as_str(), Some("error" | "warning") | None))
        .map(|r| format!("{} {} {}", r["ruleId"], r["level"], r["message"]))
        .collect();
    assert!(problems.is_empty(), "SARIF Multitool: {problems:#?}");
    assert!(text(&out).contains("1 files scanned"), "{}", text(&out));
}

/// Validate JSON files against the SARIF 2.1.0 schema that ships with the Multitool; prints
/// one line per file: its name and the number of violations, then the violations.
const SCHEMA_CHECK: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
for path in sys.argv[2:]:
    errors = list(validator.iter_errors(json.load(open(path))))
    print(path, len(errors))
    for e in errors[:10]:
        print("   ", "/".join(map(str, e.absolute_path)), e.message[:200])
"#;

#[test]
fn sarif_matches_the_sarif_schema() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = sarif_file(&dir);
    // A copy with one wrong value proves that the validator really checks.
    let mut broken: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    let broken_path = dir.path().join("broken.sarif");
    std::fs::write(&broken_path, broken.to_string()).unwrap();
    // A run that met a Helm chart and a Kustomize overlay tells it in a run notification.
    let rendered = dir.path().join("rendered.sarif");
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/projects/rendered");
    let out = infralint(
        &project,
        &[
            "--no-context",
            "--fail-on",
            "never",
            "-f",
            &format!("sarif={}", rendered.display()),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&rendered).unwrap()).unwrap();
    assert!(
        log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("not rendered")),
        "{log}"
    );
    let schema = tool("node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
    let out = run(Command::new(python())
        .args(["-c", SCHEMA_CHECK])
        .arg(schema)
        .arg(&sarif)
        .arg(&broken_path)
        .arg(&rendered));
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    let counts: Vec<&str> = report
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.rsplit(' ').next())
        .collect();
    assert_eq!(counts, ["0", "1", "0"], "{report}");
}

/// Read a JUnit file with junitparser and print suites, cases and failures as one JSON value.
const JUNIT_READ: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        failures = [r.type for r in case.result if isinstance(r, Failure)]
        cases.append({"name": case.name, "classname": case.classname, "failures": failures})
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "cases": cases})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "suites": suites}))
"#;

#[test]
fn junit_is_read_by_junitparser() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xml");
    let out = infralint(&mixed(), &["-f", &format!("junit={}", path.display())]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let read = run(Command::new(python()).args(["-c", JUNIT_READ]).arg(&path));
    assert!(read.status.success(), "{}", text(&read));
    let parsed: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    let suites = parsed["suites"].as_array().unwrap();
    let total: u64 = suites.iter().map(|s| s["tests"].as_u64().unwrap()).sum();
    assert_eq!(parsed["tests"], total, "{parsed}");
    let dockerfile = suites
        .iter()
        .find(|s| s["name"] == "fixtures/projects/mixed/app/Dockerfile")
        .unwrap_or_else(|| panic!("no suite for the Dockerfile: {parsed}"));
    let cases = dockerfile["cases"].as_array().unwrap();
    assert_eq!(dockerfile["tests"], cases.len());
    for case in cases {
        assert_eq!(case["classname"], dockerfile["name"]);
    }
    // With the default `--fail-on critical`, the critical findings fail their cases.
    let failing: Vec<&str> = cases
        .iter()
        .filter(|c| !c["failures"].as_array().unwrap().is_empty())
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(failing, ["docker/hardcoded-secret", "docker/root-user"]);
    // Plus the compose file's `compose/hardcoded-secret`.
    assert_eq!(parsed["failures"], 3);
    assert!(!std::fs::read_to_string(&path).unwrap().contains("hunter2"));
}

/// The `files` pattern of the published hook.
fn hook_files_pattern() -> String {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let line = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("files: "))
        .expect("a files pattern in .pre-commit-hooks.yaml");
    line.trim_matches('\'').to_string()
}

/// Paths of every format (and a few that are not infrastructure), as pre-commit passes them.
const HOOK_PATHS: &[(&str, bool)] = &[
    ("app/Dockerfile", true),
    ("Containerfile", true),
    ("build/api.Dockerfile", true),
    ("build/Dockerfile-alpine", true),
    ("build/Dockerfile_alpine", true),
    ("build/api.Dockerfile.prod", true),
    ("build/api.dockerfile", true),
    ("build/Dockerfiles", false),
    ("compose.yaml", true),
    ("deploy/.env", true),
    ("k8s/deployment.yml", true),
    ("flows/etl.yaml", true),
    ("units/app.service", true),
    ("units/app.service.d/limits.conf", true),
    ("units/backup.timer", true),
    ("infra/main.tf", true),
    ("infra/prod.tfvars", true),
    ("infra/main.tf.json", true),
    (".github/workflows/ci.yml", true),
    (".github/actions/setup/action.yaml", true),
    (".gitlab-ci.yml", true),
    ("ci/templates/build.gitlab-ci.yml", true),
    ("README.md", false),
    ("src/main.rs", false),
    ("notes.txt", false),
];

/// The published `files` pattern, read with Python's `re` as pre-commit reads it, selects a
/// file of each of the seven formats and leaves other files alone.
#[test]
fn hook_files_pattern_selects_every_format() {
    let script = "import re, sys\npattern = re.compile(sys.argv[1])\n\
                  for path in sys.argv[2:]:\n    print(bool(pattern.search(path)))\n";
    let out = run(Command::new(python())
        .args(["-c", script, &hook_files_pattern()])
        .args(HOOK_PATHS.iter().map(|(path, _)| path)));
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let got: Vec<bool> = stdout.lines().map(|l| l == "True").collect();
    let want: Vec<bool> = HOOK_PATHS.iter().map(|(_, selected)| *selected).collect();
    assert_eq!(got, want, "{HOOK_PATHS:?}");
}

#[test]
fn pre_commit_hook_fails_on_a_finding_and_passes_after_the_fix() {
    let pre_commit = tool("venv/bin/pre-commit");
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    let git = |args: &[&str]| {
        let out = run(Command::new("git").current_dir(dir).args(args));
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    };
    git(&["init", "--quiet"]);
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(
        dir.join("app/Dockerfile"),
        "FROM alpine:3.20\nUSER root\nCMD [\"sleep\", \"1\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not infrastructure\n").unwrap();
    // The published hook runs `language: rust`, which builds infralint with cargo; here the
    // binary under test stands in for it, with the published `files` pattern.
    let config = format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: infralint\n        name: infralint\n        \
         entry: '{}'\n        language: system\n        files: '{}'\n        require_serial: true\n",
        assert_cmd::cargo::cargo_bin("infralint").display(),
        hook_files_pattern()
    );
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
    git(&["add", "."]);
    let pre_commit_run = || {
        run(Command::new(&pre_commit)
            .current_dir(dir)
            .env("PRE_COMMIT_HOME", dir.join(".cache-pre-commit"))
            .env("NO_COLOR", "1")
            .args(["run", "--all-files", "--color", "never"]))
    };
    let failed = pre_commit_run();
    let output = text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{output}");
    assert!(output.contains("docker/root-user"), "{output}");
    assert!(output.contains("app/Dockerfile"), "{output}");

    std::fs::write(
        dir.join("app/Dockerfile"),
        "FROM alpine:3.20\nUSER 10001\nCMD [\"sleep\", \"1\"]\n",
    )
    .unwrap();
    git(&["add", "."]);
    let passed = pre_commit_run();
    assert_eq!(passed.status.code(), Some(0), "{}", text(&passed));
    assert!(text(&passed).contains("Passed"), "{}", text(&passed));
}

/// pre-commit passes only the staged files. A Terraform file whose backend and version pins are
/// in another file of its module, and a Deployment whose NetworkPolicy and PodDisruptionBudget
/// are in other files, get no false finding when they alone changed; with `--no-context` they
/// do, which shows the files given alone would cry wolf.
#[test]
fn pre_commit_hook_with_one_changed_file_reads_its_context() {
    let pre_commit = tool("venv/bin/pre-commit");
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    let git = |args: &[&str]| {
        let out = run(Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args));
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    };
    git(&["init", "--quiet"]);
    let put = |name: &str, content: &str| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    };
    put(
        "infra/versions.tf",
        "terraform {\n  backend \"s3\" {}\n  required_providers {\n    aws = {\n      \
         source  = \"hashicorp/aws\"\n      version = \"~> 5.40\"\n    }\n  }\n}\n",
    );
    let main = |name: &str| {
        format!(
            "provider \"aws\" {{\n  region = \"eu-west-1\"\n}}\n\n\
             resource \"aws_sqs_queue\" \"jobs\" {{\n  name = \"{name}\"\n  \
             tags = {{ team = \"shop\" }}\n}}\n"
        )
    };
    put("infra/main.tf", &main("jobs"));
    put(
        "k8s/policies.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  \
         namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n---\n\
         apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\n  \
         namespace: shop\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      \
         app: web\n",
    );
    let deployment = |image: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n\
             spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    \
             metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        \
             - name: web\n          image: {image}\n"
        )
    };
    put(
        "k8s/web.yaml",
        &deployment("registry.example.com/web:1.0.0"),
    );
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "start"]);

    let hook_run = |args: &str| {
        let config = format!(
            "repos:\n  - repo: local\n    hooks:\n      - id: infralint\n        name: infralint\n        \
             entry: '{}'\n        args: [--fail-on, never, --select, all{args}]\n        \
             language: system\n        files: '{}'\n        require_serial: true\n",
            assert_cmd::cargo::cargo_bin("infralint").display(),
            hook_files_pattern()
        );
        std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
        run(Command::new(&pre_commit)
            .current_dir(dir)
            .env("PRE_COMMIT_HOME", dir.join(".cache-pre-commit"))
            .env("NO_COLOR", "1")
            .args(["run", "--verbose", "--color", "never"]))
    };
    // Only these two files change.
    put("infra/main.tf", &main("jobs-v2"));
    put(
        "k8s/web.yaml",
        &deployment("registry.example.com/web:latest"),
    );
    git(&["add", "infra/main.tf", "k8s/web.yaml"]);
    let context_rules = [
        "terraform/local-state",
        "terraform/unpinned-provider",
        "k8s/missing-network-policy",
        "k8s/missing-pod-disruption-budget",
    ];

    let with_context = hook_run("");
    let output = text(&with_context);
    assert_eq!(with_context.status.code(), Some(0), "{output}");
    // The hook ran on the changed files: the new tag is reported.
    assert!(output.contains("k8s/unpinned-image"), "{output}");
    assert!(output.contains("k8s/web.yaml"), "{output}");
    assert!(!output.contains("policies.yaml"), "{output}");
    assert!(!output.contains("versions.tf"), "{output}");
    let reports = |output: &str, rule: &str| output.lines().any(|line| line.trim() == rule);
    assert!(reports(&output, "k8s/unpinned-image"), "{output}");
    for rule in context_rules {
        assert!(!reports(&output, rule), "{rule}: {output}");
    }

    let without = hook_run(", --no-context");
    let output = text(&without);
    for rule in context_rules {
        assert!(reports(&output, rule), "{rule}: {output}");
    }
}
