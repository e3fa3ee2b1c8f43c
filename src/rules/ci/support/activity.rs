//! What pipeline jobs do, read from their steps and script lines: shell text split into simple
//! commands, and the activities several CI rules look for (tests, image builds and pushes,
//! deploys, dependency installs, security scans, throwaway local clusters).

use std::ops::Range;

use crate::formats::ci::unit::Surroundings;
use crate::formats::ci::{CiFile, Flavor, Job, Step, Text, Uses};
use crate::formats::shell::{self, Dialect, Word};
use crate::formats::yaml::Node;
use crate::source::Span;

/// One simple command of a shell text: its words (quotes removed, leading assignments and
/// wrappers dropped) and where it is.
#[derive(Debug)]
pub(crate) struct Command {
    pub words: Vec<String>,
    /// From the first to the last token as written, assignments and redirections included.
    pub range: Range<usize>,
}

/// The simple commands of a shell text, in the order they are written, those of substitutions
/// and `sh -c` scripts included; leading variable assignments and wrappers (`sudo`, `time`,
/// `if`, …) are dropped.
pub(crate) fn commands(text: &str) -> Vec<Command> {
    let read = shell::read(text, Dialect::Posix);
    shell::walk(&read)
        .into_iter()
        .filter_map(|command| {
            let words = without_prefixes(&command.words);
            (!words.is_empty()).then(|| Command {
                words,
                range: command.extent.clone(),
            })
        })
        .collect()
}

/// Words that only introduce the real command.
const PREFIXES: &[&str] = &[
    "sudo", "time", "exec", "env", "nohup", "command", "if", "then", "else", "elif", "do", "while",
    "until", "!", "xvfb-run", "eval",
];

/// The words of a command from its program on: assignments, [`PREFIXES`] and the options of a
/// prefix (`sudo -E`) are dropped from the front, and empty words everywhere.
fn without_prefixes(words: &[Word]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skipped = 0;
    for word in words {
        let word = word.text.as_str();
        if out.is_empty() {
            let assignment = word.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            });
            if assignment || PREFIXES.contains(&word) || (word.starts_with('-') && skipped > 0) {
                skipped += 1;
                continue;
            }
        }
        if !word.is_empty() {
            out.push(word.to_string());
        }
    }
    out
}

impl Command {
    /// The program's name without its directory (`./gradlew` → `gradlew`).
    pub fn program(&self) -> &str {
        shell::basename(self.words.first().map_or("", String::as_str))
    }

    /// The words after the program.
    pub fn args(&self) -> &[String] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The arguments that are not options.
    pub fn operands(&self) -> impl Iterator<Item = &str> {
        self.args()
            .iter()
            .map(String::as_str)
            .filter(|w| !w.starts_with('-'))
    }

    /// The first operand (a subcommand).
    pub fn sub(&self) -> Option<&str> {
        self.operands().next()
    }

    pub fn has_flag(&self, prefix: &str) -> bool {
        self.args().iter().any(|w| w.starts_with(prefix))
    }

    /// The command this one runs, for wrappers such as `poetry run pytest`, `npx jest`,
    /// `python -m pytest` and `bundle exec rspec`: the inner words.
    fn inner(&self) -> Option<Command> {
        let skip = match (self.program(), self.sub()) {
            ("poetry" | "uv" | "pipenv" | "pdm" | "rye" | "hatch", Some("run")) => 2,
            ("bundle", Some("exec")) | ("pnpm", Some("exec" | "dlx")) => 2,
            ("npx" | "bunx", _) => 1,
            ("python" | "python3", _) if self.args().first().is_some_and(|a| a == "-m") => 2,
            _ => return None,
        };
        let words: Vec<String> = self
            .words
            .iter()
            .skip(skip)
            .skip_while(|w| w.starts_with('-'))
            .cloned()
            .collect();
        (!words.is_empty()).then(|| Command {
            words,
            range: self.range.clone(),
        })
    }
}

/// Lowercase tokens of a name: split at non-alphanumerics and camelCase boundaries.
pub(crate) fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn has_token(name: &str, wanted: &[&str]) -> bool {
    tokens(name).iter().any(|t| wanted.contains(&t.as_str()))
}

const TEST_TOKENS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "e2e",
    "spec",
    "specs",
    "unittest",
    "unittests",
    "integration",
];

/// Whether a job, stage or script name says tests.
pub(crate) fn is_test_name(name: &str) -> bool {
    has_token(name, TEST_TOKENS)
        && !has_token(name, &["deploy", "release", "publish", "push", "build"])
}

/// Names that say production (`pre-prod` and `non-prod` do not).
pub(crate) fn is_production_name(name: &str) -> bool {
    let words = tokens(name);
    words.iter().enumerate().any(|(i, t)| {
        matches!(t.as_str(), "prod" | "production" | "prd")
            && !i
                .checked_sub(1)
                .and_then(|p| words.get(p))
                .is_some_and(|before| matches!(before.as_str(), "pre" | "non" | "not"))
    })
}

