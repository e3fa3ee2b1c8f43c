//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding,
//! positives omitted. Columns are given only for one-line ranges, which is all GitHub can show.

use super::{Context, region};
use crate::finding::Report;
use crate::finding::Severity;

/// Escape the message part of a workflow command. Other control characters than line breaks
/// and tabs have no escape there and would reach the job log as they are (an escape sequence
/// colours or rewrites the log): they are written as Rust escapes such as `\u{1b}`.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '\t' => out.push(c),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value: as data, plus the separators `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &Context,
) -> std::io::Result<()> {
    for file in &report.files {
        let path = context.path(file);
        for finding in &file.findings {
            let command = match finding.severity {
                Severity::Critical => "error",
                Severity::Warning => "warning",
                Severity::Suggestion => "notice",
                Severity::Positive => continue,
            };
            let (line, column, end_line, end_column) = region(&file.source, finding.span);
            let mut properties = format!("file={},line={line}", escape_property(&path));
            if end_line == line {
                properties.push_str(&format!(",col={column},endColumn={end_column}"));
            } else {
                properties.push_str(&format!(",endLine={end_line}"));
            }
            properties.push_str(&format!(",title={}", escape_property(finding.rule)));
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            writeln!(out, "::{command} {properties}::{}", escape_data(&message))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(
            escape_data("a\u{1b}[31mb\tc\u{7}"),
            "a\\u{1b}[31mb\tc\\u{7}"
        );
    }
}
