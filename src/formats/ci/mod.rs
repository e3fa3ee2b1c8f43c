//! The CI pipeline model: GitHub Actions workflows, composite actions and GitLab CI pipelines
//! over the YAML tree, with spans on everything a finding can point at. One model serves the
//! three flavours; fields that a flavour does not have stay empty.

pub(crate) mod expr;
mod parse;
mod text;
pub mod unit;

pub use parse::{local_includes, parse};
pub use text::Text;

use crate::formats::ParseError;
use crate::formats::yaml::Node;
use crate::source::{Span, Spanned};

/// Which kind of CI file this is, decided by its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// `.github/workflows/*.y(a)ml`.
    Workflow,
    /// A composite action (`action.y(a)ml` with `runs.using: composite`).
    Action,
    /// `.gitlab-ci.yml` or a file it includes.
    Gitlab,
}

impl Flavor {
    /// The flavour of a file from its path (`/` separators).
    pub fn of(name: &str) -> Flavor {
        let lower = name.to_ascii_lowercase();
        let file = lower.rsplit('/').next().unwrap_or(&lower);
        if lower.contains(".github/workflows/") && !lower.contains(".github/workflows/.") {
            Flavor::Workflow
        } else if file == "action.yml" || file == "action.yaml" {
            Flavor::Action
        } else {
            Flavor::Gitlab
        }
    }
}

/// One CI file.
#[derive(Debug)]
pub struct CiFile {
    pub flavor: Flavor,
    /// The top-level mapping (GitLab: of the configuration document, after a `spec:` header).
    pub root: Option<Node>,
    /// GitHub `on:` events, in the string, list and mapping forms.
    pub triggers: Vec<Trigger>,
    /// GitHub top-level `permissions`.
    pub permissions: Option<Permissions>,
    /// GitHub top-level `env`; GitLab top-level `variables`.
    pub env: Vec<Var>,
    /// GitHub `jobs`; GitLab jobs (every top-level mapping that is not a keyword, hidden
    /// `.templates` included and marked).
    pub jobs: Vec<Job>,
    /// A composite action's `runs.steps`.
    pub steps: Vec<Step>,
    /// GitLab `stages` as written (empty: the default stages).
    pub stages: Vec<Spanned<String>>,
    /// GitLab `default:` mapping.
    pub default: Option<Node>,
    /// GitLab images outside jobs: top-level and `default:` `image` and `services`.
    pub images: Vec<Image>,
    /// GitLab local includes as written (paths or globs, relative to the project root).
    pub includes: Vec<Spanned<String>>,
    pub errors: Vec<ParseError>,
    pub duplicate_keys: Vec<ParseError>,
    /// What was read around the file (included files, called workflows, local actions); empty
    /// until [`unit::attach`] reads it, and for the files read that way.
    pub unit: unit::Surroundings,
}

/// A GitHub event under `on:`.
#[derive(Clone, Debug)]
pub struct Trigger {
    /// `push`, `pull_request_target`, `workflow_run`, …
    pub event: Spanned<String>,
    /// The event's configuration (`branches`, `types`, …) in the mapping form.
    pub config: Option<Node>,
}

/// Read or write access of a GitHub token scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    None,
    Read,
    Write,
}

/// A GitHub `permissions:` value.
#[derive(Clone, Debug)]
pub struct Permissions {
    pub node: Node,
    pub kind: PermissionsKind,
}

#[derive(Clone, Debug)]
pub enum PermissionsKind {
    /// `read-all`.
    ReadAll,
    /// `write-all`.
    WriteAll,
    /// A mapping of scopes (`{}` is an empty list: no access at all).
    Scopes(Vec<Scope>),
    /// Anything else (an expression, a typo).
    Other,
}

/// One `scope: access` entry of a permissions mapping.
#[derive(Clone, Debug)]
pub struct Scope {
    pub name: Spanned<String>,
    pub access: Access,
    /// The access value as written.
    pub value: Node,
}