/// Whether a command runs tests.
pub(crate) fn is_test_command(cmd: &Command) -> bool {
    if let Some(inner) = cmd.inner()
        && is_test_command(&inner)
    {
        return true;
    }
    let sub = cmd.sub().unwrap_or("");
    let target_is_test = || cmd.operands().any(|w| is_test_name(w) || w == "check");
    match cmd.program() {
        "pytest" | "py.test" | "tox" | "nox" | "jest" | "vitest" | "mocha" | "ava" | "rspec"
        | "phpunit" | "pest" | "ctest" | "gotestsum" | "ginkgo" | "bats" | "prove" | "busted"
        | "unittest" | "nose2" | "playwright" | "cypress" | "karma" => true,
        "cargo" => matches!(sub, "test" | "nextest" | "tarpaulin" | "llvm-cov"),
        "go" => sub == "test",
        "npm" | "yarn" | "pnpm" | "bun" => {
            let script = if matches!(sub, "run" | "run-script") {
                cmd.operands().nth(1).unwrap_or("")
            } else {
                sub
            };
            script == "t" || is_test_name(script)
        }
        "mvn" | "mvnw" => {
            cmd.operands()
                .any(|w| matches!(w, "test" | "verify" | "package" | "install" | "deploy"))
                && !cmd.has_flag("-DskipTests")
                && !cmd.has_flag("-Dmaven.test.skip=true")
        }
        "gradle" | "gradlew" => {
            let skips = cmd.args().windows(2).any(|w| {
                matches!(w, [flag, task] if (*flag == "-x" || *flag == "--exclude-task") && task.ends_with("test"))
            });
            !skips
                && cmd.operands().any(|w| {
                    let task = w.rsplit(':').next().unwrap_or(w);
                    task == "build" || task == "check" || is_test_name(task)
                })
        }
        "make" | "just" | "task" | "mage" | "rake" | "nx" | "turbo" | "lerna" | "bazel"
        | "bazelisk" | "sbt" | "earthly" | "composer" => target_is_test(),
        "dotnet" | "mix" | "swift" | "flutter" | "dart" | "deno" | "lein" | "stack" | "cabal"
        | "meson" | "rails" | "zig" => cmd.operands().any(is_test_name),
        _ => false,
    }
}

/// Actions whose step runs a test suite.
fn is_test_action(step: &Step) -> bool {
    let Some(uses) = &step.uses else {
        return false;
    };
    if uses.is("cypress-io/github-action") {
        return true;
    }
    let input = |k: &str| step.input(k).and_then(Node::as_str).unwrap_or("");
    if uses.is("actions-rs/cargo") {
        return input("command") == "test";
    }
    if uses.is("gradle/gradle-build-action") {
        return input("arguments")
            .split_whitespace()
            .any(|w| w == "build" || w == "check" || is_test_name(w));
    }
    false
}

/// Whether a step runs tests.
pub(crate) fn step_tests(step: &Step) -> bool {
    is_test_action(step)
        || step
            .run
            .as_ref()
            .is_some_and(|t| commands(t.as_str()).iter().any(is_test_command))
}

/// Whether a command builds a container image.
pub(crate) fn is_image_build(cmd: &Command) -> bool {
    let ops: Vec<&str> = cmd.operands().collect();
    match cmd.program() {
        "docker" | "podman" => matches!(
            ops.as_slice(),
            ["build", ..]
                | ["buildx", "build" | "bake", ..]
                | ["image", "build", ..]
                | ["compose" | "builder", "build", ..]
        ),
        "buildah" => matches!(ops.first(), Some(&("bud" | "build"))),
        "docker-compose" => ops.first() == Some(&"build"),
        "executor" => cmd.words.first().is_some_and(|w| w.contains("kaniko")),
        "kaniko" => true,
        _ => false,
    }
}

/// Whether a command pushes an image to a registry.
pub(crate) fn is_image_push(cmd: &Command) -> bool {
    let ops: Vec<&str> = cmd.operands().collect();
    match cmd.program() {
        "docker" | "podman" => match ops.as_slice() {
            ["push", ..] | ["image" | "compose" | "manifest", "push", ..] => true,
            // Writes a multi-platform manifest list to the registry.
            ["buildx", "imagetools", "create", ..] => !cmd.has_flag("--dry-run"),
            ["buildx", "build" | "bake", ..] => {
                cmd.has_flag("--push") || cmd.args().iter().any(|w| w.contains("type=registry"))
            }
            _ => false,
        },
        "buildah" => ops.first() == Some(&"push"),
        "docker-compose" => ops.first() == Some(&"push"),
        "crane" | "skopeo" => matches!(ops.first(), Some(&("push" | "copy" | "cp"))),
        "executor" | "kaniko" => {
            cmd.words.first().is_some_and(|w| w.contains("kaniko")) && !cmd.has_flag("--no-push")
        }
        _ => false,
    }
}

