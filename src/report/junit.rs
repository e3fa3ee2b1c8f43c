//! JUnit XML for CI test views: a test suite per linted file, a test case per rule that ran on
//! it, failing when it found something at or above `--fail-on`. No source text is printed.

use std::fmt::Write as _;

use super::{Context, region};
use crate::finding::{FileResult, Report};
use crate::finding::{Finding, Severity};

/// Text safe inside XML elements: markup escaped, and the characters XML 1.0 does not allow
/// written as `\u{..}` escapes.
fn escape(text: &str) -> String {
    escape_xml(text, false)
}

/// Text safe inside an XML attribute: as [`escape`], and line breaks and tabs as character
/// references, which attribute-value normalization would otherwise turn into spaces.
fn escape_attribute(text: &str) -> String {
    escape_xml(text, true)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' if attribute => out.push_str(&format!("&#{};", u32::from(c))),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.extend(c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// A test case: one rule on one file.
struct Case<'a> {
    rule: &'a str,
    failing: Vec<&'a Finding>,
    other: Vec<&'a Finding>,
}

/// The rules that ran on the file, and any other rule with a finding there (parse errors of
/// files infralint cannot lint yet).
fn cases(file: &FileResult) -> Vec<Case<'_>> {
    let mut ids: Vec<&'static str> = file.rules.to_vec();
    ids.extend(file.findings.iter().map(|f| f.rule));
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|rule| Case {
            rule,
            failing: Vec::new(),
            other: Vec::new(),
        })
        .collect()
}

fn line(file: &FileResult, finding: &Finding) -> String {
    let (line, column, _, _) = region(&file.source, finding.span);
    let mut text = format!("{line}:{column} {}: {}", finding.severity, finding.message);
    if let Some(help) = &finding.help {
        text.push_str(&format!("\n  help: {help}"));
    }
    text
}

/// The test cases of a file, with its findings sorted into them.
fn sorted_cases<'a>(file: &'a FileResult, context: &Context) -> Vec<Case<'a>> {
    let mut cases = cases(file);
    for finding in &file.findings {
        let Some(case) = cases.iter_mut().find(|c| c.rule == finding.rule) else {
            continue;
        };
        if context.fail_on.fails(finding.severity) {
            case.failing.push(finding);
        } else if finding.severity != Severity::Positive {
            case.other.push(finding);
        }
    }
    cases
}

/// Write the document. The totals come first, so a first pass counts them; each file's suite
/// is then written as it is built.
pub fn write(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &Context,
) -> std::io::Result<()> {
    let (mut tests, mut failures) = (0, 0);
    for file in &report.files {
        let cases = sorted_cases(file, context);
        tests += cases.len();
        failures += cases.iter().filter(|c| !c.failing.is_empty()).count();
    }
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"infralint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    )?;
    for file in &report.files {
        let cases = sorted_cases(file, context);
        if cases.is_empty() {
            continue;
        }
        out.write_all(suite(file, &cases, context).as_bytes())?;
    }
    writeln!(out, "</testsuites>")
}

/// The `<testsuite>` element of a file.
fn suite(file: &FileResult, cases: &[Case], context: &Context) -> String {
    let mut suites = String::new();
    let path = escape_attribute(&context.path(file));
    let failed = cases.iter().filter(|c| !c.failing.is_empty()).count();
    let _ = writeln!(
        suites,
        "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
        cases.len()
    );
    for case in cases {
        let rule = escape_attribute(case.rule);
        let _ = write!(
            suites,
            "    <testcase name=\"{rule}\" classname=\"{path}\" file=\"{path}\""
        );
        if case.failing.is_empty() && case.other.is_empty() {
            suites.push_str("/>\n");
            continue;
        }
        suites.push_str(">\n");
        if let Some(first) = case.failing.first() {
            let message = if case.failing.len() == 1 {
                first.message.clone()
            } else {
                format!(
                    "{} findings, the first: {}",
                    case.failing.len(),
                    first.message
                )
            };
            let body: Vec<String> = case.failing.iter().map(|f| line(file, f)).collect();
            let _ = writeln!(
                suites,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape_attribute(&message),
                first.severity,
                escape(&body.join("\n"))
            );
        }
        if !case.other.is_empty() {
            let body: Vec<String> = case.other.iter().map(|f| line(file, f)).collect();
            let _ = writeln!(
                suites,
                "      <system-out>{}</system-out>",
                escape(&body.join("\n"))
            );
        }
        suites.push_str("    </testcase>\n");
    }
    suites.push_str("  </testsuite>\n");
    suites
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a<b>&\"'\u{1}c\n"),
            "a&lt;b&gt;&amp;&quot;&apos;\\u{1}c\n"
        );
        assert_eq!(escape_attribute("a\nb\tc\r"), "a&#10;b&#9;c&#13;");
    }
}
