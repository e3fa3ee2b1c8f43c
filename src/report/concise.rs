//! One line a finding, `path:line:col: severity rule message`, then the summary of the human
//! output: for logs, editors and `grep` on repositories with many findings. Positives are
//! listed only with `--show-positive`, as in the human output. Messages are already masked; the
//! code is never shown, so nothing else can print a secret.

use super::Context;
use super::human::{printable, write_summary};
use crate::finding::{Report, Severity};

pub fn write(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &Context,
) -> std::io::Result<()> {
    for file in &report.files {
        let path = printable(&file.source.name);
        for finding in &file.findings {
            if finding.severity == Severity::Positive && !context.style.show_positive {
                continue;
            }
            let (line, column, _, _) = super::region(&file.source, finding.span);
            writeln!(
                out,
                "{path}:{line}:{column}: {} {} {}",
                finding.severity.as_str(),
                finding.rule,
                printable(&finding.message)
            )?;
        }
    }
    write_summary(out, report, context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FileResult, Finding};
    use crate::format::Format;
    use crate::source::{SourceFile, Span};

    fn report(show_positive: bool) -> String {
        let finding = |severity, start, message: &str| Finding {
            rule: "docker/some-rule",
            severity,
            span: Span::new(start, start + 1),
            message: message.to_string(),
            help: Some("not shown".into()),
            mask: None,
        };
        let report = Report {
            files: vec![FileResult {
                source: SourceFile::new("app/Dockerfile", None, "FROM a\nRUN b\n".into()),
                format: Format::Docker,
                findings: vec![
                    finding(Severity::Positive, 0, "good"),
                    finding(Severity::Warning, 7, "first\nline"),
                ],
                masks: Vec::new(),
                rules: Vec::new().into(),
            }],
            errors: Vec::new(),
            notices: Vec::new(),
        };
        let mut context = Context::default();
        context.style.show_positive = show_positive;
        let mut out = Vec::new();
        write(&mut out, &report, &context).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_line_a_finding_then_the_summary() {
        let text = report(false);
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("app/Dockerfile:2:1: warning docker/some-rule first\\nline")
        );
        assert_eq!(lines.next(), Some("Linted 1 file (Dockerfile: 1)."));
        assert!(
            !text.contains("good") && !text.contains("not shown"),
            "{text}"
        );
        assert!(report(true).starts_with("app/Dockerfile:1:1: positive docker/some-rule good\n"));
    }
}