/// Names that say release or publish (`release`, `publish-npm`, `pypiPublish`).
pub(crate) fn is_release_name(name: &str) -> bool {
    has_token(
        name,
        &["release", "releases", "releasing", "publish", "publishing"],
    )
}

/// Whether a command publishes a package, a release or an image.
pub(crate) fn is_publish_command(cmd: &Command) -> bool {
    let sub = cmd.sub().unwrap_or("");
    let second = cmd.operands().nth(1).unwrap_or("");
    is_image_push(cmd)
        || match cmd.program() {
            "npm" | "pnpm" | "bun" | "cargo" | "poetry" | "uv" | "pdm" | "hatch" | "flit"
            | "vsce" | "ovsx" => sub == "publish",
            "yarn" => sub == "publish" || (sub == "npm" && second == "publish"),
            "twine" => sub == "upload",
            "gem" => sub == "push",
            "dotnet" => sub == "nuget" && second == "push",
            "gh" => sub == "release" && matches!(second, "create" | "upload" | "edit"),
            "goreleaser" => sub != "check" && !cmd.has_flag("--snapshot"),
            "mvn" | "mvnw" => cmd.operands().any(|w| w == "deploy"),
            "gradle" | "gradlew" => cmd.operands().any(|w| {
                let task = w.rsplit(':').next().unwrap_or(w);
                task.starts_with("publish")
            }),
            _ => false,
        }
}

/// Actions that publish a package or a release.
const PUBLISH_ACTIONS: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "goreleaser/goreleaser-action",
    "JS-DevTools/npm-publish",
    "changesets/action",
    "actions/create-release",
    "svenstaro/upload-release-action",
];

/// Whether a GitHub step publishes a package, a release or an image.
pub(crate) fn step_publishes(step: &Step) -> bool {
    step.uses
        .as_ref()
        .is_some_and(|u| PUBLISH_ACTIONS.iter().any(|a| u.is(a)))
        || matches!(
            action_kind(step),
            Some(ActionKind::ImageBuild { push: true })
        )
        || step
            .run
            .as_ref()
            .is_some_and(|t| commands(t.as_str()).iter().any(is_publish_command))
}

/// Whether a workflow runs only to release: on a published release or a pushed tag.
pub(crate) fn is_release_workflow(file: &CiFile) -> bool {
    !file.triggers.is_empty()
        && file.triggers.iter().all(|t| match t.event.value.as_str() {
            "release" => true,
            "push" => t.config.as_ref().is_some_and(|c| {
                c.get("tags").is_some()
                    && c.get("branches").is_none()
                    && c.get("branches-ignore").is_none()
            }),
            // A manual run beside a release trigger is the same release, run again.
            "workflow_dispatch" => true,
            _ => false,
        })
        && file
            .triggers
            .iter()
            .any(|t| t.event.value != "workflow_dispatch")
}

/// What a deploying command deploys with, for messages; `iac` when it applies infrastructure
/// or manifests (which scanners such as checkov and trivy read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Deploy {
    pub tool: &'static str,
    pub iac: bool,
}

/// Whether a command deploys or applies infrastructure (dry runs do not).
pub(crate) fn deploy_command(cmd: &Command) -> Option<Deploy> {
    if cmd.has_flag("--dry-run") || cmd.has_flag("--check") {
        return None;
    }
    // `npx cdk deploy`, `pnpm exec wrangler deploy`.
    if let Some(inner) = cmd.inner() {
        return deploy_command(&inner);
    }
    let ops: Vec<&str> = cmd.operands().collect();
    let first = ops.first().copied().unwrap_or("");
    let iac = |tool| Some(Deploy { tool, iac: true });
    let app = |tool| Some(Deploy { tool, iac: false });
    match cmd.program() {
        // Global options with values (`-n prod`) may come before the verb.
        "kubectl" | "oc" => match ops
            .iter()
            .position(|w| matches!(*w, "apply" | "replace" | "set" | "rollout"))
            .and_then(|at| ops.get(at..))
            .unwrap_or(&[])
        {
            ["apply" | "replace", ..] => iac("kubectl apply"),
            ["set", "image", ..] | ["rollout", "restart", ..] => app("kubectl"),
            _ => None,
        },
        "helm" | "helmfile"
            if ops
                .iter()
                .any(|w| matches!(*w, "upgrade" | "install" | "apply" | "sync"))
                && !ops.contains(&"plugin") =>
        {
            iac("helm")
        }
        "terraform" | "tofu" | "terragrunt" if ops.contains(&"apply") => iac("terraform apply"),
        "pulumi" if first == "up" => iac("pulumi up"),
        "cdk" | "cdktf" if first == "deploy" => iac("cdk deploy"),
        "sam" if first == "deploy" => iac("sam deploy"),
        "aws" => match ops.as_slice() {
            [
                "cloudformation",
                "deploy" | "create-stack" | "update-stack",
                ..,
            ] => iac("aws cloudformation"),
            ["ecs", "update-service", ..] | ["lambda", "update-function-code", ..] => app("aws"),
            _ => None,
        },
        "gcloud" if ops.contains(&"deploy") => app("gcloud deploy"),
        "az" if ops.contains(&"deploy") || ops.contains(&"up") => app("az"),
        "serverless" | "sls" | "flyctl" | "fly" | "firebase" | "netlify" | "kamal" | "skaffold"
            if matches!(first, "deploy" | "run") =>
        {
            app("deploy")
        }
        "wrangler" if matches!(first, "deploy" | "publish") => app("wrangler"),
        "vercel" if first == "deploy" || cmd.has_flag("--prod") => app("vercel"),
        "argocd" if ops.starts_with(&["app", "sync"]) => app("argocd"),
        "docker" if ops.starts_with(&["stack", "deploy"]) => app("docker stack deploy"),
        _ => None,
    }
}

