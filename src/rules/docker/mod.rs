//! Dockerfile rules.

mod context;
mod dependencies_after_source;
mod incomplete_dockerignore;
mod missing_dockerignore;
mod no_multi_stage_build;
mod shell;
mod unverified_remote_code;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &dependencies_after_source::RULE,
    &incomplete_dockerignore::RULE,
    &missing_dockerignore::RULE,
    &no_multi_stage_build::RULE,
    &unverified_remote_code::RULE,
];
