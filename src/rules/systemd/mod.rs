//! systemd unit rules.

mod dangerous_ambient_capability;
mod fragile_timer;
mod hardcoded_secret;
mod high_exposure;
mod infinite_timeout;
mod missing_no_new_privileges;
mod missing_oom_policy;
mod missing_resource_limits;
mod missing_restart;
mod restart_loop;
mod root_service;
mod support;
mod timer_without_unit;
mod unbounded_rclone_cache;
mod unpinned_image;
mod unprotected_filesystem;
mod unrestricted_capabilities;

// The rule files reach these helpers as neighbours (`use super::<helper>`).
use support::{privilege, system_task};

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &dangerous_ambient_capability::RULE,
    &fragile_timer::RULE,
    &hardcoded_secret::RULE,
    &high_exposure::RULE,
    &infinite_timeout::RULE,
    &missing_no_new_privileges::RULE,
    &missing_oom_policy::RULE,
    &missing_resource_limits::RULE,
    &missing_restart::RULE,
    &restart_loop::RULE,
    &root_service::RULE,
    &timer_without_unit::RULE,
    &unbounded_rclone_cache::RULE,
    &unpinned_image::RULE,
    &unprotected_filesystem::RULE,
    &unrestricted_capabilities::RULE,
];
