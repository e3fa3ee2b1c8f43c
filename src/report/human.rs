//! The human reporter: a miette code frame per finding, then a summary of what was linted
//! and what was found. Secret values are blanked before any source text is handed to miette.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::finding::{FileResult, Report};
use crate::finding::{Finding, Severity};
use crate::format::Format;
use crate::source::clamp_span;
use crate::source::{SourceFile, Span, floor_char_boundary};

/// How the human output looks.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Box-drawing characters rather than ASCII.
    pub unicode: bool,
    /// Columns to wrap at.
    pub width: usize,
    /// List positive findings, not just count them.
    pub show_positive: bool,
}

impl Style {
    /// Colourless, ASCII, 100 columns: stable output for pipes, files and tests.
    pub fn plain() -> Style {
        Style {
            color: false,
            unicode: false,
            width: 100,
            show_positive: false,
        }
    }

    fn handler(&self) -> GraphicalReportHandler {
        let theme = match (self.unicode, self.color) {
            (true, true) => GraphicalTheme::unicode(),
            (true, false) => GraphicalTheme::unicode_nocolor(),
            (false, true) => GraphicalTheme::ascii(),
            (false, false) => GraphicalTheme::none(),
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false)
            .without_syntax_highlighting()
    }
}

/// Write every finding (positives only when asked), the estimated resources when any were
/// found, and the summary; with `--summary resources`, the resources alone.
pub fn write(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &super::Context,
) -> std::io::Result<()> {
    let resources = super::resources::text(&context.resources, context.host);
    if context.resources_only {
        if resources.is_empty() {
            return writeln!(out, "No compose services or Kubernetes workloads found.");
        }
        return out.write_all(resources.as_bytes());
    }
    let style = &context.style;
    let handler = style.handler();
    let secrets = super::mask::secret_values(&report.files);
    for file in &report.files {
        let shown: Vec<&Finding> = file
            .findings
            .iter()
            .filter(|f| style.show_positive || f.severity != Severity::Positive)
            .collect();
        if shown.is_empty() {
            continue;
        }
        let text = Text::new(&printable(&file.source.name), masked_text(file, &secrets));
        for finding in shown {
            let rendered = render(&handler, &file.source, &text, finding);
            out.write_all(rendered.as_bytes())?;
            writeln!(out)?;
        }
    }
    if !resources.is_empty() {
        out.write_all(resources.as_bytes())?;
        writeln!(out)?;
    }
    write_summary(out, report, context)
}

fn render(
    handler: &GraphicalReportHandler,
    source: &SourceFile,
    text: &Text,
    finding: &Finding,
) -> String {
    let span = clamp_span(source, finding.span);
    let severity = match finding.severity {
        Severity::Critical => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Suggestion | Severity::Positive => miette::Severity::Advice,
    };
    let message = if finding.severity == Severity::Positive {
        format!("passed: {}", printable(&finding.message))
    } else {
        printable(&finding.message).into_owned()
    };
    let mut diagnostic = with_span(
        MietteDiagnostic::new(message)
            .with_code(finding.rule)
            .with_severity(severity),
        span,
        span.is_empty(),
    );
    if let Some(help) = &finding.help {
        diagnostic = diagnostic.with_help(printable(help));
    }
    let excerpt = text.excerpt(span);
    let frame = match &excerpt {
        Some((excerpt, local)) => Frame {
            diagnostic: with_span(diagnostic, *local, span.is_empty()),
            text: excerpt,
        },
        None => Frame { diagnostic, text },
    };
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &frame).is_err() {
        // The handler only fails on a broken formatter; fall back to the bare facts.
        rendered = format!(
            "{}: {}: {}\n",
            printable(&source.name),
            finding.rule,
            finding.message
        );
    }
    rendered
}