impl Permissions {
    /// The access granted to a scope (`contents`, `id-token`, …).
    pub fn access(&self, scope: &str) -> Access {
        match &self.kind {
            PermissionsKind::ReadAll => Access::Read,
            PermissionsKind::WriteAll => Access::Write,
            PermissionsKind::Scopes(scopes) => scopes
                .iter()
                .rev()
                .find(|s| s.name.value == scope)
                .map_or(Access::None, |s| s.access),
            PermissionsKind::Other => Access::None,
        }
    }

    /// The scopes given write access.
    pub fn writes(&self) -> Vec<&Scope> {
        match &self.kind {
            PermissionsKind::Scopes(scopes) => scopes
                .iter()
                .filter(|s| s.access == Access::Write)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// An environment variable (GitHub `env:`) or a GitLab variable.
#[derive(Clone, Debug)]
pub struct Var {
    pub key: Node,
    /// The value: the scalar, or the `value` of GitLab's `{value, description}` form (the
    /// mapping itself when it has no `value`).
    pub value: Node,
}

impl Var {
    pub fn name(&self) -> &str {
        self.key.as_str().unwrap_or("")
    }

    /// The value's text when it is a scalar.
    pub fn text(&self) -> Option<&str> {
        self.value.as_str()
    }
}

/// A deployment environment: GitHub `environment:` or GitLab `environment:`.
#[derive(Clone, Debug)]
pub struct Environment {
    /// The name (string form, or `name:` of the mapping form); spans the value.
    pub name: Spanned<String>,
    /// The `environment:` value as written.
    pub node: Node,
}

impl Environment {
    /// A field of the mapping form (`url`, GitLab `action`, `deployment_tier`).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.node.get(key)
    }
}

/// Where an image reference is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageRole {
    /// GitHub job `container:`.
    Container,
    /// GitHub job `services.<name>` or GitLab `services:` entry.
    Service,
    /// GitLab `image:` (job, `default:` or top-level).
    Image,
}

/// An image reference in a pipeline.
#[derive(Clone, Debug)]
pub struct Image {
    /// The scalar holding the reference (the `image`/`name` entry of the mapping forms).
    pub node: Node,
    pub role: ImageRole,
}

impl Image {
    pub fn reference(&self) -> &str {
        self.node.as_str().unwrap_or("")
    }
}

/// A GitHub job or a GitLab job.
#[derive(Clone, Debug)]
pub struct Job {
    /// The job's key: GitHub job id, GitLab job name.
    pub id: Spanned<String>,
    /// The job's mapping.
    pub node: Node,
    /// GitLab hidden job (`.name`): a template for `extends`, never run itself.
    pub hidden: bool,
    /// GitHub `needs`; GitLab `needs` (job names; `dependencies` are not included).
    pub needs: Vec<Spanned<String>>,
    /// GitHub `if`.
    pub condition: Option<Node>,
    pub environment: Option<Environment>,
    /// GitHub job-level `permissions`.
    pub permissions: Option<Permissions>,
    /// GitHub job `env`; GitLab job `variables`.
    pub env: Vec<Var>,
    /// GitHub `container` and `services`; GitLab `image` and `services` (as written in this
    /// job; inherited ones through [`CiFile::resolved`]).
    pub images: Vec<Image>,
    /// GitHub `runs-on`.
    pub runs_on: Option<Node>,
    /// GitHub reusable-workflow call (`uses:` at job level).
    pub uses: Option<Uses>,
    /// GitHub `secrets: inherit` (the value's span).
    pub secrets_inherit: Option<Span>,
    /// GitHub steps.
    pub steps: Vec<Step>,
    /// GitLab `before_script`, `script` and `after_script` lines, in that order, with
    /// `!reference` tags resolved within the file.
    pub scripts: Vec<ScriptLine>,
    /// GitLab `stage` as written.
    pub stage: Option<Spanned<String>>,
    /// GitLab `extends` (one name or a list).
    pub extends: Vec<Spanned<String>>,
    /// GitLab `rules` entries.
    pub rules: Vec<Node>,
    /// GitLab `when`.
    pub when: Option<Spanned<String>>,
    /// GitLab `cache`.
    pub cache: Option<Node>,
}

impl Job {
    /// A key of the job's mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.node.get(key)
    }

