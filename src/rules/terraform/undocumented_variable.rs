//! Input variables without a description.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/undocumented-variable",
    severity: Severity::Suggestion,
    doc: include_str!("../../../rules/terraform/undocumented-variable.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    let mut first = None;
    let mut missing = false;
    for var in module.blocks("variable") {
        first = first.or(Some(var.head));
        let described = var
            .body
            .get("description")
            .is_some_and(|d| d.as_str().is_none_or(|s| !s.trim().is_empty()));
        if !described {
            missing = true;
            cx.report(
                var.head,
                format!("variable `{}` has no description", var.address()),
            )
            .help("add a `description` saying what the value is for and what it accepts");
        }
    }
    if let (Some(span), false) = (first, missing) {
        cx.pass(span, "every variable of the module has a description");
    }
}
