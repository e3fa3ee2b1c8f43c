//! Docker Compose rules.

mod capabilities_not_dropped;
mod datastore_port_exposed;
mod docker_socket_mount;
mod flat_network;
mod hardcoded_secret;
mod inline_environment_config;
mod missing_healthcheck;
mod missing_log_rotation;
mod missing_resource_limits;
mod missing_restart_policy;
mod port_exposed_all_interfaces;
mod privileged_container;
mod unnamed_data_volume;
mod unpinned_image;
mod unreasonable_healthcheck;
pub(crate) mod view;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &capabilities_not_dropped::RULE,
    &datastore_port_exposed::RULE,
    &docker_socket_mount::RULE,
    &flat_network::RULE,
    &hardcoded_secret::RULE,
    &inline_environment_config::RULE,
    &missing_healthcheck::RULE,
    &missing_log_rotation::RULE,
    &missing_resource_limits::RULE,
    &missing_restart_policy::RULE,
    &port_exposed_all_interfaces::RULE,
    &privileged_container::RULE,
    &unnamed_data_volume::RULE,
    &unpinned_image::RULE,
    &unreasonable_healthcheck::RULE,
];
