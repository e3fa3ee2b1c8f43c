//! systemd unit rules (catalog §7).

mod exec_argv;
mod fragile_timer;
mod hardcoded_secret;
mod high_exposure;
mod missing_oom_policy;
mod missing_resource_limits;
mod missing_restart;
mod root_service;
mod timer_without_unit;
mod unbounded_rclone_cache;
mod unpinned_image;
mod unprotected_filesystem;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &fragile_timer::RULE,
    &hardcoded_secret::RULE,
    &high_exposure::RULE,
    &missing_oom_policy::RULE,
    &missing_resource_limits::RULE,
    &missing_restart::RULE,
    &root_service::RULE,
    &timer_without_unit::RULE,
    &unbounded_rclone_cache::RULE,
    &unpinned_image::RULE,
    &unprotected_filesystem::RULE,
];
