//! Images that compile their software, or install a compiler toolchain, in the stage they ship.
use super::shell::{self, Command, basename};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/no-multi-stage-build",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/docker/no-multi-stage-build.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(last) = file.final_stage() else {
        return;
    };
    // The final stage ships what it inherits through `FROM <alias>` too: walk from the root.
    let chain = file.chain(last);
    for stage in chain.iter().rev() {
        if !shell::stage_uses_posix_shell(file, stage) {
            continue;
        }
        for instr in file.body(stage).iter().filter(|i| i.kind == Kind::Run) {
            let commands = shell::commands(instr);
            // Build packages removed again in the same instruction never reach a layer.
            if shell::walk(&commands).into_iter().any(removes_packages) {
                continue;
            }
            let mut steps: Vec<String> = Vec::new();
            let mut tools: Vec<String> = Vec::new();
            let mut at: Option<Span> = None;
            for cmd in shell::walk(&commands) {
                if let Some((step, span)) = build_step(cmd) {
                    push_unique(&mut steps, step);
                    at.get_or_insert(span);
                }
                for (package, span) in toolchain_packages(cmd) {
                    push_unique(&mut tools, package);
                    at.get_or_insert(span);
                }
            }
            let Some(at) = at else {
                continue;
            };
            let owner = if file.stages.len() > 1 {
                "final stage"
            } else {
                "single-stage build"
            };
            let mut what = Vec::new();
            if !steps.is_empty() {
                what.push(format!("runs {}", code_list(&steps)));
            }
            if !tools.is_empty() {
                what.push(format!("installs build toolchain {}", code_list(&tools)));
            }
            cx.report(at, format!("{owner} {}", what.join(" and ")))
                .help("build in a separate stage and copy only the artifacts into the final stage with `COPY --from`");
            return;
        }
    }
    if file.stages.len() > 1 {
        let copy = file
            .body(last)
            .iter()
            .find(|i| i.kind == Kind::Copy && i.flag("from").is_some());
        if let Some((copy, from)) = copy.and_then(|c| c.flag("from").map(|f| (c, f))) {
            let stage = from.value.as_ref().map_or("", |v| v.value.as_str());
            cx.pass(
                copy.keyword.span.cover(copy.args.span),
                format!("final stage takes its artifacts from `{stage}`"),
            );
        }
    }
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn code_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A command that compiles or bundles software: its label and where it is.
fn build_step(cmd: &Command) -> Option<(String, Span)> {
    let name = cmd.name()?;
    let operands: Vec<&str> = cmd.operands().map(|w| w.text.as_str()).collect();
    let first = operands.first().copied();
    let label = match name {
        "make" | "cmake" | "gcc" | "g++" | "clang" | "clang++" | "tsc" => name.to_string(),
        "go" if first == Some("build") => "go build".to_string(),
        "cargo" if operands.iter().find(|o| !o.starts_with('+')) == Some(&"build") => {
            "cargo build".to_string()
        }
        "mvn" | "mvnw" => {
            let phase = operands
                .iter()
                .find(|o| matches!(**o, "package" | "install" | "verify"))?;
            format!("{name} {phase}")
        }
        "gradle" | "gradlew" => {
            let task = operands.iter().find(|o| {
                let task = o.rsplit(':').next().unwrap_or(o);
                matches!(task, "build" | "assemble" | "bootJar" | "shadowJar")
            })?;
            format!("{name} {task}")
        }
        "npm" if first == Some("run") || first == Some("run-script") => {
            let script = operands.get(1).filter(|s| is_build_script(s))?;
            format!("npm run {script}")
        }
        "yarn" | "pnpm" => {
            let script = match first {
                Some("run") => operands.get(1).copied(),
                other => other,
            }
            .filter(|s| is_build_script(s))?;
            format!("{name} {script}")
        }
        "dotnet" if matches!(first, Some("publish" | "build")) => format!("dotnet {}", first?),
        _ if is_python(name) => {
            let args: Vec<&str> = cmd.args().iter().map(|w| w.text.as_str()).collect();
            match args.as_slice() {
                ["-m", "build", ..] => format!("{name} -m build"),
                ["-m", "pip" | "pip3", "wheel", ..] => "pip wheel".to_string(),
                _ => return None,
            }
        }
        _ if is_pip(name) && first == Some("wheel") => "pip wheel".to_string(),
        _ => return None,
    };
    Some((label, cmd.span()))
}

