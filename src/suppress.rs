//! Inline suppressions: `infralint: ignore[...] reason` and `infralint: ignore-file[...] reason`
//! comments, found by one line scanner for all formats, and applied to a file's findings after
//! the rules ran. Formats with other carriers (Kubernetes annotations) add [`Suppression`]s too.

use crate::finding::{Finding, Severity};
use crate::rules::selection;
use crate::rules::{self, Rule};
use crate::source::{Span, Spanned};

/// One suppression, wherever it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Selectors as in the configuration: `all`, a format, a rule id.
    pub selectors: Vec<Spanned<String>>,
    /// The directive itself, where problems with it are reported.
    pub span: Span,
    pub scope: Scope,
    /// Why the findings are silenced; required.
    pub reason: Option<String>,
}

/// What a suppression covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every finding of the file.
    File,
    /// Findings that start inside this range (a line, widened to the statement starting on it).
    Span(Span),
    /// Nothing: a directive with no line after it.
    Nothing,
}

/// How comments start in a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentStyle {
    /// `#`, at the start of a line or after whitespace outside quotes (Dockerfile, YAML).
    Hash,
    /// `#` or `;` at the start of a line only (systemd).
    Systemd,
    /// `#` or `//` at the start of a line or after whitespace outside quotes (HCL).
    Hcl,
}

/// What a scan finds: well-formed suppressions, and directives that could not be read.
#[derive(Debug, Default)]
pub struct Scanned {
    pub suppressions: Vec<Suppression>,
    /// A directive that is not `ignore[...]`/`ignore-file[...]`: where, and what is wrong.
    pub malformed: Vec<(Span, String)>,
}

/// The marker that makes a comment a directive, right at the comment's start.
const MARKER: &str = "infralint:";

/// One line of the text: its range without the terminator, and its comment if any.
struct Line {
    span: Span,
    /// Byte offset where the comment's text starts (after `#`, `//` or `;`).
    comment: Option<usize>,
    /// Nothing but whitespace before the comment.
    comment_only: bool,
    blank: bool,
}

fn lines(text: &str, style: CommentStyle) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.trim_end_matches(['\n', '\r']);
        let (comment, comment_only) = match comment_start(body, style) {
            Some((at, only)) => (Some(start + at), only),
            None => (None, false),
        };
        out.push(Line {
            span: Span::new(start, start + body.len()),
            comment,
            comment_only,
            blank: body.trim().is_empty(),
        });
        start += piece.len();
    }
    out
}

