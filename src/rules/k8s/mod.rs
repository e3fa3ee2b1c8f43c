//! Kubernetes rules.

mod host_namespace;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[&host_namespace::RULE];
