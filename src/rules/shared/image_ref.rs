//! Image references (catalog §1.5): `[registry[:port]/]path[:tag][@digest]`, parsed without
//! copying, with the pinning questions every `*/unpinned-image` rule asks.

/// A container image reference, borrowed from the text it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    /// The reference as given.
    pub raw: &'a str,
    /// The registry host (with its port), when the first path component names one.
    pub registry: Option<&'a str>,
    /// The repository path as written, without registry, tag and digest (`library/nginx`,
    /// `nginx`, `team/app`).
    pub path: &'a str,
    /// The text after the last `:` that follows the last `/`, before any digest.
    pub tag: Option<&'a str>,
    /// `<algorithm>:<hex>` after the `@`.
    pub digest: Option<&'a str>,
}

/// Docker Hub's registry name after normalization.
const DOCKER_HUB: &str = "docker.io";

impl<'a> ImageRef<'a> {
    pub(crate) fn parse(raw: &'a str) -> ImageRef<'a> {
        let (name_tag, digest) = match raw.split_once('@') {
            Some((before, after)) => (before, Some(after)),
            None => (raw, None),
        };
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag.get(last_slash..).and_then(|tail| tail.rfind(':')) {
            Some(colon) => {
                let at = last_slash + colon;
                (
                    name_tag.get(..at).unwrap_or(name_tag),
                    name_tag.get(at + 1..),
                )
            }
            None => (name_tag, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((first, rest)) if is_registry_host(first) => (Some(first), rest),
            _ => (None, name),
        };
        ImageRef {
            raw,
            registry,
            path,
            tag,
            digest,
        }
    }

    /// No tag and no digest, or the tag `latest` (any case) without a digest: the image can
    /// change under the same reference.
    pub(crate) fn is_unpinned(&self) -> bool {
        self.digest.is_none() && self.tag.is_none_or(|t| t.eq_ignore_ascii_case("latest"))
    }

    /// A digest fixes the content; a tag beside it is documentation only.
    pub(crate) fn is_digest_pinned(&self) -> bool {
        self.digest.is_some()
    }

    /// Still contains interpolation (`$VAR`, `${VAR}`, `{{ … }}`): nothing is known about it.
    pub(crate) fn is_unresolved(&self) -> bool {
        self.raw.contains('$') || self.raw.contains("{{")
    }

    /// Dockerfile's empty base image.
    pub(crate) fn is_scratch(&self) -> bool {
        self.raw.eq_ignore_ascii_case("scratch")
    }

    /// The registry as Docker resolves it: Docker Hub when none is written.
    pub(crate) fn registry_host(&self) -> &'a str {
        match self.registry {
            None | Some("index.docker.io" | "registry-1.docker.io") => DOCKER_HUB,
            Some(host) => host,
        }
    }

    /// The full repository name: `nginx` → `docker.io/library/nginx`, `user/app` →
    /// `docker.io/user/app`, `ghcr.io/org/app` unchanged.
    pub(crate) fn repository(&self) -> String {
        let host = self.registry_host();
        if host == DOCKER_HUB && !self.path.contains('/') {
            format!("{DOCKER_HUB}/library/{}", self.path)
        } else {
            format!("{host}/{}", self.path)
        }
    }

    /// The last path component: `nginx` for `docker.io/library/nginx:1.27`.
    pub(crate) fn name(&self) -> &'a str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }
}

/// The first component of a reference names a registry when it looks like a host: it has a
/// `.` (a domain) or a `:` (a port), or it is `localhost`.
fn is_registry_host(component: &str) -> bool {
    component.contains('.') || component.contains(':') || component == "localhost"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(raw: &str) -> (Option<&str>, &str, Option<&str>, Option<&str>) {
        let r = ImageRef::parse(raw);
        (r.registry, r.path, r.tag, r.digest)
    }

    #[test]
    fn splits_registry_path_tag_and_digest() {
        assert_eq!(parts("nginx"), (None, "nginx", None, None));
        assert_eq!(parts("nginx:1.27"), (None, "nginx", Some("1.27"), None));
        assert_eq!(
            parts("ghcr.io/org/app:v2"),
            (Some("ghcr.io"), "org/app", Some("v2"), None)
        );
        assert_eq!(
            parts("nginx:1.27@sha256:abc"),
            (None, "nginx", Some("1.27"), Some("sha256:abc"))
        );
        assert_eq!(
            parts("nginx@sha256:abc"),
            (None, "nginx", None, Some("sha256:abc"))
        );
    }

    #[test]
    fn a_port_is_not_a_tag() {
        assert_eq!(
            parts("localhost:5000/app"),
            (Some("localhost:5000"), "app", None, None)
        );
        assert_eq!(
            parts("registry.local:5000/team/app:1.0"),
            (Some("registry.local:5000"), "team/app", Some("1.0"), None)
        );
        assert!(ImageRef::parse("localhost:5000/app").is_unpinned());
    }

    #[test]
    fn registry_hosts_need_a_dot_a_port_or_localhost() {
        assert_eq!(
            parts("localhost/app"),
            (Some("localhost"), "app", None, None)
        );
        assert_eq!(parts("user/app"), (None, "user/app", None, None));
        assert_eq!(parts("a.b/c/d/e"), (Some("a.b"), "c/d/e", None, None));
    }

    #[test]
    fn pinning() {
        assert!(ImageRef::parse("nginx").is_unpinned());
        assert!(ImageRef::parse("nginx:latest").is_unpinned());
        assert!(ImageRef::parse("nginx:LATEST").is_unpinned());
        assert!(!ImageRef::parse("nginx:1.27").is_unpinned());
        assert!(!ImageRef::parse("nginx:latest@sha256:abc").is_unpinned());
        assert!(ImageRef::parse("nginx:latest@sha256:abc").is_digest_pinned());
        assert!(!ImageRef::parse("nginx:1.27").is_digest_pinned());
    }

    #[test]
    fn unresolved_and_scratch() {
        assert!(ImageRef::parse("$IMAGE").is_unresolved());
        assert!(ImageRef::parse("nginx:${TAG}").is_unresolved());
        assert!(ImageRef::parse("{{ inputs.image }}").is_unresolved());
        assert!(!ImageRef::parse("nginx").is_unresolved());
        assert!(ImageRef::parse("SCRATCH").is_scratch());
    }

    #[test]
    fn repository_is_normalized() {
        let repo = |raw| ImageRef::parse(raw).repository();
        assert_eq!(repo("nginx"), "docker.io/library/nginx");
        assert_eq!(repo("nginx:1.27@sha256:abc"), "docker.io/library/nginx");
        assert_eq!(repo("user/app"), "docker.io/user/app");
        assert_eq!(repo("docker.io/nginx"), "docker.io/library/nginx");
        assert_eq!(
            repo("index.docker.io/library/nginx"),
            "docker.io/library/nginx"
        );
        assert_eq!(repo("ghcr.io/org/app:v1"), "ghcr.io/org/app");
        assert_eq!(repo("localhost:5000/app"), "localhost:5000/app");
    }

    #[test]
    fn name_is_the_last_component() {
        assert_eq!(ImageRef::parse("nginx:1.27").name(), "nginx");
        assert_eq!(ImageRef::parse("ghcr.io/org/team/app:1").name(), "app");
        assert_eq!(ImageRef::parse("").name(), "");
    }
}
