//! Linting one file: parse, run the format's rules, sort. Files are independent, so callers
//! may lint many in parallel.

use crate::finding::{Finding, Severity};
use crate::formats::{self, Format, Parsed};
use crate::rules::{self, Check, Ctx, Rule, RunFacts, Siblings};
use crate::source::{SourceFile, Span};

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

/// Lint one source file of a known format on its own (single-file mode: run-wide facts come
/// from this file alone). Findings come sorted by (start, rule id, message).
pub fn lint_source(
    source: &SourceFile,
    format: Format,
    siblings: &Siblings,
    selection: &Selection,
) -> Vec<Finding> {
    let Some(parsed) = formats::parse(format, source) else {
        return Vec::new();
    };
    let mut facts = RunFacts::default();
    facts.collect(&parsed);
    lint_parsed(source, &parsed, siblings, selection, &facts)
}

/// Run the rules of a parsed file's format.
pub fn lint_parsed(
    source: &SourceFile,
    parsed: &Parsed,
    siblings: &Siblings,
    selection: &Selection,
    facts: &RunFacts,
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
        let mut cx = Ctx::new(rule, source, siblings, facts, &mut findings);
        match (&rule.check, parsed) {
            (Check::Docker(check), Parsed::Docker(model)) => check(model, &mut cx),
            (Check::Compose(check), Parsed::Compose(model)) => check(model, &mut cx),
            (Check::K8s(check), Parsed::K8s(model)) => check(model, &mut cx),
            _ => {}
        }
    }
    if let Parsed::K8s(manifest) = parsed {
        drop_annotation_ignored(manifest, &mut findings);
    }
    sort(&mut findings);
    findings
}

/// Drop the findings that an `ignore.infralint.io/<rule-name>` annotation silences: those of
/// `k8s/<rule-name>` that lie inside the annotated object.
fn drop_annotation_ignored(manifest: &formats::k8s::Manifest, findings: &mut Vec<Finding>) {
    let ignores = manifest.annotation_ignores();
    if ignores.is_empty() {
        return;
    }
    findings.retain(|f| {
        let Some(name) = f.rule.strip_prefix("k8s/") else {
            return true;
        };
        !ignores.iter().any(|(object, ignored)| {
            *ignored == name && object.start <= f.span.start && f.span.end <= object.end
        })
    });
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
            select: vec!["k8s/root-user".into(), "k8s/unpinned-image".into()],
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
}
