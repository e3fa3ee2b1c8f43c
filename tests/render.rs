//! `--render` end to end: the real `kubectl kustomize` on a fixture overlay, a fake `helm` on
//! PATH that prints a recorded rendering, the refusals (checked to start no tool at all), a
//! missing tool, unvendored chart dependencies, a failing and a hanging renderer, and the
//! fallback to `kustomize build`.
#![allow(unused_crate_dependencies)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod support;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `dir` holds an executable `name`.
fn has(dir: &Path, name: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(dir.join(name))
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The directory of a real `kubectl`: on PATH, else in the virtual environment of `.ci/tools`
/// (which installs it there when the machine has none; run here if needed). A test that cannot
/// find one fails: the Kustomize path must be tested for real.
fn kubectl_dir() -> PathBuf {
    let on_path = || {
        std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<PathBuf>>())
            .unwrap_or_default()
            .into_iter()
            .find(|dir| has(dir, "kubectl"))
    };
    let tools = || {
        let base = std::env::var_os("INFRALINT_CI_TOOLS")
            .filter(|d| !d.is_empty())
            .map_or_else(|| root().join("target/ci-tools"), PathBuf::from);
        Some(base.join("venv/bin")).filter(|dir| has(dir, "kubectl"))
    };
    if let Some(dir) = on_path().or_else(tools) {
        return dir;
    }
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _once = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(dir) = tools() {
        return dir;
    }
    let out = std::process::Command::new("bash")
        .arg(root().join(".ci/tools"))
        .output()
        .unwrap();
    tools().unwrap_or_else(|| {
        panic!(
            "no kubectl on PATH, and `bash .ci/tools` did not install one into \
             target/ci-tools/venv/bin:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A directory of fake tools: each a shell script that appends its arguments to
/// `<record>/<name>` before running `body`.
struct Fakes {
    dir: tempfile::TempDir,
    record: tempfile::TempDir,
}

impl Fakes {
    fn new(tools: &[(&str, &str)]) -> Fakes {
        let fakes = Fakes {
            dir: tempfile::tempdir().unwrap(),
            record: tempfile::tempdir().unwrap(),
        };
        for (name, body) in tools {
            let record = fakes.record.path().join(name);
            let script = format!("#!/bin/sh\necho \"$*\" >> '{}'\n{body}\n", record.display());
            let path = fakes.dir.path().join(name);
            std::fs::write(&path, script).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        fakes
    }

    /// The arguments each call of a tool was given, one line per call.
    fn calls(&self, name: &str) -> String {
        std::fs::read_to_string(self.record.path().join(name)).unwrap_or_default()
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.record.path().join(name)).unwrap_or_default()
    }
}

fn path_of(dirs: &[&Path]) -> OsString {
    std::env::join_paths(dirs).unwrap()
}

/// `infralint --render` from the repository root with `PATH` set to `path`, and a
/// KUBECONFIG that the renderers must not see.
fn run(path: &OsString, args: &[&str], timeout_ms: Option<&str>) -> std::process::Output {
    let mut command = Command::cargo_bin("infralint").unwrap();
    command
        .current_dir(root())
        .env("PATH", path)
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .env_remove("INFRALINT_RENDER_TIMEOUT_MS")
        .args(["--no-config", "--render"])
        .args(args);
    if let Some(ms) = timeout_ms {
        command.env("INFRALINT_RENDER_TIMEOUT_MS", ms);
    }
    command.output().unwrap()
}

/// A run's findings, one line each, its notices, exit code and standard error, from `-f json`.
fn summary(out: &std::process::Output) -> String {
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut text = String::new();
    for f in report["findings"].as_array().unwrap() {
        text.push_str(&support::json_finding_line(f));
    }
    for notice in report["notices"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "notice: {}\n",
            notice["message"].as_str().unwrap()
        ));
        for path in notice["paths"].as_array().unwrap() {
            text.push_str(&format!("  {}\n", path.as_str().unwrap()));
        }
    }
    text.push_str(&format!("exit: {}\n", out.status.code().unwrap()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.is_empty() {
        text.push_str(&format!("stderr: {stderr}"));
    }
    text
}

#[test]
fn kustomize_roots_are_rendered_by_the_real_kubectl() {
    let kubectl = kubectl_dir();
    let out = run(
        &path_of(&[&kubectl]),
        &["-f", "json", "fixtures/projects/rendered/deploy"],
        None,
    );
    let text = summary(&out);
    // The overlay's rendering is linted as one stream named after it, with the object names
    // in the messages; the overlay is no longer listed as not rendered.
    assert!(
        text.contains("fixtures/projects/rendered/deploy/overlays/prod (kustomize):")
            && text.contains("`Deployment/api`")
            && !text.contains("notice:"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn charts_are_rendered_by_helm_and_attributed_to_their_templates() {
    let recorded = root().join("fixtures/render/helm-template-web.yaml");
    // The fake records its arguments, its environment, its working directory and what it
    // reads from standard input, then prints the recorded rendering.
    let fakes = Fakes::new(&[("helm", "exit 1")]);
    let probe = fakes.record.path().join("probe");
    let script = format!(
        "#!/bin/sh\necho \"$*\" >> '{calls}'\n/usr/bin/env > '{probe}.env'\n/bin/pwd > '{probe}.pwd'\n\
         /usr/bin/wc -c > '{probe}.stdin'\n/bin/cat '{recorded}'\n",
        calls = fakes.record.path().join("helm").display(),
        probe = probe.display(),
        recorded = recorded.display()
    );
    let helm = fakes.dir.path().join("helm");
    std::fs::write(&helm, script).unwrap();
    let out = run(
        &path_of(&[fakes.dir.path()]),
        &["-f", "json", "fixtures/projects/rendered/charts/web"],
        None,
    );
    let text = summary(&out);
    assert!(
        text.contains("fixtures/projects/rendered/charts/web/templates/deployment.yaml:")
            && text.contains("(in rendered output)"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    // `helm template RELEASE CHART`, with the chart's name as the release.
    let chart = root().join("fixtures/projects/rendered/charts/web");
    assert_eq!(
        fakes.calls("helm"),
        format!("template web {}\n", chart.display())
    );
    // A fresh HOME and Helm directories inside it, nothing of the caller's environment, no
    // input, and a working directory outside the scanned tree.
    let env = fakes.file("probe.env");
    let home = env
        .lines()
        .find_map(|l| l.strip_prefix("HOME="))
        .unwrap()
        .to_string();
    assert!(
        !home.is_empty() && !home.starts_with(root().to_str().unwrap()),
        "{env}"
    );
    for name in ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"] {
        let value = env
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} not set: {env}"));
        assert!(value.starts_with(&home), "{name}={value}");
    }
    assert!(!env.contains("KUBECONFIG"), "{env}");
    assert!(
        !fakes
            .file("probe.pwd")
            .starts_with(root().to_str().unwrap())
    );
    assert_eq!(fakes.file("probe.stdin").trim(), "0");
    // The temporary HOME is gone after the run.
    assert!(!Path::new(&home).exists());
}

#[test]
fn refused_directories_start_no_tool() {
    let fakes = Fakes::new(&[
        ("kubectl", "exit 0"),
        ("kustomize", "exit 0"),
        ("helm", "exit 0"),
    ]);
    let out = run(
        &path_of(&[fakes.dir.path()]),
        &["-f", "json", "fixtures/render/refused"],
        None,
    );
    for tool in ["kubectl", "kustomize", "helm"] {
        assert_eq!(fakes.calls(tool), "", "{tool} was run");
    }
    let text = summary(&out);
    insta::assert_snapshot!(text);
    // One refusal of each kind.
    for kind in [
        "remote resource `github.com/example/platform//deploy/base?ref=v1.4.0`",
        "remote component `https://example.com/platform/components.git//tls?ref=main`",
        "`helmCharts` inflates a Helm chart",
        "remote file `https://raw.example.com/platform/patches/replicas.yaml` in `patches`",
        "remote file `https://raw.example.com/platform/app.conf` in `configMapGenerator`",
        "plugin configuration is a KRM function",
        "`transformers` entry is a KRM function",
        "the values schema refers to `https://schemas.example.com/",
    ] {
        assert!(text.contains(kind), "{kind}: {text}");
    }
    // The built-in transformer is not refused.
    assert!(!text.contains("LabelTransformer"), "{text}");
}

#[test]
fn a_missing_tool_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = run(
        &path_of(&[empty.path()]),
        &["-f", "json", "fixtures/projects/rendered"],
        None,
    );
    insta::assert_snapshot!(summary(&out));
}

#[test]
fn unvendored_dependencies_are_an_error_that_says_what_to_run() {
    let fakes = Fakes::new(&[("helm", "exit 0")]);
    let out = run(
        &path_of(&[fakes.dir.path()]),
        &["-f", "json", "fixtures/render/unvendored"],
        None,
    );
    assert_eq!(fakes.calls("helm"), "");
    insta::assert_snapshot!(summary(&out));
}

#[test]
fn a_renderer_that_does_not_finish_is_stopped() {
    let fakes = Fakes::new(&[("kubectl", "exec /bin/sleep 30")]);
    let started = Instant::now();
    let out = run(
        &path_of(&[fakes.dir.path()]),
        &["-f", "json", "fixtures/projects/rendered/deploy"],
        Some("300"),
    );
    assert!(started.elapsed() < Duration::from_secs(15));
    let text = summary(&out);
    assert!(text.contains("exit: 2"), "{text}");
    assert!(
        text.contains("fixtures/projects/rendered/deploy/overlays/prod: `kubectl kustomize")
            && text.contains("did not finish within 300 ms and was stopped"),
        "{text}"
    );
    // The overlay stays listed as not rendered.
    assert!(
        text.contains("notice: 1 Kustomize overlay was not rendered"),
        "{text}"
    );
}

#[test]
fn a_failed_rendering_is_an_error_with_the_tool_s_message() {
    let kubectl = kubectl_dir();
    let out = run(
        &path_of(&[&kubectl]),
        &["-f", "json", "fixtures/render/failing"],
        None,
    );
    let text = summary(&out);
    assert!(text.contains("exit: 2"), "{text}");
    assert!(
        text.contains("stderr: error: fixtures/render/failing: `kubectl kustomize")
            && text.contains("exited with 1: ")
            && text.contains("missing.yaml"),
        "{text}"
    );
}

#[test]
fn kustomize_builds_where_kubectl_is_missing() {
    let fakes = Fakes::new(&[(
        "kustomize",
        "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: settings\\n'",
    )]);
    let out = run(
        &path_of(&[fakes.dir.path()]),
        &["-f", "json", "fixtures/projects/rendered/deploy"],
        None,
    );
    let overlay = root().join("fixtures/projects/rendered/deploy/overlays/prod");
    assert_eq!(
        fakes.calls("kustomize"),
        format!(
            "build --enable-helm=false --enable-alpha-plugins=false \
             --load-restrictor=LoadRestrictionsRootOnly {}\n",
            overlay.display()
        )
    );
    let text = summary(&out);
    assert!(
        text.contains("exit: 0") && !text.contains("notice:"),
        "{text}"
    );
}

#[test]
fn standard_input_is_not_rendered() {
    let out = Command::cargo_bin("infralint")
        .unwrap()
        .args(["--render", "-"])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--render"));
}
