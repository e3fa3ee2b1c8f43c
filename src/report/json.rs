//! The JSON reporters: one document with every finding (positives included) and a summary, or
//! one finding per line. They print no source text, so secrets never reach them.

use serde::Serialize;

use crate::finding::Report;
use crate::finding::{Notice, Severity};
use crate::source::clamp_span;

/// Bumped when a field changes meaning or disappears.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Findings<'a>,
    summary: Summary,
    /// The estimated-resources summary, when the run has compose services or workloads.
    #[serde(skip_serializing_if = "Option::is_none")]
    resources: Option<super::resources::Json<'a>>,
    /// What the run met and did not lint, when it met something.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    notices: &'a [Notice],
}

/// Every finding of a report, serialized as it is read rather than gathered first.
struct Findings<'a>(&'a Report);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(findings(self.0))
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    critical: usize,
    warning: usize,
    suggestion: usize,
    positive: usize,
}

fn findings(report: &Report) -> impl Iterator<Item = JsonFinding<'_>> {
    report.findings().map(|(file, finding)| {
        let span = clamp_span(&file.source, finding.span);
        let start = file.source.line_col(span.start);
        let end = file.source.line_col(span.end);
        JsonFinding {
            rule: finding.rule,
            severity: finding.severity.as_str(),
            path: &file.source.name,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            message: &finding.message,
            help: finding.help.as_deref(),
        }
    })
}

/// Write one compact JSON object per finding, each on its own line, positives included.
pub fn write_lines(out: &mut impl std::io::Write, report: &Report) -> std::io::Result<()> {
    for finding in findings(report) {
        serde_json::to_writer(&mut *out, &finding).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Write the report as pretty-printed JSON followed by a newline.
pub fn write(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &super::Context,
) -> std::io::Result<()> {
    let document = Document {
        version: VERSION,
        findings: Findings(report),
        summary: Summary {
            files: report.files.len(),
            critical: report.count(Severity::Critical),
            warning: report.count(Severity::Warning),
            suggestion: report.count(Severity::Suggestion),
            positive: report.count(Severity::Positive),
        },
        notices: &report.notices,
        resources: (!context.resources.is_empty())
            .then_some(super::resources::Json(&context.resources)),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(std::io::Error::from)?;
    writeln!(out)
}
