//! Whole-context copies placed before the dependency install, which then reruns on every
//! source change.
use super::shell::{self, Command, basename};
use crate::formats::docker::context::whole_context_source;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/dependencies-after-source",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/docker/dependencies-after-source.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let mut passed = false;
    for stage in &file.stages {
        if !shell::stage_uses_posix_shell(file, stage) {
            continue;
        }
        let body = file.body(stage);
        let install = body.iter().enumerate().find_map(|(i, instr)| {
            if instr.kind != Kind::Run {
                return None;
            }
            let commands = shell::commands(instr);
            let label = shell::walk(&commands).into_iter().find_map(install_label)?;
            Some((i, instr, label))
        });
        let Some((at, run, label)) = install else {
            continue;
        };
        if bind_mounts_manifest(run) {
            continue;
        }
        let before = body.get(..at).unwrap_or(&[]);
        let after = body.get(at + 1..).unwrap_or(&[]);
        if let Some(copy) = before.iter().find(|i| whole_context_source(i).is_some()) {
            cx.report(
                copy.keyword.span.cover(copy.args.span),
                format!("the whole build context is copied before `{label}`, so every source change reinstalls the dependencies"),
            )
            .help("copy only the dependency manifests before the install and the rest of the source after it");
            continue;
        }
        let manifests = before.iter().find(|i| copies_manifest(i));
        let source_after = after.iter().any(|i| whole_context_source(i).is_some());
        if let (false, Some(copy), true) = (passed, manifests, source_after) {
            cx.pass(
                copy.keyword.span.cover(copy.args.span),
                format!(
                    "dependency manifests are copied and installed with `{label}` before the source"
                ),
            );
            passed = true;
        }
    }
}

/// The install command a RUN runs, as a label, when it installs the project's dependencies.
fn install_label(cmd: &Command) -> Option<String> {
    let name = cmd.name()?;
    let operands: Vec<&str> = cmd.operands().map(|w| w.text.as_str()).collect();
    let first = operands.first().copied();
    let label = match (name, first) {
        ("npm", Some(verb @ ("ci" | "install" | "i")))
            if !cmd.has_arg("-g") && !cmd.has_arg("--global") =>
        {
            format!("npm {verb}")
        }
        ("yarn", None | Some("install")) => "yarn install".to_string(),
        ("pnpm" | "bun", Some(verb @ ("install" | "i"))) => format!("{name} {verb}"),
        ("poetry" | "pipenv" | "bundle" | "composer", Some("install")) => format!("{name} install"),
        ("uv", Some("sync")) => "uv sync".to_string(),
        ("go", Some("mod")) if operands.get(1) == Some(&"download") => {
            "go mod download".to_string()
        }
        ("cargo", Some("fetch")) => "cargo fetch".to_string(),
        ("dotnet", Some("restore")) => "dotnet restore".to_string(),
        ("mix", Some("deps.get")) => "mix deps.get".to_string(),
        ("mvn" | "mvnw", _) if operands.contains(&"dependency:go-offline") => {
            format!("{name} dependency:go-offline")
        }
        _ => return pip_requirements(cmd),
    };
    Some(label)
}

/// `pip install -r <file>` (also `pip3`, `python -m pip`).
fn pip_requirements(cmd: &Command) -> Option<String> {
    let name = cmd.name()?;
    let args: Vec<&str> = cmd.args().iter().map(|w| w.text.as_str()).collect();
    let rest = if is_versioned(name, "pip") {
        args.as_slice()
    } else if is_versioned(name, "python") {
        match args.as_slice() {
            ["-m", "pip" | "pip3", rest @ ..] => rest,
            _ => return None,
        }
    } else {
        return None;
    };
    let (verb, options) = rest.split_first()?;
    let requirements = options.iter().any(|a| {
        *a == "-r" || a.starts_with("--requirement") || (a.starts_with("-r") && a.len() > 2)
    });
    (*verb == "install" && requirements).then(|| "pip install -r".to_string())
}

fn is_versioned(name: &str, program: &str) -> bool {
    name.strip_prefix(program)
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `RUN --mount=type=bind,source=package.json,…`: the install reads its manifests from the
/// context directly.
fn bind_mounts_manifest(run: &Instruction) -> bool {
    run.flags
        .iter()
        .filter(|f| f.name.value == "mount")
        .filter_map(|f| f.value.as_ref())
        .any(|v| {
            let mut bind = false;
            let mut manifest = false;
            for part in v.value.split(',') {
                let (key, value) = part.split_once('=').unwrap_or((part, ""));
                match key.trim() {
                    "type" => bind = value.trim() == "bind",
                    "source" | "src" => manifest = is_manifest(value.trim()),
                    _ => {}
                }
            }
            bind && manifest
        })
}

/// A COPY from the context (not the whole context) of at least one dependency manifest.
fn copies_manifest(instr: &Instruction) -> bool {
    instr.kind == Kind::Copy
        && instr.flag("from").is_none()
        && whole_context_source(instr).is_none()
        && instr.copy_sources().0.iter().any(|s| is_manifest(&s.value))
}

/// Dependency manifests and lockfiles, by file name; COPY globs such as `package*.json` count.
fn is_manifest(path: &str) -> bool {
    let name = basename(path.trim_end_matches('/'));
    let exact = matches!(
        name,
        "yarn.lock"
            | "pnpm-lock.yaml"
            | "pnpm-workspace.yaml"
            | "bun.lock"
            | "bun.lockb"
            | "pyproject.toml"
            | "poetry.lock"
            | "uv.lock"
            | "go.mod"
            | "go.sum"
            | "Cargo.toml"
            | "Cargo.lock"
            | "pom.xml"
            | "mix.exs"
            | "mix.lock"
    );
    let stem = |prefix: &str, suffix: &str| name.starts_with(prefix) && name.ends_with(suffix);
    exact
        || stem("package", ".json")
        || stem("requirements", ".txt")
        || name.starts_with("Pipfile")
        || name.starts_with("Gemfile")
        || name.starts_with("composer.")
        || name.starts_with("build.gradle")
        || name.ends_with(".csproj")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests() {
        for m in [
            "package.json",
            "package*.json",
            "./package-lock.json",
            "requirements-dev.txt",
            "Pipfile.lock",
            "Gemfile",
            "composer.lock",
            "build.gradle.kts",
            "src/Api/Api.csproj",
            "go.sum",
        ] {
            assert!(is_manifest(m), "{m}");
        }
        for m in ["src", ".", "main.go", "README.md", "packages/"] {
            assert!(!is_manifest(m), "{m}");
        }
    }
}
