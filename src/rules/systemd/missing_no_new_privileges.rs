//! Services that may gain privileges through setuid binaries or file capabilities.
use super::privilege::{runs_as, service_owner};
use super::system_task::is_system_task;
use crate::formats::shell::{self, Dialect};
use crate::formats::systemd::parse_bool;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/missing-no-new-privileges",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/systemd/missing-no-new-privileges.md"),
    check: Check::Systemd(check),
};

const HELP: &str = "add `NoNewPrivileges=yes`";

/// Boolean settings that install a seccomp filter, which makes systemd turn on
/// `NoNewPrivileges=` for a service without `CAP_SYS_ADMIN`.
const SECCOMP_FLAGS: [&str; 10] = [
    "LockPersonality",
    "MemoryDenyWriteExecute",
    "PrivateDevices",
    "ProtectClock",
    "ProtectHostname",
    "ProtectKernelLogs",
    "ProtectKernelModules",
    "ProtectKernelTunables",
    "RestrictRealtime",
    "RestrictSUIDSGID",
];

/// List settings that install a seccomp filter when they hold anything.
const SECCOMP_LISTS: [&str; 4] = [
    "RestrictAddressFamilies",
    "SystemCallArchitectures",
    "SystemCallFilter",
    "SystemCallLog",
];

fn check(unit: &Unit, cx: &mut Ctx) {
    if unit.kind != UnitKind::Service || is_system_task(unit) {
        return;
    }
    let setting = unit
        .get("Service", "NoNewPrivileges")
        .map(|e| (e, e.as_bool()));
    if let Some((entry, Some(true))) = setting {
        cx.pass(entry.span, "`NoNewPrivileges=yes` is set");
        return;
    }
    if let Some(cause) = implied_by(unit) {
        if let Some(entry) = unit.get("Service", &cause) {
            cx.pass(
                entry.span,
                format!(
                    "no new privileges: implied by `{cause}={}`",
                    entry.value.trim()
                ),
            );
        }
        return;
    }
    // A non-root FUSE mount needs the setuid `fusermount` helper, which the flag disables.
    if runs_as(unit).unprivileged() && mounts_fuse(unit) {
        return;
    }
    match setting {
        Some((entry, Some(false))) => {
            cx.report(
                entry.span,
                "`NoNewPrivileges=no` lets the service gain privileges through setuid binaries and file capabilities",
            )
            .help(HELP);
        }
        _ if unit.partial => {}
        _ => {
            if let Some(owner) = service_owner(unit) {
                cx.report(
                    owner,
                    "the service can gain privileges through setuid binaries and file capabilities: no `NoNewPrivileges=yes`",
                )
                .help(HELP);
            }
        }
    }
}

/// The setting that makes systemd turn `NoNewPrivileges=` on by itself: `DynamicUser=yes`
/// always; a seccomp-based sandboxing setting when the service runs without `CAP_SYS_ADMIN`.
fn implied_by(unit: &Unit) -> Option<String> {
    if unit.dynamic_user() {
        return Some("DynamicUser".to_string());
    }
    if !runs_as(unit).unprivileged() {
        return None;
    }
    let flag = SECCOMP_FLAGS.into_iter().find(|key| {
        unit.get("Service", key)
            .is_some_and(|e| parse_bool(&e.value) == Some(true))
    });
    if let Some(key) = flag {
        return Some(key.to_string());
    }
    if restricts_namespaces(unit) {
        return Some("RestrictNamespaces".to_string());
    }
    SECCOMP_LISTS
        .into_iter()
        .find(|key| !unit.list("Service", key).is_empty())
        .map(str::to_string)
}

/// `RestrictNamespaces=`: `yes` or a list of namespace types restricts; `no` or an empty
/// assignment lifts it.
fn restricts_namespaces(unit: &Unit) -> bool {
    let mut on = false;
    for entry in unit.all("Service", "RestrictNamespaces") {
        on = match parse_bool(&entry.value) {
            Some(b) => b,
            None => !entry.value.trim().is_empty(),
        };
    }
    on
}

/// FUSE file systems whose unprivileged mount goes through the setuid `fusermount`.
const FUSE_PROGRAMS: [&str; 7] = [
    "fusermount",
    "fusermount3",
    "sshfs",
    "s3fs",
    "gocryptfs",
    "encfs",
    "bindfs",
];

/// Whether an `Exec*=` line mounts a FUSE file system (`sshfs`, `rclone mount`, …).
fn mounts_fuse(unit: &Unit) -> bool {
    unit.exec_lines().any(|entry| {
        let commands = shell::read(&entry.value, Dialect::Systemd);
        commands.iter().any(|c| mounts_with(&c.words))
    })
}

/// Whether the words of one command run a FUSE mount.
fn mounts_with(words: &[shell::Word]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        let program = shell::basename(&w.text);
        FUSE_PROGRAMS.contains(&program)
            || (program == "rclone"
                && words
                    .iter()
                    .skip(i + 1)
                    .any(|a| matches!(a.text.as_str(), "mount" | "cmount" | "nfsmount")))
    })
}
