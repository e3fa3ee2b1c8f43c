//! Tool-level rules, reported by the engine rather than by a check.

mod duplicate_key;
mod invalid_suppression;
mod parse_error;
mod render_refused;
mod unused_suppression;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &duplicate_key::RULE,
    &invalid_suppression::RULE,
    &parse_error::RULE,
    &render_refused::RULE,
    &unused_suppression::RULE,
];

pub(crate) use duplicate_key::RULE as DUPLICATE_KEY;
pub(crate) use invalid_suppression::RULE as INVALID_SUPPRESSION;
pub(crate) use parse_error::RULE as PARSE_ERROR;
pub(crate) use render_refused::RULE as RENDER_REFUSED;
pub(crate) use unused_suppression::RULE as UNUSED_SUPPRESSION;
