//! Dockerfile rules.

mod context;
mod shell;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[];