/// Whether a command starts a throwaway cluster on the runner (deploys to it are tests).
fn is_local_cluster(cmd: &Command) -> bool {
    let ops: Vec<&str> = cmd.operands().collect();
    match cmd.program() {
        "kind" => ops.starts_with(&["create", "cluster"]),
        "k3d" => ops.starts_with(&["cluster", "create"]),
        "minikube" => ops.first() == Some(&"start"),
        "ctlptl" => ops.first() == Some(&"create"),
        _ => false,
    }
}

/// Actions that start a throwaway cluster on the runner.
const LOCAL_CLUSTER_ACTIONS: &[&str] = &[
    "helm/kind-action",
    "engineerd/setup-kind",
    "container-tools/kind-action",
    "medyagh/setup-minikube",
    "manusa/actions-setup-minikube",
    "absaoss/k3d-action",
    "nolar/setup-k3d-k3s",
    "debianmaster/actions-k3s",
];

/// One place in a job, in execution order: a step (GitHub) or a script line (GitLab).
#[derive(Debug)]
pub(crate) struct Place<'a> {
    pub step: Option<&'a Step>,
    /// The run text of the step or the script line.
    pub text: Option<&'a Text>,
    /// For a step of a local composite action: the step of the linted file that uses the
    /// action (where findings about it point).
    pub via: Option<&'a Step>,
}

impl Place<'_> {
    pub fn commands(&self) -> Vec<Command> {
        self.text.map(|t| commands(t.as_str())).unwrap_or_default()
    }

    /// The source span of a command of this place (in a local action: the step that uses it).
    pub fn span_of(&self, cmd: &Command) -> Span {
        if let Some(via) = self.via {
            return via.anchor();
        }
        match (self.text, self.step) {
            (Some(text), _) => {
                let trimmed = text
                    .as_str()
                    .get(cmd.range.clone())
                    .map_or(0, |s| s.len() - s.trim_start().len());
                let start = cmd.range.start + trimmed;
                let len = text
                    .as_str()
                    .get(start..cmd.range.end)
                    .map_or(0, |s| s.trim_end().len());
                text.span_of(start..start + len)
            }
            (None, Some(step)) => step.anchor(),
            (None, None) => Span::default(),
        }
    }
}

/// The places of a job (or of a composite action's steps), in order.
pub(crate) fn places<'a>(steps: &'a [Step], job: Option<&'a Job>) -> Vec<Place<'a>> {
    let mut out: Vec<Place> = steps
        .iter()
        .map(|s| Place {
            step: Some(s),
            text: s.run.as_ref(),
            via: None,
        })
        .collect();
    if let Some(job) = job {
        out.extend(job.scripts.iter().map(|l| Place {
            step: None,
            text: Some(&l.text),
            via: None,
        }));
    }
    out
}

/// How deep local composite actions that use local actions are followed, and how many of
/// their steps are taken at most: an action may use itself, or fan out.
const MAX_ACTION_DEPTH: usize = 8;
const MAX_INLINED: usize = 1024;

/// The steps that a list of steps runs, in order, each with the step of the list that brought
/// it: a step that uses a local composite action of the repository (`uses: ./path`) is
/// followed by the steps of that action, as GitHub runs them (recursively).
pub(crate) fn run_steps<'a>(
    unit: &'a Surroundings,
    steps: &'a [Step],
) -> Vec<(&'a Step, Option<&'a Step>)> {
    let mut out = Vec::new();
    let mut inlined = 0;
    for step in steps {
        out.push((step, None));
        inline_action(unit, step, step, &mut Vec::new(), &mut inlined, &mut out);
    }
    out
}

