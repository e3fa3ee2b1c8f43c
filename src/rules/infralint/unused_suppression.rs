//! An inline suppression that silences no finding.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "infralint/unused-suppression",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/infralint/unused-suppression.md"),
    check: Check::Engine,
};
