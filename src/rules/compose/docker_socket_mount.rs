//! Container runtime sockets mounted into a service.
use super::view::{Seen, project};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/docker-socket-mount",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/docker-socket-mount.md"),
    check: Check::Compose(check),
};

const SOCKETS: [&str; 4] = ["docker.sock", "podman.sock", "containerd.sock", "crio.sock"];

fn check(file: &ComposeFile, cx: &mut Ctx) {
    let ComposeFile::Yaml(compose) = file else {
        return;
    };
    let project = project(compose, cx);
    let mut seen = Seen::default();
    for view in &project.services {
        for mount in view.service.mounts(&project.env) {
            let socket = [mount.source.as_deref(), mount.target.as_deref()]
                .into_iter()
                .flatten()
                .find(|p| is_socket(p));
            let Some(socket) = socket else {
                continue;
            };
            if !seen.first(mount.span()) {
                continue;
            }
            let read_only = if mount.read_only {
                " (read-only does not limit what the API allows)"
            } else {
                ""
            };
            cx.report(
                mount.span(),
                format!(
                    "service `{}` mounts the container runtime socket `{socket}`{read_only}",
                    view.name()
                ),
            )
            .help("put a socket proxy that allows only the needed API calls in front of it, or suppress with a reason");
        }
    }
}

fn is_socket(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    SOCKETS.iter().any(|s| name.ends_with(s))
}
