//! Dockerfile rules.

mod dependencies_after_source;
mod hardcoded_secret;
mod heavy_base_image;
mod incomplete_dockerignore;
pub(crate) mod ineffective_healthcheck;
mod invalid_stage_reference;
mod missing_dockerignore;
mod missing_healthcheck;
mod missing_user;
mod no_multi_stage_build;
mod root_user;
mod secret_build_arg;
mod secret_file_copied;
mod shell_form_entrypoint;
mod support;
mod unpinned_base_image;
pub(crate) mod unreasonable_healthcheck;
mod untrusted_registry;
mod unverified_remote_code;

// The rule files reach these helpers as neighbours (`use super::<helper>`).
use support::shell;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &dependencies_after_source::RULE,
    &hardcoded_secret::RULE,
    &heavy_base_image::RULE,
    &incomplete_dockerignore::RULE,
    &ineffective_healthcheck::RULE,
    &invalid_stage_reference::RULE,
    &missing_dockerignore::RULE,
    &missing_healthcheck::RULE,
    &missing_user::RULE,
    &no_multi_stage_build::RULE,
    &root_user::RULE,
    &secret_build_arg::RULE,
    &secret_file_copied::RULE,
    &shell_form_entrypoint::RULE,
    &unpinned_base_image::RULE,
    &unreasonable_healthcheck::RULE,
    &untrusted_registry::RULE,
    &unverified_remote_code::RULE,
];
