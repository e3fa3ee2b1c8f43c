//! Triggers whose firing conditions are not explained.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/undocumented-trigger",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/kestra/undocumented-trigger.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        for trigger in &flow.triggers {
            let why = ["conditions", "preconditions", "stopAfter", "inputs"]
                .into_iter()
                .find(|k| trigger.get(k).is_some_and(|n| !n.is_null()))
                .map(|k| format!("has `{k}`"))
                .or_else(|| {
                    ["Flow", "Webhook"]
                        .into_iter()
                        .find(|k| trigger.is_core(k))
                        .map(|k| format!("is a {k} trigger"))
                });
            let Some(why) = why else { continue };
            let id = trigger.id().unwrap_or("");
            let described = trigger
                .get("description")
                .and_then(Node::as_str)
                .is_some_and(|d| !d.trim().is_empty());
            if described {
                cx.pass(trigger.anchor(), format!("trigger `{id}` is described"));
            } else {
                cx.report(
                    trigger.anchor(),
                    format!("trigger `{id}` {why} but no `description`"),
                )
                .help("add a `description` saying when the trigger fires and why");
            }
        }
    }
}
