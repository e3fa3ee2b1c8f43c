//! Docker Compose rules.

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[];
