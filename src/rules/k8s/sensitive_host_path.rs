//! `hostPath` volumes that expose the container runtime or the node's system directories.
use super::names;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/sensitive-host-path",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/sensitive-host-path.md"),
    check: Check::K8s(check),
};

/// Container-runtime API sockets: whoever can write to one controls every container of the node.
const SOCKETS: &[&str] = &["docker.sock", "containerd.sock", "crio.sock", "podman.sock"];

/// Node directories that must not be writable from a pod.
const SYSTEM_DIRS: &[&str] = &[
    "/",
    "/etc",
    "/root",
    "/boot",
    "/dev",
    "/proc",
    "/sys",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/run",
    "/var/run",
];

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        let object = names::object(workload.object);
        let containers = workload.containers();
        for volume in workload
            .pod
            .get("volumes")
            .into_iter()
            .flat_map(Node::items)
        {
            let Some(path_node) = volume.path(&["hostPath", "path"]) else {
                continue;
            };
            let Some(volume_name) = volume.get("name").and_then(Node::as_str) else {
                continue;
            };
            let path = normalize(path_node.as_str().unwrap_or(""));
            let file = path.rsplit('/').next().unwrap_or("");
            if SOCKETS.contains(&file) {
                let proxied = is_proxied(&containers, volume_name);
                let finding = cx.report(
                    path_node.span,
                    format!(
                        "volume `{volume_name}` of {object} mounts the container runtime socket `{path}` from the node"
                    ),
                )
                .help("do not give pods the runtime socket; build images with a daemonless builder and read node state through the Kubernetes API");
                if proxied {
                    finding.severity = Severity::Warning;
                }
                continue;
            }
            if !SYSTEM_DIRS.contains(&path.as_str()) {
                continue;
            }
            let writers: Vec<String> = containers
                .iter()
                .filter(|c| mounts_writable(c, volume_name))
                .map(Container::label)
                .collect();
            if writers.is_empty() {
                continue;
            }
            cx.report(
                path_node.span,
                format!(
                    "host directory `{path}` is mounted writable in {} of {object}",
                    writers.join(", ")
                ),
            )
            .help("mount it with `readOnly: true`, or mount only the file or subdirectory the container needs");
        }
    }
}

/// Images of socket proxies: they expose a filtered subset of the runtime API to the other
/// containers instead of the socket itself.
const SOCKET_PROXIES: &[&str] = &["socket-proxy", "docker-proxy", "dockerproxy"];

/// Whether the only containers that mount the socket volume are socket proxies, mounting it
/// read-only: the risk is then what the proxy lets through, not the whole runtime API.
fn is_proxied(containers: &[Container], volume: &str) -> bool {
    let mounting: Vec<&Container> = containers
        .iter()
        .filter(|c| {
            c.node
                .get("volumeMounts")
                .into_iter()
                .flat_map(Node::items)
                .any(|m| m.get("name").and_then(Node::as_str) == Some(volume))
        })
        .collect();
    !mounting.is_empty()
        && mounting.iter().all(|c| {
            // The image's name: its last path component, without tag or digest.
            let image = c.image().and_then(Node::as_str).unwrap_or("");
            let last = image.rsplit('/').next().unwrap_or(image);
            let name = last
                .split(['@', ':'])
                .next()
                .unwrap_or(last)
                .to_ascii_lowercase();
            SOCKET_PROXIES.iter().any(|p| name.contains(p)) && !mounts_writable(c, volume)
        })
}

/// Whether the container mounts the volume without `readOnly: true`.
fn mounts_writable(container: &Container, volume: &str) -> bool {
    container
        .node
        .get("volumeMounts")
        .into_iter()
        .flat_map(Node::items)
        .filter(|m| m.get("name").and_then(Node::as_str) == Some(volume))
        .any(|m| m.get("readOnly").and_then(Node::as_bool) != Some(true))
}

/// `//etc/` → `/etc`: repeated and trailing slashes and `.` segments do not change the
/// directory the kubelet mounts.
fn normalize(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if path.starts_with('/') {
        format!("/{}", parts.join("/"))
    } else {
        parts.join("/")
    }
}