/// The diagnostic with its one label, at `span`.
fn with_span(diagnostic: MietteDiagnostic, span: Span, empty: bool) -> MietteDiagnostic {
    diagnostic.with_labels([LabeledSpan::new_primary_with_span(
        // miette draws no marker under an empty span; a label makes the point visible.
        empty.then(|| "here".to_string()),
        (span.start as usize, span.len()),
    )])
}

/// A finding with its file's text, handed to the handler as it is: wrapping it in a
/// `miette::Report` would build miette's default handler, probing the terminal, per finding.
#[derive(Debug)]
struct Frame<'a> {
    diagnostic: MietteDiagnostic,
    text: &'a Text,
}

impl std::fmt::Display for Frame<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl std::error::Error for Frame<'_> {}

impl Diagnostic for Frame<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostic.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.diagnostic.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostic.help()
    }

    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostic.url()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diagnostic.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.text)
    }
}

/// A file's (masked) text as miette reads it, with the starts of its lines found once. miette
/// finds a code frame's lines by scanning from the first byte of the text, for every finding;
/// here it scans from the first line of the frame, and the line numbers are shifted back.
/// Lines end as miette sees them: at `\n`, `\r\n` or a lone `\r`.
#[derive(Debug)]
struct Text {
    name: String,
    text: String,
    starts: Vec<usize>,
    /// For an excerpt of one line: its line number in the file (0-based) and the byte column
    /// of the excerpt's first byte, so that frames and their headers show the real position.
    line_base: usize,
    column_base: usize,
}

/// A frame whose lines are longer than this shows only a window of the finding's line: miette
/// would print every byte of a multi-megabyte line (and cannot pad past 65,535 columns).
const LONG_LINE: usize = 1000;
/// Bytes of the window before the finding, of the finding itself at most, and after it.
const WINDOW_BEFORE: usize = 80;
const WINDOW_SPAN: usize = 240;
const WINDOW_AFTER: usize = 80;
/// Marks a line cut short in a window.
const CUT: &str = "...";

impl Text {
    fn new(name: &str, text: String) -> Text {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            if byte == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            if matches!(byte, b'\r' | b'\n') {
                starts.push(i + 1);
            }
            i += 1;
        }
        Text {
            name: name.to_string(),
            text,
            starts,
            line_base: 0,
            column_base: 0,
        }
    }

    /// The index of the line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The bytes of a line, without its line break.
    fn line(&self, index: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(index).copied().unwrap_or(self.text.len());
        let mut end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        start..end
    }

    /// When a line the frame of `span` would show is longer than [`LONG_LINE`]: the span's
    /// line cut to a window around the span, as a text of its own, and the span in it.
    fn excerpt(&self, span: Span) -> Option<(Text, Span)> {
        let (start, end) = (span.start as usize, span.end as usize);
        let first = self.line_of(start);
        let last = self.line_of(end);
        let lines = first.saturating_sub(1)..=last.saturating_add(1);
        if lines
            .map(|i| self.line(i).len())
            .all(|len| len <= LONG_LINE)
        {
            return None;
        }
        let line = self.line(first);
        let from = floor_char_boundary(
            &self.text,
            start.saturating_sub(WINDOW_BEFORE).max(line.start),
        );
        let span_end = end.min(start.saturating_add(WINDOW_SPAN)).min(line.end);
        let to = floor_char_boundary(
            &self.text,
            span_end.saturating_add(WINDOW_AFTER).min(line.end),
        );
        let span_end = floor_char_boundary(&self.text, span_end);
        let before = if from > line.start { CUT } else { "" };
        let after = if to < line.end { CUT } else { "" };
        let body = self.text.get(from..to).unwrap_or_default();
        let text = format!("{before}{body}{after}");
        let at = |offset: usize| (before.len() + offset.saturating_sub(from)).min(text.len());
        let local = Span::new(at(start), at(span_end.max(start)));
        let excerpt = Text {
            name: self.name.clone(),
            text,
            starts: vec![0],
            line_base: first,
            column_base: (from - line.start).saturating_sub(before.len()),
        };
        Some((excerpt, local))
    }
}

