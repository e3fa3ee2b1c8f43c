//! GitLab Code Quality: a JSON array of issues with stable fingerprints, positives omitted.

use serde::Serialize;

use super::{Context, region};
use crate::finding::Severity;
use crate::finding::{FileResult, Report};

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn write(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &Context,
) -> std::io::Result<()> {
    let issues = Issues { report, context };
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// The issues of every file, serialized file by file rather than gathered first.
struct Issues<'a> {
    report: &'a Report,
    context: &'a Context,
}

impl Serialize for Issues<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.report
                .files
                .iter()
                .flat_map(|file| issues(file, self.context)),
        )
    }
}

/// The issues of one file: its findings but the positives.
fn issues<'a>(file: &'a FileResult, context: &Context) -> Vec<Issue<'a>> {
    let mut issues = Vec::new();
    let path = context.path(file);
    for (finding, fingerprint) in file.findings.iter().zip(context.fingerprints(file)) {
        let severity = match finding.severity {
            Severity::Critical => "critical",
            Severity::Warning => "major",
            Severity::Suggestion => "minor",
            Severity::Positive => continue,
        };
        let (begin, _, end, _) = region(&file.source, finding.span);
        issues.push(Issue {
            kind: "issue",
            description: &finding.message,
            check_name: finding.rule,
            fingerprint,
            severity,
            location: Location {
                path: path.clone(),
                lines: Lines { begin, end },
            },
        });
    }
    issues
}
