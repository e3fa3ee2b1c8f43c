//! What the systemd rules share: the identity and capabilities a service runs with, and the
//! sandboxing a system task cannot take. These files hold no rule. `Exec*=` command lines are
//! read by `formats::shell` in its systemd dialect.

pub(crate) mod privilege;
pub(crate) mod system_task;
