//! Docker Compose rules.

mod capabilities_not_dropped;
mod dangerous_capability;
mod datastore_port_exposed;
mod docker_socket_mount;
mod flat_network;
mod hardcoded_secret;
mod host_namespace;
mod host_network;
mod inline_environment_config;
mod missing_healthcheck;
mod missing_log_rotation;
mod missing_no_new_privileges;
mod missing_resource_limits;
mod missing_restart_policy;
mod oom_kill_disabled;
mod port_conflict;
mod port_exposed_all_interfaces;
mod privileged_container;
mod sensitive_host_mount;
mod support;
mod unconfined_security_profile;
mod unnamed_data_volume;
mod unpinned_image;
mod unreasonable_healthcheck;
mod unused_healthcheck;

// The rule files reach these helpers as neighbours (`use super::<helper>`).
use support::{security_opt, values, view};

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &capabilities_not_dropped::RULE,
    &dangerous_capability::RULE,
    &datastore_port_exposed::RULE,
    &docker_socket_mount::RULE,
    &flat_network::RULE,
    &hardcoded_secret::RULE,
    &host_namespace::RULE,
    &host_network::RULE,
    &inline_environment_config::RULE,
    &missing_healthcheck::RULE,
    &missing_log_rotation::RULE,
    &missing_no_new_privileges::RULE,
    &missing_resource_limits::RULE,
    &missing_restart_policy::RULE,
    &oom_kill_disabled::RULE,
    &port_conflict::RULE,
    &port_exposed_all_interfaces::RULE,
    &privileged_container::RULE,
    &sensitive_host_mount::RULE,
    &unconfined_security_profile::RULE,
    &unnamed_data_volume::RULE,
    &unpinned_image::RULE,
    &unreasonable_healthcheck::RULE,
    &unused_healthcheck::RULE,
];