fn inline_action<'a>(
    unit: &'a Surroundings,
    step: &'a Step,
    via: &'a Step,
    chain: &mut Vec<&'a str>,
    inlined: &mut usize,
    out: &mut Vec<(&'a Step, Option<&'a Step>)>,
) {
    let Some(uses) = &step.uses else {
        return;
    };
    let Some(action) = unit.action(uses) else {
        return;
    };
    if chain.len() >= MAX_ACTION_DEPTH || chain.contains(&uses.raw.as_str()) {
        return;
    }
    chain.push(&uses.raw);
    for inner in &action.steps {
        if *inlined >= MAX_INLINED {
            break;
        }
        *inlined += 1;
        out.push((inner, Some(via)));
        inline_action(unit, inner, via, chain, inlined, out);
    }
    chain.pop();
}

/// The places of a GitHub job (or of a composite action's steps) as they run, with the steps of
/// the local composite actions they use (see [`run_steps`]).
pub(crate) fn places_through<'a>(unit: &'a Surroundings, steps: &'a [Step]) -> Vec<Place<'a>> {
    run_steps(unit, steps)
        .into_iter()
        .map(|(s, via)| Place {
            step: Some(s),
            text: s.run.as_ref(),
            via,
        })
        .collect()
}

/// Whether a job starts a throwaway cluster (kind, k3d, minikube) before deploying to it.
pub(crate) fn job_has_local_cluster(places: &[Place]) -> bool {
    places.iter().any(|p| {
        p.step
            .and_then(|s| s.uses.as_ref())
            .is_some_and(|u| LOCAL_CLUSTER_ACTIONS.iter().any(|a| u.is(a)))
            || p.commands().iter().any(is_local_cluster)
    })
}

/// Whether an action publishes a static site to GitHub Pages (documentation, not a release
/// of the software).
pub(crate) fn is_pages_action(step: &Step) -> bool {
    step.uses.as_ref().is_some_and(|u| {
        let action = u.action().to_ascii_lowercase();
        action.contains("pages") || action.contains("gh-deploy")
    })
}

/// What a step does when it is an action: builds (and maybe pushes) an image, or deploys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ActionKind {
    ImageBuild { push: bool },
    Deploy { iac: bool },
}

/// Actions that build images and push unless told not to, or build only.
pub(crate) fn action_kind(step: &Step) -> Option<ActionKind> {
    let uses = step.uses.as_ref()?;
    if uses.is("docker/build-push-action") || uses.is("docker/bake-action") {
        // `push` defaults to false; an expression may be true.
        let push = step
            .input("push")
            .is_some_and(|p| p.as_bool() != Some(false) && p.as_str() != Some("false"));
        return Some(ActionKind::ImageBuild { push });
    }
    if uses.is("redhat-actions/buildah-build") {
        return Some(ActionKind::ImageBuild { push: false });
    }
    if uses.is("redhat-actions/push-to-registry")
        || uses.is("mr-smithers-excellent/docker-build-push")
        || uses.is("elgohr/publish-docker-github-action")
    {
        return Some(ActionKind::ImageBuild { push: true });
    }
    if is_pages_action(step) {
        return None;
    }
    let action = uses.action().to_ascii_lowercase();
    let iac = [
        "terraform",
        "cloudformation",
        "arm-deploy",
        "pulumi",
        "k8s-deploy",
        "helm",
    ]
    .iter()
    .any(|w| action.contains(w));
    let names_deploy = has_token(&action, &["deploy", "deployer"]);
    if uses.is("pulumi/actions") {
        let command = step.input("command").and_then(Node::as_str).unwrap_or("");
        return (command == "up").then_some(ActionKind::Deploy { iac: true });
    }
    if uses.is("dflook/terraform-apply") || uses.is("hashicorp/tfc-workflows-github") {
        return Some(ActionKind::Deploy { iac: true });
    }
    if names_deploy
        || uses.is("cloudflare/wrangler-action")
        || uses.is("superfly/flyctl-actions")
        || uses.is("amondnet/vercel-action")
        || uses.is("nwtgck/actions-netlify")
        || uses.is("azure/webapps-deploy")
        || uses.is("azure/functions-action")
    {
        return Some(ActionKind::Deploy { iac });
    }
    None
}

/// Whether a step or script line scans for vulnerabilities, misconfigurations or secrets.
const SCANNER_WORDS: &[&str] = &[
    "trivy",
    "grype",
    "snyk",
    "checkov",
    "infralint",
    "codeql",
    "zizmor",
    "kics",
    "tfsec",
    "terrascan",
    "semgrep",
    "gosec",
    "gitleaks",
    "trufflehog",
    "govulncheck",
    "kubescape",
    "dockle",
    "bandit",
    "brakeman",
    "scout",
    "sast",
    "scorecard",
    "hadolint",
    "kubevious",
    "polaris",
    "datree",
];

