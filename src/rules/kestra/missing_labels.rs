//! Flows without labels to filter and attribute them by.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/missing-labels",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/kestra/missing-labels.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        let labels = flow.labels();
        let id = flow.id().unwrap_or("");
        if labels.is_empty() {
            cx.report(flow.anchor(), format!("flow `{id}` has no labels"))
                .help("add `labels` such as `team`, `env` and `owner` so executions can be filtered and attributed");
            continue;
        }
        let known: Vec<&str> = ["env", "team", "owner"]
            .into_iter()
            .filter(|k| labels.iter().any(|(key, _, _)| key.eq_ignore_ascii_case(k)))
            .collect();
        let message = if known.is_empty() {
            format!("flow `{id}` is labelled")
        } else {
            let keys: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("flow `{id}` is labelled with {}", keys.join(", "))
        };
        cx.pass(flow.anchor(), message);
    }
}
