//! Jobs that download their dependencies afresh on every run: setup actions without their
//! cache option, GitLab jobs without `cache:`.
use super::activity::{
    Command, Ecosystem, action_major, commands, first_install, install, is_publish_command,
    is_release_name, is_release_workflow, places_through, run_steps, step_publishes,
};
use crate::formats::ci::unit::is_gitlab_root;
use crate::rules::prelude::*;
use crate::source::Span;

pub(crate) static RULE: Rule = Rule {
    id: "ci/missing-dependency-cache",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/ci/missing-dependency-cache.md"),
    check: Check::Ci(check),
};

fn check(file: &CiFile, cx: &mut Ctx) {
    match file.flavor {
        Flavor::Gitlab => gitlab(file, cx),
        Flavor::Workflow | Flavor::Action => github(file, cx),
    }
}

/// The setup actions that can cache their ecosystem's downloads.
const SETUPS: &[(&str, Ecosystem, &str)] = &[
    ("actions/setup-node", Ecosystem::Node, "Node.js"),
    ("actions/setup-python", Ecosystem::Python, "Python"),
    ("actions/setup-go", Ecosystem::Go, "Go"),
    ("actions/setup-java", Ecosystem::Java, "Java"),
];

/// Actions that cache whatever paths they are given.
const GENERIC_CACHES: &[&str] = &[
    "actions/cache",
    "buildjet/cache",
    "useblacksmith/cache",
    "runs-on/cache",
    "tespkg/actions-cache",
    "whywaita/actions-cache-s3",
];

fn github(file: &CiFile, cx: &mut Ctx) {
    let units: Vec<(Option<&Job>, &[Step])> = file
        .jobs
        .iter()
        .map(|j| (Some(j), j.steps.as_slice()))
        .chain(std::iter::once((None, file.steps.as_slice())))
        .collect();
    let release_workflow = is_release_workflow(file);
    for (job, steps) in units {
        // The steps as they run: a local composite action's steps may install, cache or
        // publish for the job.
        let running = run_steps(&file.unit, steps);
        let installs = first_install(&places_through(&file.unit, steps));
        if installs.is_empty() {
            continue;
        }
        // A cache restored into a release job is how a poisoned cache reaches what ships.
        let releases = job.is_some_and(|j| release_workflow || is_release_job_name(j))
            || running.iter().any(|(s, _)| step_publishes(s));
        if releases {
            continue;
        }
        let mut cached: Option<Span> = None;
        for step in steps {
            let Some(uses) = &step.uses else {
                continue;
            };
            let Some((_, eco, language)) = SETUPS.iter().find(|(a, _, _)| uses.is(a)) else {
                continue;
            };
            let Some((_, _, manager, command)) = installs.iter().find(|i| i.1 == *eco) else {
                continue;
            };
            let setup = setup_cache(file, step, uses, *eco, manager, cx);
            if setup == SetupCache::Yes {
                cached.get_or_insert(step.anchor());
                continue;
            }
            if let Some((other, via)) = running.iter().find(|(s, via)| {
                // The version comment of a step of a local action is in that action's file.
                let source = if via.is_some() {
                    ""
                } else {
                    cx.source().text.as_str()
                };
                caches(s, *eco, source)
            }) {
                cached.get_or_insert(via.unwrap_or(other).anchor());
                continue;
            }
            cx.report(
                step.anchor(),
                format!(
                    "{} sets up {language} without caching the dependencies that `{}` downloads",
                    step.label(),
                    short(command)
                ),
            )
            .help(github_help(*eco, manager, setup));
        }
        // A job without a setup action may still cache what it installs.
        let cached = cached.or_else(|| {
            running
                .iter()
                .find(|(s, _)| {
                    s.uses.as_ref().is_some_and(|u| {
                        GENERIC_CACHES.iter().any(|c| u.is(c))
                            || (SETUPS.iter().any(|(a, _, _)| u.is(a))
                                && s.input("cache")
                                    .and_then(Node::as_str)
                                    .is_some_and(|c| !c.trim().is_empty() && c != "false"))
                    })
                })
                .map(|(s, via)| via.unwrap_or(s).anchor())
        });
        if let Some(at) = cached {
            let owner = job.map_or("the action".to_string(), |j| {
                format!("job `{}`", j.id.value)
            });
            cx.pass(at, format!("{owner} caches the dependencies it downloads"));
        }
    }
}

