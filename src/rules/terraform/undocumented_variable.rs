//! Input variables without a description.
use super::described::check_described;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/undocumented-variable",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/terraform/undocumented-variable.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    check_described(
        module,
        cx,
        "variable",
        "add a `description` saying what the value is for and what it accepts",
    );
}