impl SourceCode for Text {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // The span's line is the number of line ends before its first byte.
        let line = self.line_of(span.offset());
        let first = line.saturating_sub(context_lines_before);
        let start = self.starts.get(first).copied().unwrap_or(0);
        let tail = self.text.as_bytes().get(start..).unwrap_or_default();
        let local = SourceSpan::new(span.offset().saturating_sub(start).into(), span.len());
        let inner = tail.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + start).into(), inner.span().len()),
            inner.line() + first + self.line_base,
            inner.column() + self.column_base,
            inner.line_count() + first,
        )))
    }
}

/// A file name or message as a terminal should get it: control characters (a line break, an
/// escape sequence) written as escapes, so that it can neither split a frame nor drive the
/// terminal.
pub(super) fn printable(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The file's text with every secret span the detectors found and every other occurrence of a
/// secret value of the run replaced by `*`, and every control character but line breaks and tabs by `?`
/// (a file must not drive the terminal), one per byte, so all spans stay valid.
fn masked_text(file: &FileResult, secrets: &[&str]) -> String {
    let mut text = file.source.text.clone();
    for &mask in &file.masks {
        let span = clamp_span(&file.source, mask);
        let stars = "*".repeat(span.len());
        if text.get(span.range()).is_some() {
            text.replace_range(span.range(), &stars);
        }
    }
    for secret in secrets {
        let found: Vec<usize> = text.match_indices(secret).map(|(at, _)| at).collect();
        let stars = "*".repeat(secret.len());
        for at in found {
            let range = at..at.saturating_add(secret.len());
            if text.get(range.clone()).is_some() {
                text.replace_range(range, &stars);
            }
        }
    }
    let is_hostile = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if !text.contains(is_hostile) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hostile(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// How many paths of a notice the summary lists; the machine outputs list them all.
const NOTICE_PATHS: usize = 10;

pub(super) fn write_summary(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &super::Context,
) -> std::io::Result<()> {
    let mut linted: BTreeMap<Format, usize> = BTreeMap::new();
    for file in &report.files {
        *linted.entry(file.format).or_default() += 1;
    }
    let mut summary = String::new();
    if report.files.is_empty() {
        summary.push_str("No infrastructure files found.\n");
    } else {
        let total: usize = linted.values().sum();
        let _ = writeln!(
            summary,
            "Linted {} {}{}.",
            total,
            plural(total, "file", "files"),
            by_format(&linted)
        );
    }
    let critical = report.count(Severity::Critical);
    let warning = report.count(Severity::Warning);
    let suggestion = report.count(Severity::Suggestion);
    let positive = report.count(Severity::Positive);
    let _ = writeln!(
        summary,
        "Findings: {} critical, {} {}, {} {}; {} positive.",
        critical,
        warning,
        plural(warning, "warning", "warnings"),
        suggestion,
        plural(suggestion, "suggestion", "suggestions"),
        positive,
    );
    for notice in &report.notices {
        let _ = writeln!(summary, "{}.", notice.message);
        for path in notice.paths.iter().take(NOTICE_PATHS) {
            let _ = writeln!(summary, "  {path}");
        }
        if notice.paths.len() > NOTICE_PATHS {
            let _ = writeln!(
                summary,
                "  and {} more (listed in the JSON and SARIF outputs)",
                notice.paths.len() - NOTICE_PATHS
            );
        }
    }
    if let Some(outcome) = &context.baseline {
        let note = super::baseline_note(outcome);
        let mut chars = note.chars();
        let note: String = chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default();
        let _ = writeln!(summary, "{note}.");
    }
    out.write_all(summary.as_bytes())
}

fn by_format(counts: &BTreeMap<Format, usize>) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(format, n)| format!("{}: {}", format.display_name(), n))
        .collect();
    format!(" ({})", parts.join(", "))
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn file(text: &str, findings: Vec<Finding>) -> Report {
        Report {
            files: vec![FileResult {
                source: SourceFile::new("app/Dockerfile", None, text.to_string()),
                format: Format::Docker,
                masks: crate::engine::merge_masks(&findings),
                findings,
                rules: Vec::new().into(),
            }],
            errors: Vec::new(),
            notices: Vec::new(),
        }
    }

    fn finding(severity: Severity, span: Span, mask: Option<Span>) -> Finding {
        Finding {
            rule: "docker/hardcoded-secret",
            severity,
            span,
            message: "`API_KEY` has a literal value".to_string(),
            help: Some("pass the value at run time".to_string()),
            mask,
        }
    }

    fn render(report: &Report, style: &Style) -> String {
        let mut out = Vec::new();
        let context = crate::report::Context {
            style: *style,
            ..Default::default()
        };
        write(&mut out, report, &context).unwrap_or_default();
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn masked_values_never_reach_the_output() {
        let text = "FROM alpine:3.21\nENV API_KEY=sécret-value other\n";
        let start = text.find("sécret").unwrap_or(0);
        let value = Span::new(start, start + "sécret-value".len());
        let report = file(text, vec![finding(Severity::Critical, value, Some(value))]);
        let out = render(&report, &Style::plain());
        assert!(!out.contains("sécret"), "{out}");
        assert!(out.contains("API_KEY=*************"), "{out}");
        assert!(out.contains(" other"), "{out}");
        assert!(out.contains("docker/hardcoded-secret"), "{out}");
        assert!(out.contains("help: pass the value at run time"), "{out}");
        assert!(out.contains("[app/Dockerfile:2:13]"), "{out}");
        assert!(out.is_ascii(), "{out}");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn long_lines_are_cut_to_a_window_around_the_finding() {
        let long = "é".repeat(5000);
        let text = format!("FROM alpine:3.21\nENV A={long} API_KEY=abc{long}\nUSER 1000\n");
        let start = text.find("API_KEY").unwrap_or(0);
        let findings = vec![
            finding(Severity::Critical, Span::new(start, start + 11), None),
            // A span running past its line and over the next one.
            finding(Severity::Warning, Span::new(start, text.len()), None),
            finding(
                Severity::Warning,
                Span::new(text.len() - 10, text.len() - 1),
                None,
            ),
        ];
        let out = render(&file(&text, findings), &Style::plain());
        assert!(out.len() < 4000, "{out}");
        assert_eq!(out.matches("[app/Dockerfile:2:10008]").count(), 2, "{out}");
        assert!(out.contains("...éé"), "{out}");
        assert!(out.contains(" API_KEY=abcéé"), "{out}");
        // The short line after the long one keeps its ordinary frame.
        assert!(out.contains("[app/Dockerfile:3:1]"), "{out}");
    }

    #[test]
    fn positives_are_counted_and_listed_on_request() {
        let report = file(
            "FROM alpine:3.21\nUSER app\n",
            vec![finding(Severity::Positive, Span::new(17, 25), None)],
        );
        let quiet = render(&report, &Style::plain());
        assert!(!quiet.contains("passed:"), "{quiet}");
        assert!(quiet.contains("1 positive"), "{quiet}");
        let shown = render(
            &report,
            &Style {
                show_positive: true,
                ..Style::plain()
            },
        );
        assert!(shown.contains("passed: "), "{shown}");
    }

    #[test]
    fn colour_only_when_asked() {
        let report = file(
            "FROM alpine\n",
            vec![finding(Severity::Warning, Span::new(5, 11), None)],
        );
        assert!(!render(&report, &Style::plain()).contains('\u{1b}'));
        let coloured = Style {
            color: true,
            unicode: true,
            ..Style::plain()
        };
        assert!(render(&report, &coloured).contains('\u{1b}'));
    }
}