/// Whether a job's id or `name:` (GitHub) or `stage:` (GitLab) says release or publish.
fn is_release_job_name(job: &Job) -> bool {
    is_release_name(&job.id.value)
        || job
            .node
            .get("name")
            .and_then(Node::as_str)
            .is_some_and(is_release_name)
        || job
            .stage
            .as_ref()
            .is_some_and(|s| is_release_name(&s.value))
}

/// A command for a message: its first few words.
fn short(command: &str) -> String {
    command.split(' ').take(4).collect::<Vec<_>>().join(" ")
}

/// Whether a setup action caches, and why not when it does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SetupCache {
    Yes,
    /// No cache option (or an empty one).
    Unset,
    /// `actions/setup-go` with `cache: false`.
    TurnedOff,
    /// `actions/setup-go` before v4, which does not cache by default.
    OldGo,
}

/// Whether a setup step caches its ecosystem's downloads by itself.
fn setup_cache(
    file: &CiFile,
    step: &Step,
    uses: &Uses,
    eco: Ecosystem,
    manager: &str,
    cx: &Ctx,
) -> SetupCache {
    let cache = step.input("cache");
    let set = cache
        .and_then(Node::as_str)
        .is_some_and(|c| !c.trim().is_empty());
    let off = |node: Option<&Node>| {
        node.is_some_and(|n| n.as_bool() == Some(false) || n.as_str() == Some("false"))
    };
    let major = action_major(uses, &cx.source().text);
    match eco {
        Ecosystem::Go => {
            if off(cache) {
                SetupCache::TurnedOff
            } else if cache.is_some() || major.is_none_or(|m| m >= 4) {
                SetupCache::Yes
            } else {
                SetupCache::OldGo
            }
        }
        Ecosystem::Node if !set => {
            // From v5, the action caches by itself when `package.json` names the package
            // manager (v6 and later: npm only).
            if off(step.input("package-manager-cache")) || major.is_some_and(|m| m < 5) {
                return SetupCache::Unset;
            }
            // The `packageManager` field of the repository's root `package.json`.
            let Some(declared) = &file.unit.package_manager else {
                return SetupCache::Unset;
            };
            let name = declared.split('@').next().unwrap_or("");
            let automatic = name == manager && (name == "npm" || major.is_none_or(|m| m < 6));
            if automatic {
                SetupCache::Yes
            } else {
                SetupCache::Unset
            }
        }
        _ if set => SetupCache::Yes,
        _ => SetupCache::Unset,
    }
}

/// Whether a step other than the setup action caches the ecosystem's downloads.
fn caches(step: &Step, eco: Ecosystem, source: &str) -> bool {
    let Some(uses) = &step.uses else {
        return false;
    };
    if GENERIC_CACHES.iter().any(|c| uses.is(c)) {
        return true;
    }
    let input = |k: &str| step.input(k);
    let enabled = |n: Option<&Node>| n.is_some_and(|n| n.as_bool() != Some(false));
    match eco {
        Ecosystem::Python if uses.is("astral-sh/setup-uv") => match input("enable-cache") {
            // From v5, on GitHub's runners.
            None => action_major(uses, source).is_none_or(|m| m >= 5),
            node => enabled(node) && node.and_then(Node::as_str) != Some("false"),
        },
        Ecosystem::Python if uses.is("pdm-project/setup-pdm") => enabled(input("cache")),
        Ecosystem::Java => {
            uses.is("gradle/gradle-build-action")
                || (uses.is("gradle/actions") && uses.action().ends_with("setup-gradle"))
        }
        Ecosystem::Node => uses.is("bahmutov/npm-install") || uses.is("cypress-io/github-action"),
        _ => false,
    }
}

