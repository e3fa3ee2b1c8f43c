//! Kestra flow rules (catalog §6).

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[];
