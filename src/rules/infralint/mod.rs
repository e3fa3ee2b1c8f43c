//! Tool-level rules, reported by the engine rather than by a check.

mod parse_error;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[&parse_error::RULE];

pub(crate) use parse_error::RULE as PARSE_ERROR;