    /// GitHub `name:` (the id when unset).
    pub fn name(&self) -> &str {
        self.get("name")
            .and_then(Node::as_str)
            .unwrap_or(&self.id.value)
    }

    /// Whether a GitLab job takes `key` from `default:` (see [`CiFile::resolved`]).
    pub fn inherits_default(&self, key: &str) -> bool {
        inherits(self, key)
    }

    /// Where "missing X" findings about the job point: its key.
    pub fn anchor(&self) -> Span {
        self.id.span
    }

    /// Every run text of the job: GitHub `run:` of its steps, GitLab script lines.
    pub fn run_texts(&self) -> impl Iterator<Item = &Text> {
        self.steps
            .iter()
            .filter_map(|s| s.run.as_ref())
            .chain(self.scripts.iter().map(|l| &l.text))
    }
}

/// Which GitLab script list a line is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptSection {
    BeforeScript,
    Script,
    AfterScript,
}

/// One GitLab script line (one item of the list, or the single string).
#[derive(Clone, Debug)]
pub struct ScriptLine {
    pub section: ScriptSection,
    pub text: Text,
}

/// A GitHub step (of a job, or of a composite action).
#[derive(Clone, Debug)]
pub struct Step {
    pub node: Node,
    /// Position in its list, from 0.
    pub index: usize,
    pub uses: Option<Uses>,
    /// `run:` text with its spans.
    pub run: Option<Text>,
    /// `with:` mapping.
    pub with: Option<Node>,
    pub env: Vec<Var>,
    /// `if:`.
    pub condition: Option<Node>,
}

impl Step {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.node.get(key)
    }

    /// A `with:` input.
    pub fn input(&self, key: &str) -> Option<&Node> {
        self.with.as_ref()?.get(key)
    }

    /// `id:`.
    pub fn id(&self) -> Option<&str> {
        self.get("id").and_then(Node::as_str)
    }

    /// `name:`.
    pub fn name(&self) -> Option<&str> {
        self.get("name").and_then(Node::as_str)
    }

    /// How messages name the step: its `name`, its action, or its position.
    pub fn label(&self) -> String {
        if let Some(name) = self.name() {
            format!("step `{name}`")
        } else if let Some(uses) = &self.uses {
            format!("step `{}`", uses.action())
        } else {
            format!("step {}", self.index + 1)
        }
    }

    /// Where findings about the step point: its `uses`/`run` key, or the step.
    pub fn anchor(&self) -> Span {
        ["uses", "run", "name"]
            .iter()
            .find_map(|k| self.node.entry(k).map(|e| e.key.span))
            .unwrap_or(self.node.span)
    }
}

/// A `uses:` reference: a repository action, a local action or a Docker image.
#[derive(Clone, Debug)]
pub struct Uses {
    /// As written.
    pub raw: String,
    /// The scalar, with spans for its parts.
    pub text: Text,
    pub target: Target,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `owner/repo[/path]@ref` (actions and reusable workflows).
    Repo {
        owner: String,
        repo: String,
        /// The path inside the repository, without leading `/`.
        path: Option<String>,
        /// The text after `@`; `None` when there is no `@`.
        git_ref: Option<String>,
    },
    /// `./path` in the same repository.
    Local(String),
    /// `docker://image`.
    Docker(String),
}

impl Uses {
    /// `owner/repo` of a repository action, lowercase.
    pub fn slug(&self) -> Option<String> {
        match &self.target {
            Target::Repo { owner, repo, .. } => {
                Some(format!("{owner}/{repo}").to_ascii_lowercase())
            }
            _ => None,
        }
    }

