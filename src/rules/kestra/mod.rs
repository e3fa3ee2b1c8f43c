//! Kestra flow rules (catalog §6).

mod hardcoded_secret;
mod implicit_backfill;
mod missing_error_handler;
mod missing_labels;
mod missing_retry;
mod missing_schedule_timezone;
mod missing_timeout;
mod secret_in_logs;
mod undocumented_trigger;
mod weak_namespace;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &hardcoded_secret::RULE,
    &implicit_backfill::RULE,
    &missing_error_handler::RULE,
    &missing_labels::RULE,
    &missing_retry::RULE,
    &missing_schedule_timezone::RULE,
    &missing_timeout::RULE,
    &secret_in_logs::RULE,
    &undocumented_trigger::RULE,
    &weak_namespace::RULE,
];
