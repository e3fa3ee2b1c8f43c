//! A YAML mapping sets the same key twice.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "infralint/duplicate-key",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/infralint/duplicate-key.md"),
    check: Check::Engine,
};
