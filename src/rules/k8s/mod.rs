//! Kubernetes rules.

mod dangerous_capability;
mod host_namespace;
mod host_network;
mod missing_pod_disruption_budget;
mod privilege_escalation_allowed;
mod probe_port_mismatch;
mod rbac_wildcard;
mod removed_api_version;
mod selector_mismatch;
mod sensitive_host_path;
mod unbounded_job;
mod unreasonable_probe;
mod writable_root_filesystem;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &dangerous_capability::RULE,
    &host_namespace::RULE,
    &host_network::RULE,
    &missing_pod_disruption_budget::RULE,
    &privilege_escalation_allowed::RULE,
    &probe_port_mismatch::RULE,
    &rbac_wildcard::RULE,
    &removed_api_version::RULE,
    &selector_mismatch::RULE,
    &sensitive_host_path::RULE,
    &unbounded_job::RULE,
    &unreasonable_probe::RULE,
    &writable_root_filesystem::RULE,
];
