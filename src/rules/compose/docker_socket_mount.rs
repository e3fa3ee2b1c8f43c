//! Container runtime sockets mounted into a service.
use super::view::image;
use crate::formats::compose::Project;
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "compose/docker-socket-mount",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/docker-socket-mount.md"),
    check: Check::Compose(check),
};

const SOCKETS: [&str; 4] = ["docker.sock", "podman.sock", "containerd.sock", "crio.sock"];

/// Socket proxies: images whose job is to hold the socket and pass on only the API calls an
/// allow-list permits. Matched on the whole repository, whatever the registry that mirrors it.
const PROXIES: &[&str] = &[
    "tecnativa/docker-socket-proxy",
    "linuxserver/socket-proxy",
    "wollomatic/socket-proxy",
];

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for view in &project.services {
        let proxy = image(&view.merged, project.env).filter(|i| is_proxy(i));
        for mount in view.service.mounts(project.env) {
            let socket = [mount.source.as_deref(), mount.target.as_deref()]
                .into_iter()
                .flatten()
                .find(|p| is_socket(p));
            let Some(socket) = socket else {
                continue;
            };
            if let Some(proxy) = &proxy {
                let finding = cx
                    .report(
                        mount.span(),
                        format!(
                            "socket proxy `{}` mounts the container runtime socket `{socket}`; its clients get only the API calls it allows, but the proxy itself holds the whole API",
                            view.name()
                        ),
                    )
                    .help(format!(
                        "allow only the API sections the clients need, keep `{proxy}` on an internal network without published ports, and suppress with a reason"
                    ));
                finding.severity = Severity::Warning;
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

/// Whether an image reference names one of the known socket proxies, by its repository path
/// (`tecnativa/docker-socket-proxy`, also behind `ghcr.io/` or `lscr.io/`).
fn is_proxy(reference: &str) -> bool {
    let image = ImageRef::parse(reference);
    !image.is_unresolved() && PROXIES.iter().any(|p| image.path.eq_ignore_ascii_case(p))
}

fn is_socket(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    SOCKETS.iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_by_repository() {
        assert!(is_proxy("tecnativa/docker-socket-proxy:0.3.0"));
        assert!(is_proxy("ghcr.io/tecnativa/docker-socket-proxy:v0.3"));
        assert!(is_proxy("lscr.io/linuxserver/socket-proxy:latest"));
        assert!(is_proxy("wollomatic/socket-proxy:1.10.0@sha256:00"));
        assert!(!is_proxy("example/docker-socket-proxy:1.0"));
        assert!(!is_proxy("socket-proxy"));
        assert!(!is_proxy("traefik:v3.2"));
        assert!(!is_proxy("${PROXY_IMAGE}"));
    }
}
