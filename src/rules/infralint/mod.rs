//! Tool-level rules, reported by the engine rather than by a check.

mod duplicate_key;
mod parse_error;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[&duplicate_key::RULE, &parse_error::RULE];

pub(crate) use duplicate_key::RULE as DUPLICATE_KEY;
pub(crate) use parse_error::RULE as PARSE_ERROR;
