//! Dockerfile rules.

mod hardcoded_secret;
mod secret_build_arg;
mod secret_file_copied;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &hardcoded_secret::RULE,
    &secret_build_arg::RULE,
    &secret_file_copied::RULE,
];
