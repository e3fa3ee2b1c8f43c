//! A file, or part of it, could not be parsed.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "infralint/parse-error",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/infralint/parse-error.md"),
    check: Check::Engine,
};
