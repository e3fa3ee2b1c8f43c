//! Severities, findings and the report of a run: what every rule produces and every reporter
//! reads.

use std::sync::Arc;

use crate::error::Error;
use crate::format::Format;
use crate::source::{SourceFile, Span};

/// Ordered from least to most severe, so `>=` implements `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Positive,
    Suggestion,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Positive => "positive",
            Severity::Suggestion => "suggestion",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "positive" => Some(Severity::Positive),
            "suggestion" => Some(Severity::Suggestion),
            "warning" => Some(Severity::Warning),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem (or, for [`Severity::Positive`], one good practice) at one place in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub span: Span,
    /// What is wrong here.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// A secret value inside the source, blanked wherever source text is printed.
    pub mask: Option<Span>,
}

impl Finding {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        self.help = Some(help.into());
        self
    }

    pub fn mask(&mut self, span: Span) -> &mut Finding {
        self.mask = Some(span);
        self
    }
}

/// The outcome of a run: every classified file with its findings, and the fatal problems.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by display path.
    pub files: Vec<FileResult>,
    /// Missing paths, unreadable files and directories; each makes the exit code 2.
    pub errors: Vec<Error>,
    /// What the run met and did not lint, told once for the run: neither a finding of a file
    /// nor an error (the exit code does not change).
    pub notices: Vec<Notice>,
}

/// A run-level notice, such as the Helm charts and Kustomize overlays that were not rendered.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    pub message: String,
    /// The directories or files it is about, as reports show paths.
    pub paths: Vec<String>,
}

/// One infrastructure file.
#[derive(Debug)]
pub struct FileResult {
    pub source: SourceFile,
    pub format: Format,
    /// Sorted by span, then rule id.
    pub findings: Vec<Finding>,
    /// Every span of the text that holds a secret, sorted and without overlaps: found by the
    /// secret detectors whatever the selection, suppressions and baseline, and masked in every
    /// output.
    pub masks: Vec<Span>,
    /// The ids of the rules that ran on the file, sorted (shared by the files with the same
    /// selection).
    pub rules: Arc<[&'static str]>,
}

impl Report {
    /// Every finding with the file it is in, in output order.
    pub fn findings(&self) -> impl Iterator<Item = (&FileResult, &Finding)> {
        self.files
            .iter()
            .flat_map(|file| file.findings.iter().map(move |f| (file, f)))
    }

    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings()
            .filter(|(_, f)| f.severity == severity)
            .count()
    }
}