fn github_help(eco: Ecosystem, manager: &str, setup: SetupCache) -> String {
    let add = |value: &str| format!("add `cache: {value}` to the step's `with:`");
    match (eco, manager, setup) {
        (Ecosystem::Go, _, SetupCache::TurnedOff) => {
            "remove `cache: false` from the step's `with:`".to_string()
        }
        (Ecosystem::Go, _, _) => {
            "upgrade to `actions/setup-go` v4 or later, which caches by default".to_string()
        }
        (Ecosystem::Node, "npm" | "yarn" | "pnpm", _) => add(manager),
        (Ecosystem::Node, _, _) => {
            "cache the package manager's downloads with `actions/cache`".to_string()
        }
        (Ecosystem::Python, "pip", _) => format!(
            "{}, with `cache-dependency-path` when the requirements are not in `requirements.txt` or `pyproject.toml`",
            add("pip")
        ),
        (Ecosystem::Python, "poetry" | "pipenv", _) => add(manager),
        (Ecosystem::Python, "uv", _) => {
            "install uv with `astral-sh/setup-uv` (v5 or later caches by default)".to_string()
        }
        (Ecosystem::Python, _, _) => {
            "set up PDM with `pdm-project/setup-pdm` and `cache: true`".to_string()
        }
        (Ecosystem::Java, "gradle", _) => format!(
            "{}, or set up Gradle with `gradle/actions/setup-gradle`",
            add("gradle")
        ),
        (Ecosystem::Java, "sbt", _) => add("sbt"),
        _ => add("maven"),
    }
}

fn gitlab(file: &CiFile, cx: &mut Ctx) {
    // An included file's jobs take `default:` and templates from files it does not see.
    if !is_gitlab_root(&cx.source().name) {
        return;
    }
    let default_elsewhere = file.unit.unseen
        || file.unit.included.iter().any(|i| {
            i.file
                .default
                .as_ref()
                .and_then(|d| d.get("cache"))
                .is_some()
        });
    let mut uncached: Vec<Uncached> = Vec::new();
    for job in file.runnable_jobs() {
        if extends_elsewhere(file, job, 0) {
            continue;
        }
        let lines = script_texts(file, job, &cx.source().text);
        // A cache restored into a release job is how a poisoned cache reaches what ships.
        if is_release_job_name(job)
            || lines
                .iter()
                .any(|t| commands(t.as_str()).iter().any(is_publish_command))
        {
            continue;
        }
        let Some((span, manager, command)) = lines.iter().find_map(|text| {
            commands(text.as_str()).iter().find_map(|cmd| {
                let (_, manager) = install(cmd)?;
                Some((span_of(text, cmd), manager, cmd.words.join(" ")))
            })
        }) else {
            continue;
        };
        match file.resolved(job, "cache") {
            Some(cache) if is_set(cache) => {
                cx.pass(
                    job.anchor(),
                    format!("job `{}` caches the dependencies it installs", job.id.value),
                );
                continue;
            }
            // `cache: []` turns an inherited cache off on purpose.
            Some(_) => continue,
            None if default_elsewhere && job.inherits_default("cache") => continue,
            None => {}
        }
        // A line of a template or of `default:` is reported once, for all its jobs.
        match uncached.iter_mut().find(|u| u.span == span) {
            Some(found) => found.jobs.push(&job.id.value),
            None => uncached.push(Uncached {
                span,
                manager,
                command,
                jobs: vec![&job.id.value],
            }),
        }
    }
    for u in uncached {
        let jobs: Vec<String> = u.jobs.iter().map(|j| format!("`{j}`")).collect();
        let who = match jobs.as_slice() {
            [one] => format!("job {one} installs"),
            [rest @ .., last] => format!("jobs {} and {last} install", rest.join(", ")),
            [] => continue,
        };
        cx.report(
            u.span,
            format!(
                "{who} dependencies with `{}` and keep{} no `cache:`",
                short(&u.command),
                if jobs.len() == 1 { "s" } else { "" }
            ),
        )
        .help(gitlab_help(u.manager));
    }
}

/// An install line run without a cache, and the jobs that run it.
struct Uncached<'a> {
    span: Span,
    manager: &'static str,
    command: String,
    jobs: Vec<&'a str>,
}

/// Whether a cache value caches something (`[]`, `{}` and null do not).
fn is_set(cache: &Node) -> bool {
    !cache.is_null()
        && cache.as_seq().is_none_or(|s| !s.is_empty())
        && cache.as_map().is_none_or(|m| !m.is_empty())
}

/// Whether a job extends a template that is not in this file.
fn extends_elsewhere(file: &CiFile, job: &Job, depth: usize) -> bool {
    depth < 10
        && job.extends.iter().any(|name| match file.job(&name.value) {
            None => true,
            Some(parent) => extends_elsewhere(file, parent, depth + 1),
        })
}

