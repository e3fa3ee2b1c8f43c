//! Kestra flow rules.

mod ambiguous_timezone;
mod deprecated_syntax;
mod guessable_webhook_key;
mod hardcoded_environment_config;
mod hardcoded_secret;
mod implicit_backfill;
mod invalid_flow;
mod missing_error_handler;
mod missing_labels;
mod missing_retry;
mod missing_schedule_timezone;
mod missing_timeout;
mod non_idempotent_task;
mod secret_in_logs;
mod secret_outside_store;
mod unbounded_concurrency;
mod unbounded_retry;
mod undocumented_trigger;
mod unobserved_allow_failure;
mod unpinned_image;
mod weak_namespace;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &ambiguous_timezone::RULE,
    &deprecated_syntax::RULE,
    &guessable_webhook_key::RULE,
    &hardcoded_environment_config::RULE,
    &hardcoded_secret::RULE,
    &implicit_backfill::RULE,
    &invalid_flow::RULE,
    &missing_error_handler::RULE,
    &missing_labels::RULE,
    &missing_retry::RULE,
    &missing_schedule_timezone::RULE,
    &missing_timeout::RULE,
    &non_idempotent_task::RULE,
    &secret_in_logs::RULE,
    &secret_outside_store::RULE,
    &unbounded_concurrency::RULE,
    &unbounded_retry::RULE,
    &undocumented_trigger::RULE,
    &unobserved_allow_failure::RULE,
    &unpinned_image::RULE,
    &weak_namespace::RULE,
];
