//! Writable bind mounts of host directories that control the host.
use super::values::compose_bool;
use crate::formats::compose::Project;
use crate::formats::compose::{MountKind, is_same_or_parent};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/sensitive-host-mount",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/sensitive-host-mount.md"),
    check: Check::Compose(check),
};

/// Host directories where the directory and everything under it is sensitive: kernel
/// interfaces, boot files, root's home, the state of the container engine and the kubelet.
const TREES: &[&str] = &[
    "/proc",
    "/sys",
    "/boot",
    "/root",
    "/var/lib/docker",
    "/var/lib/kubelet",
];

/// Host directories that are sensitive as a whole, and the entries below them that are.
/// Applications keep their own configuration and state under `/etc` and `/run` (`/etc/nginx`,
/// `/run/app`); the entries listed are those that give control over the host.
const DIRS: &[(&str, &[&str])] = &[
    ("/", &[]),
    (
        "/etc",
        &[
            "passwd",
            "shadow",
            "group",
            "gshadow",
            "sudoers",
            "sudoers.d",
            "crontab",
            "cron.d",
            "cron.hourly",
            "cron.daily",
            "cron.weekly",
            "cron.monthly",
            "systemd",
            "init.d",
            "ssh",
            "pam.d",
            "profile.d",
            "ld.so.preload",
            "docker",
            "containerd",
            "kubernetes",
        ],
    ),
    ("/dev", &[]),
    ("/run", &["dbus", "systemd", "docker", "containerd"]),
    ("/var/run", &["dbus", "systemd", "docker", "containerd"]),
];

/// Container engine sockets: `compose/docker-socket-mount` reports those.
const SOCKETS: &[&str] = &["docker.sock", "podman.sock", "containerd.sock", "crio.sock"];

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for service in compose.services() {
        for mount in service.mounts(project.env) {
            // Compose also reads a quoted `read_only: "true"` as a boolean.
            let read_only = mount.read_only
                || mount
                    .node
                    .get("read_only")
                    .and_then(|n| compose_bool(n, project.env))
                    == Some(true);
            if mount.kind != MountKind::Bind || read_only {
                continue;
            }
            let Some(source) = mount.source.as_deref() else {
                continue;
            };
            let Some(path) = sensitive(source) else {
                continue;
            };
            cx.report(
                mount.span(),
                format!(
                    "service `{}` mounts the host's `{path}` writable",
                    service.name
                ),
            )
            .help("mount it read-only (`:ro` or `read_only: true`), or mount only the file or directory the service needs");
        }
    }
}

/// The normalized host path when it is sensitive.
fn sensitive(source: &str) -> Option<String> {
    let path = normalize(source)?;
    if SOCKETS.iter().any(|s| path.ends_with(s)) {
        return None;
    }
    let hit = TREES.iter().any(|t| is_same_or_parent(t, &path))
        || DIRS.iter().any(|(dir, children)| {
            path == *dir
                || children.iter().any(|c| {
                    let child = format!("{}/{c}", dir.trim_end_matches('/'));
                    is_same_or_parent(&child, &path)
                })
        });
    hit.then_some(path)
}

/// An absolute host path without `//`, `/./` and trailing slashes; `None` for relative,
/// home-relative and unresolved sources.
fn normalize(source: &str) -> Option<String> {
    if !source.starts_with('/') || source.contains('$') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_paths() {
        for path in [
            "/",
            "//",
            "/etc/",
            "/etc/shadow",
            "/etc/cron.d",
            "/proc",
            "/proc/sys/kernel",
            "/sys/fs/cgroup",
            "/var/lib/docker/volumes",
            "/root/.ssh",
            "/run",
            "/var/run/dbus/system_bus_socket",
            "/dev",
            "/srv/../etc",
        ] {
            assert!(sensitive(path).is_some(), "{path}");
        }
        for path in [
            "/etc/localtime",
            "/etc/timezone",
            "/etc/nginx/conf.d",
            "/etc/letsencrypt",
            "/dev/net/tun",
            "/run/app",
            "/var/run/docker.sock",
            "/run/containerd/containerd.sock",
            "/srv/data",
            "./etc",
            "~/proc",
            "${ROOT}/etc",
            "/etcetera",
        ] {
            assert!(sensitive(path).is_none(), "{path}");
        }
    }
}
