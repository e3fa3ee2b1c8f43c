//! Docker Compose rules.

mod dangerous_capability;
mod host_namespace;
mod host_network;
mod missing_no_new_privileges;
mod oom_kill_disabled;
mod port_conflict;
mod security_opt;
mod sensitive_host_mount;
mod unconfined_security_profile;
mod unused_healthcheck;
mod values;
// TODO(#2): used by the rules that land next; remove the allowance then.
#[allow(dead_code)]
pub(crate) mod view;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &dangerous_capability::RULE,
    &host_namespace::RULE,
    &host_network::RULE,
    &missing_no_new_privileges::RULE,
    &oom_kill_disabled::RULE,
    &port_conflict::RULE,
    &sensitive_host_mount::RULE,
    &unconfined_security_profile::RULE,
    &unused_healthcheck::RULE,
];
