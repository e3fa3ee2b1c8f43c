//! Kubernetes rules.

mod dangerous_capability;
mod host_namespace;
mod host_network;
mod privilege_escalation_allowed;
mod sensitive_host_path;
mod writable_root_filesystem;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &dangerous_capability::RULE,
    &host_namespace::RULE,
    &host_network::RULE,
    &privilege_escalation_allowed::RULE,
    &sensitive_host_path::RULE,
    &writable_root_filesystem::RULE,
];
