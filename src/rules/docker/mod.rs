//! Dockerfile rules.

mod context;
mod dependencies_after_source;
mod hardcoded_secret;
mod incomplete_dockerignore;
mod missing_dockerignore;
mod no_multi_stage_build;
mod secret_build_arg;
mod secret_file_copied;
mod shell;
mod unverified_remote_code;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &dependencies_after_source::RULE,
    &hardcoded_secret::RULE,
    &incomplete_dockerignore::RULE,
    &missing_dockerignore::RULE,
    &no_multi_stage_build::RULE,
    &secret_build_arg::RULE,
    &secret_file_copied::RULE,
    &unverified_remote_code::RULE,
];
