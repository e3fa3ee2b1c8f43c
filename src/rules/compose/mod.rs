//! Docker Compose rules.

// TODO(#2): used by the rules that land next; remove the allowance then.
#[allow(dead_code)]
pub(crate) mod view;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[];