fn is_scan_command(cmd: &Command) -> bool {
    let program = cmd.program();
    let sub = cmd.sub().unwrap_or("");
    if let Some(inner) = cmd.inner()
        && is_scan_command(&inner)
    {
        return true;
    }
    SCANNER_WORDS.contains(&program)
        || matches!(
            program,
            "osv-scanner"
                | "pip-audit"
                | "bundler-audit"
                | "clair"
                | "clairctl"
                | "dependency-check"
                | "kube-linter"
                | "kube-score"
        )
        || (program == "docker" && sub == "scout")
        || (program == "cargo" && matches!(sub, "audit" | "deny"))
        || (matches!(program, "npm" | "yarn" | "pnpm") && sub == "audit")
        || (program == "safety" && sub == "check")
        || (program == "bundle" && sub == "audit")
}

/// Whether an action or a reusable workflow is a scanner, by the words of its name.
fn is_scan_action(action: &str) -> bool {
    let lower = action.to_ascii_lowercase();
    tokens(&lower)
        .iter()
        .any(|t| SCANNER_WORDS.contains(&t.as_str()))
        || lower.contains("dependency-review")
        || lower.contains("container-scan")
        || lower.contains("scan-action")
        || lower.contains("osv-scanner")
        || lower.contains("kube-linter")
        || lower.contains("kube-score")
}

/// Whether a step scans.
pub(crate) fn step_scans(step: &Step) -> bool {
    step.uses
        .as_ref()
        .is_some_and(|u| is_scan_action(u.action()))
        || step
            .run
            .as_ref()
            .is_some_and(|t| commands(t.as_str()).iter().any(is_scan_command))
}

/// Whether anything in the file scans: a scanning step or script line, a reusable scanning
/// workflow, or (GitLab) an included security template or component.
///
/// `unit` holds the local composite actions of the repository: a step that uses one scans when
/// a step of the action does.
pub(crate) fn file_scans(file: &CiFile, unit: &Surroundings) -> bool {
    let steps = file
        .jobs
        .iter()
        .map(|j| j.steps.as_slice())
        .chain([file.steps.as_slice()])
        .any(|steps| {
            run_steps(unit, steps)
                .into_iter()
                .any(|(s, _)| step_scans(s))
        });
    let jobs = file.jobs.iter().any(|j| {
        j.uses.as_ref().is_some_and(|u| is_scan_action(u.action()))
            || j.scripts
                .iter()
                .any(|l| commands(l.text.as_str()).iter().any(is_scan_command))
            || (file.flavor == Flavor::Gitlab && is_scan_action(&j.id.value))
    });
    let includes = file.get("include").is_some_and(|inc| {
        inc.strings().iter().filter_map(|n| n.as_str()).any(|s| {
            let lower = s.to_ascii_lowercase();
            is_scan_action(&lower)
                || lower.contains("security/")
                || lower.contains("scanning")
                || lower.contains("secret-detection")
                || lower.contains("auto-devops")
        })
    });
    steps || jobs || includes
}

/// Dependency ecosystems whose installs are worth caching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ecosystem {
    Node,
    Python,
    Go,
    Java,
    Ruby,
    Php,
    Rust,
    Dotnet,
}

/// The ecosystem whose dependencies a command downloads, and the package manager (for npm's
/// automatic caching in `actions/setup-node`).
pub(crate) fn install(cmd: &Command) -> Option<(Ecosystem, &'static str)> {
    let sub = cmd.sub().unwrap_or("");
    let global = cmd.has_flag("-g") || cmd.has_flag("--global");
    // `npm install <package>` adds packages by name: the project's lock file is not involved.
    let named = cmd.operands().nth(1).is_some();
    let project = !global && !named;
    match cmd.program() {
        "npm" if sub == "ci" || (matches!(sub, "install" | "i") && project) => {
            Some((Ecosystem::Node, "npm"))
        }
        "yarn" if (sub.is_empty() || sub == "install") && project => {
            Some((Ecosystem::Node, "yarn"))
        }
        "pnpm" if matches!(sub, "install" | "i") && project => Some((Ecosystem::Node, "pnpm")),
        "bun" if sub == "install" && project => Some((Ecosystem::Node, "bun")),
        "pip" | "pip3" if sub == "install" => {
            let from_project = cmd.args().iter().any(|w| {
                matches!(
                    w.as_str(),
                    "-r" | "--requirement" | "-e" | "--editable" | "." | ".[dev]"
                ) || w.starts_with("-r")
                    || w.starts_with(".[")
                    || w.contains("requirements")
            });
            from_project.then_some((Ecosystem::Python, "pip"))
        }
        "python" | "python3" => cmd.inner().and_then(|inner| install(&inner)),
        "poetry" if matches!(sub, "install" | "sync") => Some((Ecosystem::Python, "poetry")),
        "pipenv" if matches!(sub, "install" | "sync") => Some((Ecosystem::Python, "pipenv")),
        "pdm" if matches!(sub, "install" | "sync") => Some((Ecosystem::Python, "pdm")),
        "uv" if sub == "sync" => Some((Ecosystem::Python, "uv")),
        "go" if matches!(sub, "build" | "test" | "vet" | "mod" | "run" | "generate") => {
            Some((Ecosystem::Go, "go"))
        }
        "mvn" | "mvnw" if !sub.is_empty() => Some((Ecosystem::Java, "maven")),
        "gradle" | "gradlew" if !sub.is_empty() => Some((Ecosystem::Java, "gradle")),
        "sbt" if !sub.is_empty() => Some((Ecosystem::Java, "sbt")),
        "bundle" if sub == "install" => Some((Ecosystem::Ruby, "bundler")),
        "composer" if sub == "install" => Some((Ecosystem::Php, "composer")),
        "cargo" if matches!(sub, "build" | "test" | "fetch" | "check" | "clippy") => {
            Some((Ecosystem::Rust, "cargo"))
        }
        "dotnet" if matches!(sub, "restore" | "build" | "test") => {
            Some((Ecosystem::Dotnet, "nuget"))
        }
        _ => None,
    }
}