/// Where a line's comment text starts, and whether only whitespace precedes the comment.
fn comment_start(line: &str, style: CommentStyle) -> Option<(usize, bool)> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.get(indent..)?;
    for opener in openers(style) {
        if rest.starts_with(opener) {
            return Some((indent + opener.len(), true));
        }
    }
    if style == CommentStyle::Systemd {
        return None;
    }
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = indent;
    while let Some(&b) = bytes.get(i) {
        let prev = i.checked_sub(1).and_then(|p| bytes.get(p)).copied();
        match quote {
            Some(b'"') if b == b'\\' => i += 1,
            Some(q) if b == q => {
                // `''` inside single quotes is an escaped quote (YAML), or two adjacent strings
                // (shell): either way the string goes on.
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && opens_quote(prev) => quote = Some(b),
            None if prev.is_some_and(|p| p == b' ' || p == b'\t') => {
                let tail = line.get(i..).unwrap_or("");
                if let Some(opener) = openers(style).iter().find(|o| tail.starts_with(**o)) {
                    return Some((i + opener.len(), false));
                }
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// A quote opens a string only where a value can start: not inside a word like `it's`.
fn opens_quote(prev: Option<u8>) -> bool {
    prev.is_none_or(|p| matches!(p, b' ' | b'\t' | b'=' | b':' | b'[' | b'{' | b'(' | b','))
}

fn openers(style: CommentStyle) -> &'static [&'static str] {
    match style {
        CommentStyle::Hash => &["#"],
        CommentStyle::Systemd => &["#", ";"],
        CommentStyle::Hcl => &["#", "//"],
    }
}

/// Find every directive in a file's comments.
pub fn scan(text: &str, style: CommentStyle) -> Scanned {
    // Most files have no directive; skip building the line table for them.
    if !text.contains(MARKER) {
        return Scanned::default();
    }
    let lines = lines(text, style);
    let mut scanned = Scanned::default();
    for (index, line) in lines.iter().enumerate() {
        let Some(at) = line.comment else { continue };
        let comment = text.get(at..line.span.end as usize).unwrap_or("");
        let lead = comment.len() - comment.trim_start().len();
        let Some(after) = comment.trim_start().strip_prefix(MARKER) else {
            continue;
        };
        let directive_start = at + lead;
        let directive = Span::new(directive_start, line.span.end as usize);
        let body_start = directive_start + MARKER.len();
        match parse_directive(after, body_start) {
            Ok((file_wide, selectors, reason)) => {
                let scope = if file_wide {
                    Scope::File
                } else if line.comment_only {
                    lines
                        .iter()
                        .skip(index + 1)
                        .find(|l| !l.blank && !l.comment_only)
                        .map_or(Scope::Nothing, |l| Scope::Span(l.span))
                } else {
                    Scope::Span(line.span)
                };
                scanned.suppressions.push(Suppression {
                    selectors,
                    span: directive,
                    scope,
                    reason,
                });
            }
            Err(message) => scanned.malformed.push((directive, message)),
        }
    }
    scanned
}

type Directive = (bool, Vec<Spanned<String>>, Option<String>);

/// `ignore[a, b] reason` or `ignore-file[a] reason`; `offset` is where `text` starts.
fn parse_directive(text: &str, offset: usize) -> Result<Directive, String> {
    let lead = text.len() - text.trim_start().len();
    let body = text.trim_start();
    let word_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(body.len());
    let word = body.get(..word_len).unwrap_or("");
    let file_wide = match word {
        "ignore" => false,
        "ignore-file" => true,
        "" => return Err("empty `infralint:` directive".to_string()),
        other => {
            return Err(format!(
                "unknown directive `{other}`; expected `ignore[...]` or `ignore-file[...]`"
            ));
        }
    };
    let rest = body.get(word_len..).unwrap_or("");
    let Some(list) = rest.strip_prefix('[') else {
        return Err(format!(
            "`{word}` must be followed by `[` and the rules to silence"
        ));
    };
    let Some(close) = list.find(']') else {
        return Err(format!("`{word}[` is not closed with `]`"));
    };
    let list_start = offset + lead + word_len + 1;
    let mut selectors = Vec::new();
    let mut at = 0;
    for part in list.get(..close).unwrap_or("").split(',') {
        let trimmed = part.trim();
        let start = list_start + at + (part.len() - part.trim_start().len());
        if !trimmed.is_empty() {
            selectors.push(Spanned::new(
                trimmed.to_string(),
                Span::new(start, start + trimmed.len()),
            ));
        }
        at += part.len() + 1;
    }
    let reason = list.get(close + 1..).unwrap_or("").trim();
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    Ok((file_wide, selectors, reason))
}

/// Let a line scope cover the whole statement (a multi-line Dockerfile instruction, say) that
/// starts on the line.
pub fn widen(suppressions: &mut [Suppression], statements: &[Span]) {
    for suppression in suppressions {
        if let Scope::Span(line) = suppression.scope {
            let widened = statements
                .iter()
                .filter(|s| s.start >= line.start && s.start <= line.end)
                .fold(line, |acc, s| acc.cover(*s));
            suppression.scope = Scope::Span(widened);
        }
    }
}

/// Whether a selector covers a rule id.
fn covers(selector: &str, rule: &str) -> bool {
    selector == "all" || selector == rule || rule.split('/').next() == Some(selector)
}

/// Remove the findings the suppressions silence, and return the findings about the
/// suppressions themselves (invalid or unused), for the rules `enabled` says are on.
pub fn apply(
    scanned: &Scanned,
    findings: &mut Vec<Finding>,
    enabled: impl Fn(&Rule) -> bool,
) -> Vec<Finding> {
    let suppressions = &scanned.suppressions;
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.selectors.len()])
        .collect();
    findings.retain(|finding| {
        if finding.severity == Severity::Positive {
            return true;
        }
        let mut silenced = false;
        for (suppression, used) in suppressions.iter().zip(used.iter_mut()) {
            let in_scope = match suppression.scope {
                Scope::File => true,
                Scope::Span(span) => {
                    finding.span.start >= span.start && finding.span.start <= span.end
                }
                Scope::Nothing => false,
            };
            if !in_scope {
                continue;
            }
            for (selector, used) in suppression.selectors.iter().zip(used.iter_mut()) {
                if covers(&selector.value, finding.rule) {
                    *used = true;
                    silenced = true;
                }
            }
        }
        !silenced
    });

    let mut problems = Vec::new();
    let invalid = &rules::infralint::INVALID_SUPPRESSION;
    let unused = &rules::infralint::UNUSED_SUPPRESSION;
    let report = |rule: &'static Rule, span: Span, message: String, help: String| Finding {
        rule: rule.id,
        severity: rule.severity,
        span,
        message,
        help: Some(help),
        mask: None,
    };
    if enabled(invalid) {
        for (span, message) in &scanned.malformed {
            problems.push(report(
                invalid,
                *span,
                message.clone(),
                "write `infralint: ignore[<rule>, ...] <reason>` or `infralint: ignore-file[<rule>, ...] <reason>`"
                    .to_string(),
            ));
        }
    }
    for (suppression, used) in suppressions.iter().zip(&used) {
        if enabled(invalid) {
            if suppression.selectors.is_empty() {
                problems.push(report(
                    invalid,
                    suppression.span,
                    "suppression names no rule".to_string(),
                    "name the rules to silence between the brackets, or remove the comment"
                        .to_string(),
                ));
            }
            for selector in &suppression.selectors {
                if !selection::is_known_selector(&selector.value) {
                    let mut help = crate::config::unknown_selector(&selector.value);
                    help = match help.split_once("; ") {
                        Some((_, suggestion)) => suggestion.trim_end_matches('?').to_string(),
                        None => "run `infralint --list-rules` for the rule ids".to_string(),
                    };
                    problems.push(report(
                        invalid,
                        selector.span,
                        format!(
                            "suppression names unknown rule or format `{}`",
                            selector.value
                        ),
                        help,
                    ));
                }
            }
            if suppression.reason.is_none() {
                problems.push(report(
                    invalid,
                    suppression.span,
                    "suppression gives no reason".to_string(),
                    "say why after the closing bracket, e.g. `ignore[docker/root-user] needs port 80`"
                        .to_string(),
                ));
            }
        }
        if enabled(unused) {
            for (selector, &was_used) in suppression.selectors.iter().zip(used) {
                let runs = rules::iter().any(|r| covers(&selector.value, r.id) && enabled(r));
                if !was_used && runs {
                    problems.push(report(
                        unused,
                        selector.span,
                        format!("suppression of `{}` silences nothing", selector.value),
                        "remove it from the suppression, or remove the suppression".to_string(),
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, style: CommentStyle) -> Vec<(Vec<String>, Option<String>, String)> {
        scan(text, style)
            .suppressions
            .into_iter()
            .map(|s| {
                let scope = match s.scope {
                    Scope::File => "file".to_string(),
                    Scope::Span(span) => text.get(span.range()).unwrap_or("?").to_string(),
                    Scope::Nothing => "nothing".to_string(),
                };
                (
                    s.selectors.into_iter().map(|s| s.value).collect(),
                    s.reason,
                    scope,
                )
            })
            .collect()
    }

    #[test]
    fn line_before_and_trailing() {
        let text = "FROM alpine\n# infralint: ignore[docker/root-user, docker/missing-user] builder only\n\n# other comment\nUSER root\nRUN make # infralint: ignore[docker] vendored\n";
        let found = texts(text, CommentStyle::Hash);
        assert_eq!(
            found,
            [
                (
                    vec![
                        "docker/root-user".to_string(),
                        "docker/missing-user".to_string()
                    ],
                    Some("builder only".to_string()),
                    "USER root".to_string()
                ),
                (
                    vec!["docker".to_string()],
                    Some("vendored".to_string()),
                    "RUN make # infralint: ignore[docker] vendored".to_string()
                ),
            ]
        );
    }

    #[test]
    fn selector_spans_point_into_the_text() {
        let text = "#infralint:ignore[ a ,b]\nx\n";
        let scanned = scan(text, CommentStyle::Hash);
        let spans: Vec<&str> = scanned.suppressions[0]
            .selectors
            .iter()
            .map(|s| text.get(s.span.range()).unwrap_or("?"))
            .collect();
        assert_eq!(spans, ["a", "b"]);
        assert_eq!(scanned.suppressions[0].reason, None);
    }

    #[test]
    fn file_wide_and_other_comment_styles() {
        let found = texts(
            "; infralint: ignore-file[systemd] generated\n[Unit]\n",
            CommentStyle::Systemd,
        );
        assert_eq!(found[0].2, "file");
        let found = texts(
            "resource \"x\" \"y\" { // infralint: ignore[terraform] why\n}\n",
            CommentStyle::Hcl,
        );
        assert_eq!(found.len(), 1);
        // systemd has no trailing comments.
        assert!(
            texts(
                "ExecStart=/bin/x ; infralint: ignore[all] r\n",
                CommentStyle::Systemd
            )
            .is_empty()
        );
    }

    #[test]
    fn hashes_in_strings_and_urls_are_not_comments() {
        for line in [
            "url: \"http://x/# infralint: ignore[all] no\"",
            "url: 'a # infralint: ignore[all] no'",
            "url: http://example.com/#infralint:ignore[all]",
            "key: value#infralint: ignore[all] no",
            "RUN echo \"a \\\" # infralint: ignore[all] no\"",
            "# see infralint: ignore[all] for details",
            "url: 'it''s # infralint: ignore[all] no'",
        ] {
            assert!(texts(line, CommentStyle::Hash).is_empty(), "{line}");
        }
        assert_eq!(
            texts("x: it's # infralint: ignore[all] yes\n", CommentStyle::Hash).len(),
            1
        );
    }

    #[test]
    fn malformed_directives() {
        for line in [
            "# infralint: ignroe[docker] x",
            "# infralint: ignore docker",
            "# infralint: ignore[docker",
            "# infralint:",
        ] {
            let scanned = scan(line, CommentStyle::Hash);
            assert!(scanned.suppressions.is_empty(), "{line}");
            assert_eq!(scanned.malformed.len(), 1, "{line}");
        }
    }

    #[test]
    fn a_directive_at_the_end_covers_nothing() {
        assert_eq!(
            texts("x\n# infralint: ignore[all] r\n", CommentStyle::Hash)[0].2,
            "nothing"
        );
    }

    #[test]
    fn widening_covers_the_statement() {
        let text = "# infralint: ignore[all] r\nRUN a \\\n  b\n";
        let mut s = scan(text, CommentStyle::Hash).suppressions;
        widen(&mut s, &[Span::new(27, text.len() - 1)]);
        assert_eq!(s[0].scope, Scope::Span(Span::new(27, text.len() - 1)));
    }
}
