//! Kubernetes rules.

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[];