/// The script lines a GitLab job runs: its own sections, those of the templates it extends,
/// and `before_script`/`after_script` from `default:`.
fn script_texts(file: &CiFile, job: &Job, source: &str) -> Vec<Text> {
    let mut out = Vec::new();
    for (key, section) in [
        ("before_script", ScriptSection::BeforeScript),
        ("script", ScriptSection::Script),
        ("after_script", ScriptSection::AfterScript),
    ] {
        let Some(node) = file.resolved(job, key) else {
            continue;
        };
        let owner = file
            .jobs
            .iter()
            .find(|j| j.get(key).is_some_and(|n| n.span == node.span));
        match owner {
            Some(owner) => out.extend(
                owner
                    .scripts
                    .iter()
                    .filter(|l| l.section == section)
                    .map(|l| l.text.clone()),
            ),
            None => collect_scalars(node, source, 0, &mut out),
        }
    }
    out
}

fn collect_scalars(node: &Node, source: &str, depth: usize, out: &mut Vec<Text>) {
    if depth > 10 {
        return;
    }
    match node.as_seq() {
        Some(items) => {
            for item in items {
                collect_scalars(item, source, depth + 1, out);
            }
        }
        None => out.extend(Text::of(node, source)),
    }
}

/// The source span of a command of a script line.
fn span_of(text: &Text, cmd: &Command) -> Span {
    let place = super::activity::Place {
        step: None,
        text: Some(text),
        via: None,
    };
    place.span_of(cmd)
}

/// What to add to a GitLab job for a package manager: the variable that moves its download
/// directory into the project (GitLab caches only paths inside it), and the path to cache.
fn gitlab_help(manager: &str) -> String {
    let (setting, path) = match manager {
        "npm" => ("run `npm ci --cache .npm --prefer-offline`", ".npm/"),
        "yarn" => (
            "run `yarn install --cache-folder .yarn-cache`",
            ".yarn-cache/",
        ),
        "pnpm" => (
            "run `pnpm config set store-dir .pnpm-store` first",
            ".pnpm-store/",
        ),
        "bun" => ("set `BUN_INSTALL_CACHE_DIR: .bun-cache`", ".bun-cache/"),
        "pip" | "pipenv" => (
            "set `PIP_CACHE_DIR: $CI_PROJECT_DIR/.cache/pip`",
            ".cache/pip/",
        ),
        "poetry" => (
            "set `POETRY_CACHE_DIR: $CI_PROJECT_DIR/.cache/pypoetry`",
            ".cache/pypoetry/",
        ),
        "pdm" => (
            "set `PDM_CACHE_DIR: $CI_PROJECT_DIR/.cache/pdm`",
            ".cache/pdm/",
        ),
        "uv" => (
            "set `UV_CACHE_DIR: $CI_PROJECT_DIR/.cache/uv`",
            ".cache/uv/",
        ),
        "go" => (
            "set `GOMODCACHE: $CI_PROJECT_DIR/.cache/go-mod`",
            ".cache/go-mod/",
        ),
        "maven" => (
            "set `MAVEN_OPTS: -Dmaven.repo.local=$CI_PROJECT_DIR/.m2/repository`",
            ".m2/repository/",
        ),
        "gradle" => (
            "set `GRADLE_USER_HOME: $CI_PROJECT_DIR/.gradle`",
            ".gradle/caches/",
        ),
        "sbt" => (
            "set `COURSIER_CACHE: $CI_PROJECT_DIR/.cache/coursier`",
            ".cache/coursier/",
        ),
        "bundler" => (
            "run `bundle config set --local path vendor/bundle` first",
            "vendor/bundle/",
        ),
        "composer" => (
            "set `COMPOSER_CACHE_DIR: $CI_PROJECT_DIR/.cache/composer`",
            ".cache/composer/",
        ),
        "cargo" => (
            "set `CARGO_HOME: $CI_PROJECT_DIR/.cargo`",
            ".cargo/registry/",
        ),
        _ => (
            "set `NUGET_PACKAGES: $CI_PROJECT_DIR/.nuget/packages`",
            ".nuget/packages/",
        ),
    };
    format!("add `cache:` with `paths: [{path}]` keyed on the lock file, and {setting}")
}
