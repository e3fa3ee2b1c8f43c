//! Outputs without a description.
use super::described::check_described;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/undocumented-output",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/terraform/undocumented-output.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    check_described(
        module,
        cx,
        "output",
        "add a `description` saying what the value is and how callers use it",
    );
}
