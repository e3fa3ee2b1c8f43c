//! Dockerfile rules.

mod heavy_base_image;
mod ineffective_healthcheck;
mod invalid_stage_reference;
mod missing_healthcheck;
mod missing_user;
mod root_user;
mod shell_form_entrypoint;
mod unpinned_base_image;
mod unreasonable_healthcheck;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &heavy_base_image::RULE,
    &ineffective_healthcheck::RULE,
    &invalid_stage_reference::RULE,
    &missing_healthcheck::RULE,
    &missing_user::RULE,
    &root_user::RULE,
    &shell_form_entrypoint::RULE,
    &unpinned_base_image::RULE,
    &unreasonable_healthcheck::RULE,
];