/// Whether a job's run texts install dependencies of the ecosystem (any when `None`); the
/// first such command's place and text.
pub(crate) fn first_install<'p>(
    places: &'p [Place<'p>],
) -> Vec<(usize, Ecosystem, &'static str, String)> {
    let mut out = Vec::new();
    for (i, place) in places.iter().enumerate() {
        for cmd in place.commands() {
            if let Some((eco, manager)) = install(&cmd) {
                out.push((i, eco, manager, cmd.words.join(" ")));
            }
        }
    }
    out
}

/// Whether a GitLab pipeline takes jobs from other files (any `include:`).
pub(crate) fn has_includes(file: &CiFile) -> bool {
    file.get("include").is_some()
}

/// The major version of an action from its ref (`v4`, `v4.1.0`, `4`), or from the version
/// comment after a commit SHA (`@<sha> # v4.2.0`) in the source; `None` when unknown.
pub(crate) fn action_major(uses: &Uses, source: &str) -> Option<u32> {
    let git_ref = uses.git_ref()?;
    if let Some(major) = major_of(git_ref) {
        return Some(major);
    }
    let rest = source.get(uses.text.span.end as usize..)?;
    let line = rest.split('\n').next()?;
    let comment = line.split_once('#')?.1;
    comment.split_whitespace().find_map(major_of)
}

fn major_of(version: &str) -> Option<u32> {
    let digits = version.strip_prefix(['v', 'V']).unwrap_or(version);
    let major = digits.split('.').next()?;
    if major.is_empty() || major.len() > 4 || !major.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    major.parse().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::string_slice)]
mod tests {
    use super::*;

    fn first(text: &str) -> Vec<String> {
        commands(text).into_iter().next().unwrap().words
    }

    #[test]
    fn publish_commands() {
        let publishes = |text: &str| commands(text).iter().any(is_publish_command);
        assert!(publishes("npm publish --access public"));
        assert!(publishes("yarn npm publish"));
        assert!(publishes("twine upload dist/*"));
        assert!(publishes("./gradlew publishToMavenCentral"));
        assert!(publishes("gh release create v1.0.0 dist/*"));
        assert!(publishes("docker push ghcr.io/acme/app:1.0"));
        assert!(!publishes("npm ci"));
        assert!(!publishes("goreleaser release --snapshot"));
        assert!(!publishes("gh release view"));
        assert!(is_release_name("publish-npm"));
        assert!(is_release_name("pypiPublish"));
        assert!(!is_release_name("build"));
    }

    #[test]
    fn reads_action_versions() {
        let file = crate::formats::ci::parse(
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/setup-go@v3.5.0\n      - uses: actions/setup-node@0123456789abcdef0123456789abcdef01234567 # v4.1.0\n      - uses: actions/setup-node@main\n",
        );
        let source = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/setup-go@v3.5.0\n      - uses: actions/setup-node@0123456789abcdef0123456789abcdef01234567 # v4.1.0\n      - uses: actions/setup-node@main\n";
        let majors: Vec<Option<u32>> = file.jobs[0]
            .steps
            .iter()
            .map(|s| action_major(s.uses.as_ref().unwrap(), source))
            .collect();
        assert_eq!(majors, [Some(3), Some(4), None]);
    }

