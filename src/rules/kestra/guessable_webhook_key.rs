//! Webhook trigger keys that are short or made of plain words.
use crate::formats::kestra::FlowFile;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/guessable-webhook-key",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/guessable-webhook-key.md"),
    check: Check::Kestra(check),
};

/// Shorter keys can be brute-forced.
const MIN_LENGTH: usize = 16;

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in file.flows.iter() {
        for trigger in flow.triggers.iter().filter(|t| t.is_core("Webhook")) {
            let Some(node) = trigger.get("key") else {
                continue;
            };
            let Some(key) = node.as_str() else {
                continue;
            };
            if key.contains("{{") {
                continue;
            }
            let id = trigger.id().unwrap_or("?");
            let length = key.chars().count();
            let problem = if length < MIN_LENGTH {
                format!(
                    "has only {length} character{}",
                    if length == 1 { "" } else { "s" }
                )
            } else if is_words(key) {
                "is made of plain words".to_string()
            } else {
                continue;
            };
            cx.report(
                node.span,
                format!(
                    "the key of Webhook trigger `{id}` {problem}, so the webhook URL can be guessed"
                ),
            )
            .help("use a random key of at least 16 characters, ideally `{{ secret('…') }}`")
            .mask(node.span);
        }
    }
}

/// Lowercase words joined by `-` or `_`.
fn is_words(key: &str) -> bool {
    key.split(['-', '_'])
        .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()))
}
