//! Kestra flow rules (catalog §6).

use super::Rule;

mod ambiguous_timezone;
mod deprecated_syntax;
mod guessable_webhook_key;
mod invalid_flow;
mod non_idempotent_task;
mod secret_outside_store;
mod time;
mod unbounded_concurrency;
mod unbounded_retry;
mod unobserved_allow_failure;
mod unpinned_image;
mod zones;

pub(crate) static RULES: &[&Rule] = &[
    &ambiguous_timezone::RULE,
    &deprecated_syntax::RULE,
    &guessable_webhook_key::RULE,
    &invalid_flow::RULE,
    &non_idempotent_task::RULE,
    &secret_outside_store::RULE,
    &unbounded_concurrency::RULE,
    &unbounded_retry::RULE,
    &unobserved_allow_failure::RULE,
    &unpinned_image::RULE,
];
