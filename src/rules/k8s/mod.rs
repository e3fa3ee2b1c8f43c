//! Kubernetes rules.

mod host_namespace;
mod host_network;
mod sensitive_host_path;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &host_namespace::RULE,
    &host_network::RULE,
    &sensitive_host_path::RULE,
];
