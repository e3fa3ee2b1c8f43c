//! Linting one file: parse, run the format's rules, apply inline suppressions, then severity
//! overrides, and sort. Files are independent, so callers may lint many in parallel.

use crate::config::Settings;
use crate::finding::{Finding, Severity};
use crate::formats::{self, Format, Parsed};
use crate::rules::{self, Check, Ctx, Rule, RunFacts, Siblings};
use crate::source::{SourceFile, Span};
use crate::suppress::{self, CommentStyle};

/// Which rules run.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Selectors to enable: `all`, a format id, or a rule id. Empty means all.
    pub select: Vec<String>,
    /// Selectors to disable; they beat `select`.
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn enables(&self, rule: &Rule) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|s| matches(s, rule));
        selected && !self.ignore.iter().any(|s| matches(s, rule))
    }
}

/// Whether a selector (`all`, a format, a rule id) covers a rule.
pub fn matches(selector: &str, rule: &Rule) -> bool {
    selector == "all" || selector == rule.id || rule.id.split('/').next() == Some(selector)
}

/// Is a selector one infralint knows?
pub fn is_known_selector(selector: &str) -> bool {
    selector == "all"
        || Format::from_id(selector).is_some()
        || selector == "infralint"
        || rules::by_id(selector).is_some()
}

/// Lint one source file of a known format on its own, with default settings (single-file
/// mode: run-wide facts come from this file alone). Findings come sorted by (start, rule id,
/// message).
pub fn lint_source(
    source: &SourceFile,
    format: Format,
    siblings: &Siblings,
    selection: &Selection,
) -> Vec<Finding> {
    lint_file(source, format, siblings, &Settings::default(), selection)
}

/// Lint one source file on its own: `settings` gives the options, suppression and severity
/// policy, `selection` the rules enabled for this file (the run's plus its per-path ignores).
pub fn lint_file(
    source: &SourceFile,
    format: Format,
    siblings: &Siblings,
    settings: &Settings,
    selection: &Selection,
) -> Vec<Finding> {
    let Some(parsed) = formats::parse(format, source) else {
        return Vec::new();
    };
    let mut facts = RunFacts::default();
    facts.collect(&parsed);
    lint_parsed(source, &parsed, siblings, selection, &facts, settings)
}

/// Run the rules of a parsed file's format.
pub fn lint_parsed(
    source: &SourceFile,
    parsed: &Parsed,
    siblings: &Siblings,
    selection: &Selection,
    facts: &RunFacts,
    settings: &Settings,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if selection.enables(&rules::infralint::PARSE_ERROR) {
        for error in parsed.errors() {
            findings.push(parse_error(error.span, &error.message));
        }
    }
    if selection.enables(&rules::infralint::DUPLICATE_KEY) {
        for duplicate in parsed.duplicate_keys() {
            findings.push(Finding {
                rule: rules::infralint::DUPLICATE_KEY.id,
                severity: rules::infralint::DUPLICATE_KEY.severity,
                span: duplicate.span,
                message: duplicate.message.clone(),
                help: Some("keep one of the two entries".into()),
                mask: None,
            });
        }
    }
    let format = parsed.format();
    for rule in rules::all() {
        if rule.format() != Some(format) || !selection.enables(rule) {
            continue;
        }
        let mut cx = Ctx::new(
            rule,
            source,
            siblings,
            facts,
            &settings.options,
            &mut findings,
        );
        match (&rule.check, parsed) {
            (Check::Docker(check), Parsed::Docker(model)) => check(model, &mut cx),
            (Check::Compose(check), Parsed::Compose(model)) => check(model, &mut cx),
            (Check::K8s(check), Parsed::K8s(model)) => check(model, &mut cx),
            _ => {}
        }
    }
    if settings.inline_ignores {
        let mut scanned = suppress::scan(&source.text, comment_style(format));
        suppress::widen(&mut scanned.suppressions, &statements(parsed));
        scanned.suppressions.extend(model_suppressions(parsed));
        let problems = suppress::apply(&scanned, &mut findings, |r| selection.enables(r));
        findings.extend(problems);
    }
    settings.override_severities(&mut findings);
    sort(&mut findings);
    findings
}

/// How comments are written in a format, for the suppression scanner.
fn comment_style(format: Format) -> CommentStyle {
    match format {
        Format::Docker | Format::Compose | Format::K8s | Format::Kestra => CommentStyle::Hash,
        Format::Systemd => CommentStyle::Systemd,
        Format::Terraform => CommentStyle::Hcl,
    }
}

/// The spans of a model's statements (Dockerfile instructions), which a suppression on the
/// line where one starts covers whole.
fn statements(parsed: &Parsed) -> Vec<Span> {
    match parsed {
        Parsed::Docker(model) => model.instructions.iter().map(|i| i.span).collect(),
        _ => Vec::new(),
    }
}

/// Suppressions a model carries outside comments. Kubernetes objects will add theirs here from
/// `ignore.infralint.io/<name>` annotations, scoped to the object's span.
fn model_suppressions(parsed: &Parsed) -> Vec<suppress::Suppression> {
    match parsed {
        Parsed::Docker(_) => Vec::new(),
        _ => Vec::new(),
    }
}

/// A parse-error finding.
pub fn parse_error(span: Span, message: &str) -> Finding {
    Finding {
        rule: rules::infralint::PARSE_ERROR.id,
        severity: Severity::Critical,
        span,
        message: message.to_string(),
        help: None,
        mask: None,
    }
}

/// The deterministic order of findings within a file.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.span.start, a.rule, a.span.end, &a.message).cmp(&(
            b.span.start,
            b.rule,
            b.span.end,
            &b.message,
        ))
    });
}
