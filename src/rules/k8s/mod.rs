//! Kubernetes rules.

mod capabilities_not_dropped;
mod externally_exposed_service;
mod hardcoded_secret;
mod missing_liveness_probe;
mod missing_network_policy;
mod missing_readiness_probe;
mod missing_resource_limits;
mod missing_resource_requests;
mod missing_run_as_non_root;
mod patch;
mod plaintext_secret_manifest;
mod privileged_container;
mod root_user;
mod unpinned_image;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &capabilities_not_dropped::RULE,
    &externally_exposed_service::RULE,
    &hardcoded_secret::RULE,
    &missing_liveness_probe::RULE,
    &missing_network_policy::RULE,
    &missing_readiness_probe::RULE,
    &missing_resource_limits::RULE,
    &missing_resource_requests::RULE,
    &missing_run_as_non_root::RULE,
    &plaintext_secret_manifest::RULE,
    &privileged_container::RULE,
    &root_user::RULE,
    &unpinned_image::RULE,
];
