//! A service's mounts: `volumes` in the short (`src:dst[:ro]`) and long (`type`, `source`,
//! `target`, `read_only`) syntax, and the service-level `tmpfs`, in one shape.

use super::vars::Env;
use crate::formats::yaml::Node;
use crate::source::Span;

/// What backs a mount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountKind {
    /// A named volume (`data:/var/lib/x`) or, without a source, an anonymous one (`/var/lib/x`).
    Volume,
    /// A host path (`./data:/x`, `/srv/x:/x`, `~/x:/x`).
    Bind,
    Tmpfs,
    /// `npipe`, `cluster`, `image` and types not known yet.
    Other(String),
}

/// One mount of a service.
#[derive(Clone, Debug, PartialEq)]
pub struct Mount<'a> {
    /// The entry as written.
    pub node: &'a Node,
    pub kind: MountKind,
    /// The volume name or host path, interpolated; `None` for anonymous volumes and tmpfs.
    pub source: Option<String>,
    /// The path in the container, interpolated.
    pub target: Option<String>,
    pub read_only: bool,
    /// Written in the long syntax (or under `tmpfs:`).
    pub long: bool,
}

impl Mount<'_> {
    pub fn span(&self) -> Span {
        self.node.span
    }

    /// A volume without a name: Docker creates a new one with a random name.
    pub fn is_anonymous(&self) -> bool {
        self.kind == MountKind::Volume && self.source.is_none()
    }

    /// Whether the mount covers `path`: its target is `path` or a parent directory of it.
    pub fn covers(&self, path: &str) -> bool {
        self.target
            .as_deref()
            .is_some_and(|t| is_same_or_parent(t, path))
    }
}

/// Whether `parent` is `path` or one of its ancestors (trailing slashes ignored).
pub fn is_same_or_parent(parent: &str, path: &str) -> bool {
    let parent = parent.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    if parent.is_empty() {
        return path.starts_with('/') || path.is_empty();
    }
    path == parent
        || path
            .strip_prefix(parent)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The mounts of a service mapping: `volumes` entries, then `tmpfs` paths.
pub fn mounts<'a>(service: &'a Node, env: &Env) -> Vec<Mount<'a>> {
    let mut out: Vec<Mount<'a>> = service
        .get("volumes")
        .map(|v| v.items().filter_map(|n| mount(n, env)).collect())
        .unwrap_or_default();
    if let Some(tmpfs) = service.get("tmpfs") {
        let items: Vec<&Node> = if tmpfs.as_seq().is_some() {
            tmpfs.items().collect()
        } else {
            vec![tmpfs]
        };
        for node in items {
            let Some(text) = node.as_str() else { continue };
            // `/run:size=64m` or `/run` ; options after the first `:`.
            let path = env.interpolate(text);
            let path = path.split(':').next().unwrap_or("").trim().to_string();
            out.push(Mount {
                node,
                kind: MountKind::Tmpfs,
                source: None,
                target: Some(path),
                read_only: false,
                long: true,
            });
        }
    }
    out
}

