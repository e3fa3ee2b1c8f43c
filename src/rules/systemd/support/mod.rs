//! What the systemd rules share: `Exec*` command lines, the identity and capabilities a
//! service runs with, and the sandboxing a system task cannot take. These files hold no rule.

pub(crate) mod exec_argv;
pub(crate) mod privilege;
pub(crate) mod system_task;
