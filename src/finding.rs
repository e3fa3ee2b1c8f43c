//! Severities and findings: what every rule produces and every reporter reads.

use crate::source::Span;

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
