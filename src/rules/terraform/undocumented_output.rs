//! Outputs without a description.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/undocumented-output",
    severity: Severity::Suggestion,
    doc: include_str!("../../../rules/terraform/undocumented-output.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    let mut first = None;
    let mut missing = false;
    for output in module.blocks("output") {
        first = first.or(Some(output.head));
        let described = output
            .body
            .get("description")
            .is_some_and(|d| d.as_str().is_none_or(|s| !s.trim().is_empty()));
        if !described {
            missing = true;
            cx.report(
                output.head,
                format!("output `{}` has no description", output.address()),
            )
            .help("add a `description` saying what the value is and how callers use it");
        }
    }
    if let (Some(span), false) = (first, missing) {
        cx.pass(span, "every output of the module has a description");
    }
}