    #[test]
    fn runs_the_steps_of_local_actions() {
        use crate::formats::siblings::Siblings;
        use crate::source::SourceFile;
        let text = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/loop\n      - run: make\n";
        let name = ".github/workflows/ci.yml";
        let mut file = crate::formats::ci::parse(name, text);
        let siblings = Siblings::Memory(vec![(
            "../../.github/actions/loop/action.yml".into(),
            "runs:\n  using: composite\n  steps:\n    - run: go test ./...\n      shell: bash\n    - uses: ./.github/actions/loop\n".into(),
        )]);
        let source = SourceFile::new(name.to_string(), None, text.to_string());
        crate::formats::ci::unit::attach(&mut file, &source, &siblings);
        let steps = run_steps(&file.unit, &file.jobs[0].steps);
        // The action that uses itself is read once.
        let runs: Vec<(Option<&str>, bool)> = steps
            .iter()
            .map(|(s, via)| (s.run.as_ref().map(Text::as_str), via.is_some()))
            .collect();
        assert_eq!(
            runs,
            [
                (None, false),
                (Some("go test ./..."), true),
                (None, true),
                (Some("make"), false)
            ]
        );
    }

    #[test]
    fn splits_commands() {
        let cmds = commands(
            "FOO=1 sudo -E make test && docker push \"$IMAGE\" # push\nif go test ./...; then echo ok; fi",
        );
        let words: Vec<Vec<String>> = cmds.iter().map(|c| c.words.clone()).collect();
        assert_eq!(words[0], ["make", "test"]);
        assert_eq!(words[1], ["docker", "push", "$IMAGE"]);
        assert_eq!(words[2], ["go", "test", "./..."]);
        assert_eq!(first("echo 'a; b' | tee x"), ["echo", "a; b"]);
        assert_eq!(commands("helm upgrade app \\\n  ./chart --wait").len(), 1);
        // Quotes are removed as the shell removes them; substitutions are commands too.
        assert_eq!(
            first("docker build --tag=\"a b\" . > log 2>&1"),
            ["docker", "build", "--tag=a b", "."]
        );
        let cmds = commands("docker push \"$(cat tag)\" ${{ env.X }}");
        let words: Vec<Vec<String>> = cmds.iter().map(|c| c.words.clone()).collect();
        assert_eq!(
            words,
            [
                vec!["docker", "push", "$(cat tag)", "${{ env.X }}"],
                vec!["cat", "tag"]
            ]
        );
    }

    #[test]
    fn recognises_activities() {
        let is = |text: &str, f: fn(&Command) -> bool| f(&commands(text)[0]);
        assert!(is("npm run test:unit", is_test_command));
        assert!(is("poetry run pytest -q", is_test_command));
        assert!(is("python -m pytest", is_test_command));
        assert!(is("./gradlew build", is_test_command));
        assert!(!is("./gradlew build -x test", is_test_command));
        assert!(!is("mvn -DskipTests package", is_test_command));
        assert!(!is("npm install @testing-library/react", is_test_command));
        assert!(is("docker buildx build --push -t x .", is_image_push));
        assert!(!is("docker buildx build -t x .", is_image_push));
        assert!(is(
            "docker buildx imagetools create -t x:1 x:1-amd64",
            is_image_push
        ));
        assert!(!is("docker buildx imagetools inspect x", is_image_push));
        assert!(is("docker build -t x .", is_image_build));
        assert!(deploy_command(&commands("kubectl -n prod apply -f k8s/")[0]).is_some());
        assert!(deploy_command(&commands("kubectl apply --dry-run=client -f k8s/")[0]).is_none());
        assert!(deploy_command(&commands("helm upgrade --install app ./chart")[0]).is_some());
        assert!(deploy_command(&commands("npx cdk deploy --all")[0]).is_some());
        assert!(deploy_command(&commands("npx netlify deploy --prod")[0]).is_some());
        assert!(deploy_command(&commands("npx jest")[0]).is_none());
        assert!(is("trivy image x", is_scan_command));
        assert!(is("cargo deny check", is_scan_command));
        assert!(is("kube-linter lint k8s/", is_scan_command));
        assert!(is_scan_action("kubevious/cli"));
        assert!(is_scan_action("stackrox/kube-linter-action"));
        assert!(!is_scan_action("actions/checkout"));
        assert_eq!(tokens("deployProd-EU"), ["deploy", "prod", "eu"]);
        let installs = |text: &str| install(&commands(text)[0]).map(|(_, m)| m);
        assert_eq!(installs("npm ci"), Some("npm"));
        assert_eq!(installs("npm install --no-audit"), Some("npm"));
        assert_eq!(installs("npm install semantic-release@24"), None);
        assert_eq!(installs("npm install -g pnpm"), None);
        assert_eq!(installs("pipenv install --dev"), Some("pipenv"));
        assert_eq!(installs("./gradlew build"), Some("gradle"));
        assert_eq!(installs("mvn -B verify"), Some("maven"));
        assert_eq!(installs("pip install -r requirements.txt"), Some("pip"));
        assert_eq!(installs("pip install awscli"), None);
        assert!(is_test_name("unit-tests"));
        assert!(!is_test_name("deploy-test"));
        assert!(is_production_name("deploy_prod"));
        assert!(!is_production_name("product-page"));
        assert!(is_production_name("eu-production"));
        assert!(!is_production_name("pre-prod"));
        assert!(!is_production_name("non_production"));
    }
}