    /// `owner/repo[/path]` without the ref, as written.
    pub fn action(&self) -> &str {
        self.raw.split('@').next().unwrap_or(&self.raw)
    }

    /// The ref of a repository action.
    pub fn git_ref(&self) -> Option<&str> {
        match &self.target {
            Target::Repo { git_ref, .. } => git_ref.as_deref(),
            _ => None,
        }
    }

    /// Whether the ref is a full 40-hex commit SHA.
    pub fn is_sha_pinned(&self) -> bool {
        self.git_ref()
            .is_some_and(|r| r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    /// The span of the ref (after `@`), or of the whole reference when it has none.
    pub fn ref_span(&self) -> Span {
        match self.raw.rfind('@') {
            Some(at) => self.text.span_of(at + 1..self.raw.len()),
            None => self.text.span,
        }
    }

    /// Whether this is the action `slug` (`actions/checkout`), any path and ref.
    pub fn is(&self, slug: &str) -> bool {
        self.slug().is_some_and(|s| s.eq_ignore_ascii_case(slug))
    }
}

/// GitLab keys that are inherited from `default:` (and the deprecated top-level globals).
pub const DEFAULT_KEYS: &[&str] = &[
    "after_script",
    "artifacts",
    "before_script",
    "cache",
    "hooks",
    "id_tokens",
    "image",
    "interruptible",
    "retry",
    "services",
    "tags",
    "timeout",
];

/// GitLab's stages when `stages:` is not written.
pub const GITLAB_DEFAULT_STAGES: &[&str] = &[".pre", "build", "test", "deploy", ".post"];

impl CiFile {
    /// A top-level key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.root.as_ref()?.get(key)
    }

    /// A job by id (GitLab: hidden jobs included).
    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id.value == id)
    }

    /// The jobs that run (GitLab hidden templates excluded).
    pub fn runnable_jobs(&self) -> impl Iterator<Item = &Job> {
        self.jobs.iter().filter(|j| !j.hidden)
    }

    /// The GitHub event `name`, when the workflow is triggered by it.
    pub fn trigger(&self, event: &str) -> Option<&Trigger> {
        self.triggers.iter().find(|t| t.event.value == event)
    }

    pub fn has_trigger(&self, event: &str) -> bool {
        self.trigger(event).is_some()
    }

    /// Every step of the file: the jobs' steps with their job, then a composite action's.
    pub fn all_steps(&self) -> Vec<(Option<&Job>, &Step)> {
        self.jobs
            .iter()
            .flat_map(|j| j.steps.iter().map(move |s| (Some(j), s)))
            .chain(self.steps.iter().map(|s| (None, s)))
            .collect()
    }

    /// A GitLab job key as it applies: the job's own value, else the value from the jobs it
    /// `extends` (later ones win, recursively), else `default:` or the deprecated top-level
    /// global for [`DEFAULT_KEYS`] unless `inherit:default` turns that off. GitHub: the job's
    /// own value.
    pub fn resolved<'a>(&'a self, job: &'a Job, key: &str) -> Option<&'a Node> {
        if let Some(found) = self.provider(job, key).and_then(|j| j.get(key)) {
            return Some(found);
        }
        if self.flavor != Flavor::Gitlab || !DEFAULT_KEYS.contains(&key) || !inherits(job, key) {
            return None;
        }
        self.default
            .as_ref()
            .and_then(|d| d.get(key))
            .or_else(|| self.get(key))
    }

    /// The job (itself, or one it `extends`, recursively) whose own mapping sets `key`.
    pub fn provider<'a>(&'a self, job: &'a Job, key: &str) -> Option<&'a Job> {
        self.provider_at(job, key, 0)
    }

    fn provider_at<'a>(&'a self, job: &'a Job, key: &str, depth: usize) -> Option<&'a Job> {
        if job.get(key).is_some() {
            return Some(job);
        }
        if depth > 10 {
            return None;
        }
        job.extends
            .iter()
            .rev()
            .filter_map(|name| self.job(&name.value))
            .find_map(|parent| self.provider_at(parent, key, depth + 1))
    }

    /// A GitLab job's script lines as they run: each of `before_script`, `script` and
    /// `after_script` from the job or the nearest job it `extends` that sets it (`default:`
    /// lists are not included). GitHub: none.
    pub fn effective_scripts<'a>(&'a self, job: &'a Job) -> Vec<&'a ScriptLine> {
        let mut out = Vec::new();
        for (key, section) in [
            ("before_script", ScriptSection::BeforeScript),
            ("script", ScriptSection::Script),
            ("after_script", ScriptSection::AfterScript),
        ] {
            if let Some(from) = self.provider(job, key) {
                out.extend(from.scripts.iter().filter(|l| l.section == section));
            }
        }
        out
    }

    /// Whether a GitLab job `extends` a job this file does not define (its keys are unknown).
    pub fn extends_unseen(&self, job: &Job) -> bool {
        let mut queue: Vec<&Job> = vec![job];
        let mut seen = 0;
        while let Some(current) = queue.pop() {
            seen += 1;
            if seen > 50 {
                break;
            }
            for name in &current.extends {
                match self.job(&name.value) {
                    Some(parent) => queue.push(parent),
                    None => return true,
                }
            }
        }
        false
    }

    /// GitLab stages in order: as written (with `.pre` first and `.post` last), or the default.
    pub fn stage_order(&self) -> Vec<&str> {
        if self.stages.is_empty() {
            return GITLAB_DEFAULT_STAGES.to_vec();
        }
        let mut out = vec![".pre"];
        out.extend(
            self.stages
                .iter()
                .map(|s| s.value.as_str())
                .filter(|s| *s != ".pre" && *s != ".post"),
        );
        out.push(".post");
        out
    }

    /// A GitLab job's stage (inherited through `extends`; `test` when unset).
    pub fn stage_of<'a>(&'a self, job: &'a Job) -> &'a str {
        self.resolved(job, "stage")
            .and_then(Node::as_str)
            .unwrap_or("test")
    }

    /// The jobs that must finish before `job` starts, transitively. GitHub: `needs`. GitLab:
    /// `needs` when the job has it (inherited through `extends`), otherwise every job of the
    /// earlier stages.
    pub fn upstream<'a>(&'a self, job: &'a Job) -> Vec<&'a Job> {
        let mut out: Vec<&Job> = Vec::new();
        let mut queue: Vec<&Job> = vec![job];
        while let Some(current) = queue.pop() {
            for dep in self.direct_upstream(current) {
                if !std::ptr::eq(dep, job) && !out.iter().any(|j| std::ptr::eq(*j, dep)) {
                    out.push(dep);
                    queue.push(dep);
                }
            }
        }
        out
    }

    fn direct_upstream<'a>(&'a self, job: &'a Job) -> Vec<&'a Job> {
        if self.flavor != Flavor::Gitlab {
            return job
                .needs
                .iter()
                .filter_map(|n| self.job(&n.value))
                .collect();
        }
        if let Some(needs) = self.resolved(job, "needs") {
            return parse::need_names(needs)
                .iter()
                .filter_map(|n| self.job(&n.value))
                .filter(|j| !j.hidden)
                .collect();
        }
        let order = self.stage_order();
        let position = |j: &'a Job| order.iter().position(|s| *s == self.stage_of(j));
        let Some(mine) = position(job) else {
            return Vec::new();
        };
        self.runnable_jobs()
            .filter(|j| position(j).is_some_and(|p| p < mine))
            .collect()
    }
}

/// Whether a GitLab job inherits `key` from `default:` (`inherit: default: false` or a list
/// that leaves the key out turns it off).
fn inherits(job: &Job, key: &str) -> bool {
    match job.node.path(&["inherit", "default"]) {
        None => true,
        Some(node) => match node.as_bool() {
            Some(flag) => flag,
            None => node.items().any(|i| i.as_str() == Some(key)),
        },
    }
}
