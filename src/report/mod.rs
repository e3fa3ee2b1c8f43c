//! Reporters: each turns one [`Report`] into text for people or machines. Only
//! the human reporter prints source text, and it masks secrets first.

pub mod concise;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod mask;
pub mod resources;
pub mod sarif;

use std::path::{Path, PathBuf};

use crate::config::FailOn;
use crate::finding::{FileResult, Report};
use crate::source::{SourceFile, Span, clamp_span};

/// The output formats `-f/--format` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Code frames and a summary, for people.
    Human,
    /// One line a finding (`path:line:col: severity rule message`) and the summary.
    Concise,
    /// One JSON document, for machines.
    Json,
    /// One JSON object per finding and line, for streaming and grep.
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML: a test suite per file, a test case per rule.
    Junit,
    /// A Markdown review for pull-request comments and CI job summaries.
    Markdown,
}

/// What applying a baseline did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaselineOutcome {
    /// Findings hidden because the baseline records them.
    pub matched: usize,
    /// Entries for files linted in this run that matched no finding: fixed, or changed.
    pub stale: usize,
}

/// What reporters need besides the report: the options of the output, and what the run found
/// beside its files (the resources summary, what a baseline did).
#[derive(Clone, Debug)]
pub struct Context {
    /// Findings at or above this fail (JUnit failures).
    pub fail_on: FailOn,
    pub style: human::Style,
    /// The repository root, which SARIF, GitHub and GitLab paths are relative to; paths stay
    /// relative to the current directory without one.
    pub root: Option<PathBuf>,
    /// The target host, for the resources summary's headroom.
    pub host: resources::Host,
    /// `--summary resources`: the human output is the resources summary alone.
    pub resources_only: bool,
    /// `--max-per-rule`: the locations the Markdown review lists for a rule found many times.
    pub max_per_rule: usize,
    /// The estimated-resources summary of the compose services and Kubernetes workloads.
    pub resources: crate::resources::Resources,
    /// What a `--baseline` did, when one was used.
    pub baseline: Option<BaselineOutcome>,
}

impl Default for Context {
    fn default() -> Context {
        Context {
            fail_on: FailOn::Critical,
            style: human::Style::plain(),
            root: None,
            host: resources::Host::default(),
            resources_only: false,
            max_per_rule: 10,
            resources: crate::resources::Resources::default(),
            baseline: None,
        }
    }
}

impl Context {
    /// A file's path relative to the repository root, with `/`, when it lies inside it.
    pub fn path(&self, file: &FileResult) -> String {
        self.below_root(file.source.path.as_deref(), &file.source.name)
    }

    /// A path as reports show it (relative to the current directory, or as given), made
    /// relative to the repository root as [`Context::path`] does for files.
    pub fn shown_path(&self, shown: &str) -> String {
        self.below_root(Some(Path::new(shown)), shown)
    }

    /// `path` relative to the repository root when it lies inside it, else `shown`.
    fn below_root(&self, path: Option<&Path>, shown: &str) -> String {
        match (&self.root, path) {
            (Some(root), Some(path)) => {
                let relative = crate::paths::relative_path(root, path);
                if relative.starts_with("..") {
                    shown.to_string()
                } else {
                    relative
                }
            }
            _ => shown.to_string(),
        }
    }

    /// One stable fingerprint per finding of a file (see [`fingerprint::fingerprints`]).
    pub fn fingerprints(&self, file: &FileResult) -> Vec<String> {
        fingerprint::fingerprints(file, &self.path(file))
    }
}

/// The root of the git repository holding the current directory: the nearest ancestor with a
/// `.git` entry (a directory, or a file in worktrees and submodules).
pub fn repository_root() -> Option<PathBuf> {
    let cwd = crate::paths::absolute(Path::new("."));
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Write a report in one format.
pub fn write(
    out: &mut impl std::io::Write,
    format: OutputFormat,
    report: &Report,
    context: &Context,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Human => human::write(out, report, context),
        OutputFormat::Concise => concise::write(out, report, context),
        OutputFormat::Json => json::write(out, report, context),
        OutputFormat::JsonLines => json::write_lines(out, report),
        OutputFormat::Sarif => sarif::write(out, report, context),
        OutputFormat::Github => github::write(out, report, context),
        OutputFormat::Gitlab => gitlab::write(out, report, context),
        OutputFormat::Junit => junit::write(out, report, context),
        OutputFormat::Markdown => markdown::write(out, report, context),
    }
}

/// The repository's web address from the package metadata, without a trailing `/`.
pub(crate) fn repository() -> Option<&'static str> {
    let url = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!url.is_empty()).then_some(url)
}

/// The address of a rule's doc in the repository (`rules/<format>/<name>.md`).
pub(crate) fn doc_url(id: &str) -> Option<String> {
    let (format, name) = id.split_once('/')?;
    repository().map(|repo| format!("{repo}/blob/main/rules/{format}/{name}.md"))
}

/// One sentence on what a baseline did.
pub fn baseline_note(outcome: &BaselineOutcome) -> String {
    let mut note = format!(
        "the baseline hid {} {}",
        outcome.matched,
        if outcome.matched == 1 {
            "finding"
        } else {
            "findings"
        }
    );
    if outcome.stale > 0 {
        note.push_str(&format!(
            "; {} of its entries no longer {} (fixed or changed): write it again with --write-baseline to drop them",
            outcome.stale,
            if outcome.stale == 1 { "matches" } else { "match" }
        ));
    }
    note
}

/// 1-based start and end (line, column) of a finding; the end column is exclusive.
pub(crate) fn region(source: &SourceFile, span: Span) -> (usize, usize, usize, usize) {
    let span = clamp_span(source, span);
    let start = source.line_col(span.start);
    let end = source.line_col(span.end);
    (start.line, start.column, end.line, end.column)
}
