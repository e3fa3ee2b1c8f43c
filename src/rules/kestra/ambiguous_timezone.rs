//! Time zones written as abbreviations or fixed offsets instead of regions.
use crate::formats::kestra::FlowFile;
use crate::formats::kestra::cron::ambiguity;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/ambiguous-timezone",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/kestra/ambiguous-timezone.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        for node in timezones(&flow.root) {
            let Some(zone) = node.as_str().map(str::trim) else {
                continue;
            };
            if zone.contains("{{") {
                continue;
            }
            if let Some(why) = ambiguity(zone) {
                cx.report(node.span, format!("timezone `{zone}` is {why}"))
                    .help("use an IANA region such as `Europe/Paris`, or `UTC`");
            }
        }
    }
}

/// Every `timezone` property of the flow (labels and descriptions aside).
pub(super) fn timezones(root: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    for (key, _, value) in root.pairs() {
        if !matches!(key, "labels" | "description" | "variables" | "inputs") {
            collect(value, &mut out);
        }
    }
    out
}

fn collect<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    for (key, _, value) in node.pairs() {
        if key == "timezone" {
            out.push(value);
        } else {
            collect(value, out);
        }
    }
    for item in node.items() {
        collect(item, out);
    }
}
