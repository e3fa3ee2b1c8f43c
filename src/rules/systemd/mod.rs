//! systemd unit rules (catalog §7).

mod hardcoded_secret;
mod missing_restart;
mod root_service;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &hardcoded_secret::RULE,
    &missing_restart::RULE,
    &root_service::RULE,
];
