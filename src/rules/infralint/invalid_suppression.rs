//! An inline suppression without a reason, naming an unknown rule, or not readable at all.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "infralint/invalid-suppression",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/infralint/invalid-suppression.md"),
    check: Check::Engine,
};
