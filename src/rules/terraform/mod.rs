//! Terraform rules. Each reads a whole module.

mod hardcoded_secret;
mod local_state;
mod missing_variable_validation;
mod open_ingress;
mod state_file_committed;
mod undocumented_output;
mod undocumented_variable;
mod unlocked_state;
mod unpinned_module;
mod unsafe_variable_default;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &hardcoded_secret::RULE,
    &local_state::RULE,
    &missing_variable_validation::RULE,
    &open_ingress::RULE,
    &state_file_committed::RULE,
    &undocumented_output::RULE,
    &undocumented_variable::RULE,
    &unlocked_state::RULE,
    &unpinned_module::RULE,
    &unsafe_variable_default::RULE,
];