fn mount<'a>(node: &'a Node, env: &Env) -> Option<Mount<'a>> {
    if node.as_map().is_some() {
        let text = |k: &str| {
            node.get(k)
                .and_then(Node::as_str)
                .map(|s| env.interpolate(s).trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let kind = match text("type").as_deref() {
            None | Some("volume") => MountKind::Volume,
            Some("bind") => MountKind::Bind,
            Some("tmpfs") => MountKind::Tmpfs,
            Some(other) => MountKind::Other(other.to_string()),
        };
        let source = match kind {
            MountKind::Tmpfs => None,
            _ => text("source"),
        };
        return Some(Mount {
            node,
            kind,
            source,
            target: text("target"),
            read_only: node.get("read_only").and_then(Node::as_bool) == Some(true),
            long: true,
        });
    }
    let raw = node.as_str()?;
    let written = env.interpolate(raw);
    let parts = split_short(written.trim());
    let (source, target, mode) = match parts.as_slice() {
        [target] => (None, *target, ""),
        [source, target] => (Some(*source), *target, ""),
        [source, target, mode, ..] => (Some(*source), *target, *mode),
        [] => return None,
    };
    let source = source.filter(|s| !s.is_empty());
    let kind = match source {
        Some(s) if is_host_path(s) => MountKind::Bind,
        _ => MountKind::Volume,
    };
    Some(Mount {
        node,
        kind,
        source: source.map(str::to_string),
        target: Some(target.to_string()),
        read_only: mode.split(',').any(|m| m == "ro"),
        long: false,
    })
}

/// Split `src:dst:mode` at its colons, keeping a Windows drive letter (`C:\x`) in the source.
fn split_short(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let drive = matches!(
        bytes,
        [letter, b':', b'\\' | b'/', ..] if letter.is_ascii_alphabetic()
    ) && text.matches(':').count() > 1;
    if drive {
        let Some(rest) = text.get(2..) else {
            return vec![text];
        };
        let Some(colon) = rest.find(':') else {
            return vec![text];
        };
        let source = text.get(..2 + colon).unwrap_or(text);
        let mut out = vec![source];
        out.extend(rest.get(colon + 1..).unwrap_or("").split(':'));
        return out;
    }
    text.split(':').collect()
}

/// Compose reads a short-syntax source as a host path when it is absolute or starts with `.`
/// or `~` (or is a Windows path); anything else names a volume.
fn is_host_path(source: &str) -> bool {
    source.starts_with(['/', '.', '~', '\\', '$'])
        || matches!(source.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml;

    fn all(text: &str) -> Vec<(MountKind, Option<String>, Option<String>, bool)> {
        let stream = yaml::parse(text);
        let root = stream.documents[0].root.clone().unwrap();
        let env = Env::from_dotenv("DATA=./pgdata\n");
        mounts(&root, &env)
            .into_iter()
            .map(|m| (m.kind, m.source, m.target, m.read_only))
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn short_syntax() {
        let got = all(
            "volumes:\n  - db:/var/lib/postgresql/data\n  - ./conf:/etc/app:ro\n  - /var/lib/mysql\n  - ${DATA}:/data:rw,z\n  - ~/x:/x\n  - 'C:\\data:/data:ro'\ntmpfs: /run:size=64m\n",
        );
        assert_eq!(
            got,
            vec![
                (
                    MountKind::Volume,
                    s("db"),
                    s("/var/lib/postgresql/data"),
                    false
                ),
                (MountKind::Bind, s("./conf"), s("/etc/app"), true),
                (MountKind::Volume, None, s("/var/lib/mysql"), false),
                (MountKind::Bind, s("./pgdata"), s("/data"), false),
                (MountKind::Bind, s("~/x"), s("/x"), false),
                (MountKind::Bind, s("C:\\data"), s("/data"), true),
                (MountKind::Tmpfs, None, s("/run"), false),
            ]
        );
    }

    #[test]
    fn long_syntax() {
        let got = all(
            "volumes:\n  - type: bind\n    source: /var/run/docker.sock\n    target: /var/run/docker.sock\n    read_only: true\n  - type: volume\n    target: /data\n  - type: tmpfs\n    target: /cache\n",
        );
        assert_eq!(
            got,
            vec![
                (
                    MountKind::Bind,
                    s("/var/run/docker.sock"),
                    s("/var/run/docker.sock"),
                    true
                ),
                (MountKind::Volume, None, s("/data"), false),
                (MountKind::Tmpfs, None, s("/cache"), false),
            ]
        );
    }

    #[test]
    fn parents() {
        assert!(is_same_or_parent(
            "/var/lib/postgresql",
            "/var/lib/postgresql/data"
        ));
        assert!(is_same_or_parent("/data/", "/data"));
        assert!(!is_same_or_parent(
            "/var/lib/post",
            "/var/lib/postgresql/data"
        ));
        assert!(!is_same_or_parent(
            "/var/lib/postgresql/data/pg",
            "/var/lib/postgresql/data"
        ));
    }
}
