//! Terraform rules. Each reads a whole module.

mod hardcoded_secret;
mod iam_wildcard;
mod local_state;
mod missing_budget;
mod missing_variable_validation;
mod open_ingress;
mod public_data_store;
mod state_file_committed;
mod static_cloud_credentials;
mod support;
mod undocumented_output;
mod undocumented_variable;
mod unencrypted_state;
mod unencrypted_storage;
mod unlocked_state;
mod unmarked_sensitive;
mod unpinned_image;
mod unpinned_module;
mod unpinned_provider;
mod unsafe_variable_default;
mod untagged_resources;

// The rule files reach these helpers as neighbours (`use super::<helper>`).
use support::{described, once, policy};

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &hardcoded_secret::RULE,
    &iam_wildcard::RULE,
    &local_state::RULE,
    &missing_budget::RULE,
    &missing_variable_validation::RULE,
    &open_ingress::RULE,
    &public_data_store::RULE,
    &state_file_committed::RULE,
    &static_cloud_credentials::RULE,
    &undocumented_output::RULE,
    &undocumented_variable::RULE,
    &unencrypted_state::RULE,
    &unencrypted_storage::RULE,
    &unlocked_state::RULE,
    &unmarked_sensitive::RULE,
    &unpinned_image::RULE,
    &unpinned_module::RULE,
    &unpinned_provider::RULE,
    &unsafe_variable_default::RULE,
    &untagged_resources::RULE,
];