fn is_build_script(script: &str) -> bool {
    script == "build" || script.starts_with("build:")
}

pub(crate) fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Compiler and development packages a package-manager install brings in.
fn toolchain_packages(cmd: &Command) -> Vec<(String, Span)> {
    let Some(name) = cmd.name() else {
        return vec![];
    };
    let verbs: &[&str] = match name {
        "apt-get" | "apt" | "aptitude" => &["install"],
        "apk" => &["add"],
        "yum" | "dnf" | "microdnf" | "tdnf" => &["install"],
        "zypper" => &["install", "in"],
        _ => return vec![],
    };
    let args = cmd.args();
    let Some(verb) = args.iter().position(|w| verbs.contains(&w.text.as_str())) else {
        return vec![];
    };
    let mut out = Vec::new();
    let mut skip_next = false;
    for word in args.get(verb + 1..).unwrap_or(&[]) {
        let text = word.text.as_str();
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if text.starts_with('-') {
            // Options whose value is the next word.
            skip_next = matches!(
                text,
                "-t" | "--virtual" | "-X" | "--repository" | "-o" | "--target-release" | "-c"
            );
            continue;
        }
        let package = package_name(text);
        if is_toolchain(package) {
            out.push((package.to_string(), word.span));
        }
    }
    out
}

/// A package-manager command that uninstalls packages.
fn removes_packages(cmd: &Command) -> bool {
    let verbs: &[&str] = match cmd.name() {
        Some("apt-get" | "apt" | "aptitude") => &["purge", "remove", "autoremove"],
        Some("apk") => &["del"],
        Some("yum" | "dnf" | "microdnf" | "tdnf") => &["remove", "erase", "autoremove"],
        Some("zypper") => &["remove", "rm"],
        _ => return false,
    };
    cmd.args().iter().any(|w| verbs.contains(&w.text.as_str()))
}

/// `gcc=4:12.2.0-3`, `gcc:amd64`, `gcc@edge`, `gcc>=12` → `gcc`.
fn package_name(text: &str) -> &str {
    let text = basename(text);
    let end = text
        .find(['=', '<', '>', '~', '@', ':'])
        .unwrap_or(text.len());
    text.get(..end).unwrap_or(text)
}

fn is_toolchain(package: &str) -> bool {
    matches!(
        package,
        "build-essential"
            | "build-base"
            | "gcc"
            | "g++"
            | "gcc-c++"
            | "make"
            | "clang"
            | "musl-dev"
            | "alpine-sdk"
            | "golang"
            | "golang-go"
            | "go"
            | "rustc"
            | "cargo"
            | "maven"
            | "gradle"
    ) || (package.len() > 4 && package.ends_with("-dev"))
        || (package.len() > 6 && package.ends_with("-devel"))
        || (package.starts_with("openjdk")
            && (package.ends_with("-jdk") || package.ends_with("-jdk-headless")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names() {
        assert_eq!(package_name("gcc=4:12.2.0-3"), "gcc");
        assert_eq!(package_name("libpq-dev:amd64"), "libpq-dev");
        assert!(is_toolchain("libssl-dev"));
        assert!(is_toolchain("openssl-devel"));
        assert!(is_toolchain("openjdk-17-jdk-headless"));
        assert!(is_toolchain("openjdk17-jdk"));
        assert!(!is_toolchain("openjdk-17-jre"));
        assert!(!is_toolchain("udev"));
        assert!(!is_toolchain("libpq5"));
        assert!(!is_toolchain("-dev"));
    }
}
