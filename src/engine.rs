//! Linting one file: parse, run the format's rules, apply inline suppressions, then severity
//! overrides, and sort. Files are independent, so callers may lint many in parallel.

use crate::config::Settings;
use crate::finding::{Finding, Severity};
use crate::formats::{self, Format, Parsed};
use crate::rules::{self, Check, Ctx, Rule, RunFacts, Siblings};
use crate::source::{SourceFile, Span, Spanned};
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

/// Suppressions a model carries outside comments: a Kubernetes object's
/// `ignore.infralint.io/<rule-name>` annotations silence `k8s/<rule-name>` inside the object.
fn model_suppressions(parsed: &Parsed) -> Vec<suppress::Suppression> {
    match parsed {
        Parsed::K8s(manifest) => manifest
            .annotation_ignores()
            .into_iter()
            .map(|a| suppress::Suppression {
                selectors: vec![Spanned::new(format!("k8s/{}", a.rule), a.key)],
                span: a.span,
                scope: suppress::Scope::Span(a.object),
                reason: a.reason.map(str::to_string),
            })
            .collect(),
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn k8s_rules(text: &str) -> Vec<(&'static str, String)> {
        let source = SourceFile::new("manifest.yaml", None, text.to_string());
        let selection = Selection {
            select: vec![
                "k8s/root-user".into(),
                "k8s/unpinned-image".into(),
                "infralint".into(),
            ],
            ignore: vec![],
        };
        lint_source(&source, Format::K8s, &Siblings::None, &selection)
            .into_iter()
            .filter(|f| f.severity != Severity::Positive)
            .map(|f| (f.rule, source.slice(f.span).to_string()))
            .collect()
    }

    #[test]
    fn ignore_annotations_silence_one_rule_in_one_object() {
        let pod = |name: &str, annotations: &str, template: bool| {
            let object = if template { "" } else { annotations };
            let pod = if template { annotations } else { "" };
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n{object}spec:\n  template:\n    metadata:\n{pod}      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: c\n        image: {name}:latest\n        securityContext: {{runAsUser: 0}}\n"
            )
        };
        let on_object = "  annotations:\n    ignore.infralint.io/root-user: \"debug image\"\n";
        let on_template =
            "      annotations:\n        ignore.infralint.io/unpinned-image: \"dev only\"\n";
        let text = [
            pod("a", on_object, false),
            pod("b", on_template, true),
            pod("c", "", false),
        ]
        .join("---\n");
        let got = k8s_rules(&text);
        assert_eq!(
            got,
            [
                ("k8s/unpinned-image", "a:latest".to_string()),
                ("k8s/root-user", "0".to_string()),
                ("k8s/unpinned-image", "c:latest".to_string()),
                ("k8s/root-user", "0".to_string()),
            ],
            "{text}"
        );
    }

    #[test]
    fn ignore_annotations_need_a_reason_a_known_rule_and_a_use() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ignore.infralint.io/root-user: \"\"\n    ignore.infralint.io/no-such-rule: typo\n    ignore.infralint.io/unpinned-image: pinned anyway\nspec:\n  containers:\n  - name: c\n    image: app:1.0\n    securityContext: {runAsUser: 0}\n";
        let got = k8s_rules(text);
        assert_eq!(
            got,
            [
                (
                    "infralint/invalid-suppression",
                    "ignore.infralint.io/root-user: \"\"".to_string()
                ),
                (
                    "infralint/invalid-suppression",
                    "ignore.infralint.io/no-such-rule".to_string()
                ),
                (
                    "infralint/unused-suppression",
                    "ignore.infralint.io/unpinned-image".to_string()
                ),
            ],
            "{text}"
        );
    }
}
