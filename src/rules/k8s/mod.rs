//! Kubernetes rules.

mod capabilities_not_dropped;
mod dangerous_capability;
mod externally_exposed_service;
mod hardcoded_secret;
mod host_namespace;
mod host_network;
mod missing_liveness_probe;
mod missing_network_policy;
mod missing_pod_disruption_budget;
mod missing_readiness_probe;
mod missing_resource_limits;
mod missing_resource_requests;
mod missing_run_as_non_root;
mod plaintext_secret_manifest;
mod privilege_escalation_allowed;
mod privileged_container;
mod probe_port_mismatch;
mod rbac_wildcard;
mod removed_api_version;
mod root_user;
mod selector_mismatch;
mod sensitive_host_path;
mod support;
mod unbounded_job;
mod unpinned_image;
mod unreasonable_probe;
mod writable_root_filesystem;

// The rule files reach these helpers as neighbours (`use super::<helper>`).
use support::names;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &capabilities_not_dropped::RULE,
    &dangerous_capability::RULE,
    &externally_exposed_service::RULE,
    &hardcoded_secret::RULE,
    &host_namespace::RULE,
    &host_network::RULE,
    &missing_liveness_probe::RULE,
    &missing_network_policy::RULE,
    &missing_pod_disruption_budget::RULE,
    &missing_readiness_probe::RULE,
    &missing_resource_limits::RULE,
    &missing_resource_requests::RULE,
    &missing_run_as_non_root::RULE,
    &plaintext_secret_manifest::RULE,
    &privilege_escalation_allowed::RULE,
    &privileged_container::RULE,
    &probe_port_mismatch::RULE,
    &rbac_wildcard::RULE,
    &removed_api_version::RULE,
    &root_user::RULE,
    &selector_mismatch::RULE,
    &sensitive_host_path::RULE,
    &unbounded_job::RULE,
    &unpinned_image::RULE,
    &unreasonable_probe::RULE,
    &writable_root_filesystem::RULE,
];
