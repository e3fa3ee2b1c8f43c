//! Image references: `[registry[:port]/]path[:tag][@digest]`, parsed without
//! copying, with the one pinning verdict that every `*/unpinned-image` rule words its own way,
//! and the registry question of `trusted-registries`.

use crate::rules::Ctx;
use crate::rules::shared::wildcard;
use crate::source::Span;

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

/// Repository prefixes under which Docker's official images are served: Docker Hub's
/// `library/` namespace and the public mirrors of it.
const OFFICIAL_MIRRORS: [&str; 3] = [
    "docker.io/library/",
    "public.ecr.aws/docker/library/",
    "mirror.gcr.io/library/",
];

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

    /// Whether the image is one of a list of repositories, compared whole (never by the last
    /// path component): a bare name (`redis`) is Docker's official image, on Docker Hub or a
    /// mirror of it (`public.ecr.aws/docker/library/`, `mirror.gcr.io/library/`);
    /// `namespace/name` is that Docker Hub repository; an entry that starts with a registry
    /// host (`docker.elastic.co/elasticsearch/elasticsearch`) is compared as written.
    /// Case is ignored.
    pub(crate) fn is_any_of(&self, entries: &[&str]) -> bool {
        let repository = self.repository().to_ascii_lowercase();
        entries.iter().any(|entry| match entry.split_once('/') {
            None => OFFICIAL_MIRRORS
                .iter()
                .any(|m| repository.strip_prefix(m) == Some(entry)),
            Some((first, _)) if is_registry_host(first) => repository == *entry,
            Some(_) => repository.strip_prefix("docker.io/") == Some(entry),
        })
    }

    /// The last path component: `nginx` for `docker.io/library/nginx:1.27`.
    pub(crate) fn name(&self) -> &'a str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }

    /// The entry of a `trusted-registries` list that the image comes from, if any. An entry is
    /// a registry (`ghcr.io`, `docker.io` for Docker Hub) or a registry and path prefix
    /// (`ghcr.io/acme`), matched at a `/` boundary so that `ghcr.io/acme` does not trust
    /// `ghcr.io/acmecorp`; a `*` stands for any run of characters (`*.example.com`). The image
    /// is compared by its full repository, Docker Hub spelled `docker.io`, case ignored.
    pub(crate) fn trusted_by<'t>(&self, trusted: &'t [String]) -> Option<&'t str> {
        let repository = self.repository().to_ascii_lowercase();
        trusted.iter().map(|entry| entry.as_str()).find(|entry| {
            let entry = normalize_registry(entry.trim().trim_end_matches('/'));
            if entry.is_empty() {
                return false;
            }
            if entry.contains('*') {
                return wildcard::matches(&entry, &repository)
                    || wildcard::matches(&format!("{entry}/*"), &repository);
            }
            repository == entry
                || repository
                    .strip_prefix(entry.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// A `trusted-registries` entry in the spelling of [`ImageRef::repository`]: lowercase, with
/// Docker Hub's other host names written `docker.io`.
fn normalize_registry(entry: &str) -> String {
    let entry = entry.to_ascii_lowercase();
    for alias in ["index.docker.io", "registry-1.docker.io"] {
        if let Some(rest) = entry.strip_prefix(alias)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return format!("{DOCKER_HUB}{rest}");
        }
    }
    entry
}

/// How an image reference is pinned: the one judgement behind every `*/unpinned-image` rule,
/// which differ only in how they word it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict<'a> {
    /// Empty, or still interpolated: nothing is known about it.
    Unknown,
    /// A digest fixes the content, whatever tag is written beside it.
    Digest,
    /// A release tag.
    Tag(&'a str),
    /// A tag that moves like `latest` (see [`is_moving_tag`]).
    Moving(&'a str),
    /// Neither tag nor digest: `latest` is pulled.
    Untagged,
}

impl<'a> ImageRef<'a> {
    /// The pinning verdict on the reference.
    pub(crate) fn verdict(&self) -> Verdict<'a> {
        if self.raw.is_empty() || self.is_unresolved() {
            Verdict::Unknown
        } else if self.is_digest_pinned() {
            Verdict::Digest
        } else {
            match self.tag {
                Some(tag) if is_moving_tag(tag) => Verdict::Moving(tag),
                Some(tag) => Verdict::Tag(tag),
                None => Verdict::Untagged,
            }
        }
    }
}

/// Report or praise one image reference, in the words the Kubernetes, Kestra and CI rules
/// share: `subject` names what the reference is (`image`, `service`, …) and `owner` what
/// runs it (`container `api``, `job `test``).
pub(crate) fn judge(cx: &mut Ctx, span: Span, raw: &str, subject: &str, owner: &str) {
    const HELP: &str = "pin a release tag, ideally with its digest (`name:tag@sha256:…`)";
    match ImageRef::parse(raw).verdict() {
        Verdict::Unknown => {}
        Verdict::Digest => {
            cx.pass(span, format!("image `{raw}` is pinned by digest"));
        }
        Verdict::Tag(tag) => {
            cx.pass(span, format!("image `{raw}` is pinned to tag `{tag}`"));
        }
        Verdict::Moving(tag) => {
            cx.report(
                span,
                format!("{subject} `{raw}` of {owner} uses the floating `{tag}` tag"),
            )
            .help(HELP);
        }
        Verdict::Untagged => {
            cx.report(
                span,
                format!("{subject} `{raw}` of {owner} has no tag or digest, so it pulls `latest`"),
            )
            .help(HELP);
        }
    }
}

/// Words that name a channel rather than a release: a tag made of them follows whatever the
/// publisher pushes next, like `latest`. `mainline` is nginx's development channel, `testing`
/// and `sid` Debian's.
const MOVING_WORDS: &[&str] = &[
    "latest",
    "stable",
    "lts",
    "edge",
    "nightly",
    "dev",
    "develop",
    "development",
    "main",
    "master",
    "unstable",
    "rolling",
    "current",
    "mainline",
    "testing",
    "sid",
    "canary",
];

/// Release code names of Debian and Ubuntu: a tag such as `bookworm` or `jammy-slim` names a
/// release line, as `12` or `22.04` would.
const CODENAMES: &[&str] = &[
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "trusty", "xenial",
    "bionic", "focal", "jammy", "noble", "oracular", "plucky", "questing",
];

/// Whether a tag moves like `latest`. The tag is read as words separated by `-`, `_` or `.`:
/// - `latest` anywhere moves (`latest`, `latest-gpu`, `3.12-latest`);
/// - a tag without any digit names a variant of the newest release (`alpine`, `slim`,
///   `apache`, `dind-rootless`, `nonroot`) and moves with it, unless it names a
///   distribution release (`bookworm`, `trixie-slim`, `jammy`);
/// - a channel word first moves (`stable`, `stable-alpine`, `lts-slim`, `mainline-alpine3.20`),
///   unless a later word fixes a build: a commit hash or a date (`main-3f9c2ab`,
///   `nightly-20240611`);
/// - a channel word last moves when no word before it is a version (`alpine-edge`, but not
///   `1.2-dev`, a pre-release of 1.2).
///
/// Version tags that merely contain such letters (`1.2-alpine`, `3.12-slim-bookworm`,
/// `20-bookworm`, `2.452.1-lts`) are pins.
pub(crate) fn is_moving_tag(tag: &str) -> bool {
    let words: Vec<String> = tag
        .split(['-', '_', '.'])
        .map(str::to_ascii_lowercase)
        .collect();
    let moving = |w: &String| MOVING_WORDS.contains(&w.as_str());
    if words.iter().any(|w| w == "latest") {
        return true;
    }
    let Some((first, rest)) = words.split_first() else {
        return false;
    };
    if moving(first) {
        return !rest.iter().any(|w| fixes_a_build(w));
    }
    if let Some((last, before)) = words.split_last()
        && moving(last)
        && !before.iter().any(|w| starts_with_digit(w))
    {
        return true;
    }
    !tag.bytes().any(|b| b.is_ascii_digit())
        && !words.iter().any(|w| CODENAMES.contains(&w.as_str()))
}

fn starts_with_digit(word: &str) -> bool {
    word.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// A word that names one build: a hexadecimal commit hash of 7 or more characters with a
/// digit in it, or a number of 6 or more digits (a date or a build number).
fn fixes_a_build(word: &str) -> bool {
    let hash = word.len() >= 7
        && word.bytes().all(|b| b.is_ascii_hexdigit())
        && word.bytes().any(|b| b.is_ascii_digit());
    let number = word.len() >= 6 && word.bytes().all(|b| b.is_ascii_digit());
    hash || number
}

/// The first component of a reference names a registry when it looks like a host: it has a
/// `.` (a domain) or a `:` (a port), or it is `localhost`.
fn is_registry_host(component: &str) -> bool {
    component.contains('.') || component.contains(':') || component == "localhost"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No tag and no digest, or a moving tag without a digest.
    fn unpinned(raw: &str) -> bool {
        matches!(
            ImageRef::parse(raw).verdict(),
            Verdict::Moving(_) | Verdict::Untagged
        )
    }

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
        assert!(unpinned("localhost:5000/app"));
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
        assert!(unpinned("nginx"));
        assert!(unpinned("nginx:latest"));
        assert!(unpinned("nginx:LATEST"));
        assert!(!unpinned("nginx:1.27"));
        assert!(!unpinned("nginx:latest@sha256:abc"));
        assert!(ImageRef::parse("nginx:latest@sha256:abc").is_digest_pinned());
        assert!(!ImageRef::parse("nginx:1.27").is_digest_pinned());
    }

    #[test]
    fn moving_tags() {
        for tag in [
            "latest",
            "stable",
            "lts",
            "edge",
            "nightly",
            "dev",
            "develop",
            "main",
            "master",
            "unstable",
            "rolling",
            "current",
            "mainline",
            "Stable",
            "stable-alpine",
            "stable-alpine3.20-perl",
            "mainline-alpine",
            "lts-slim",
            "lts-alpine3.19",
            "latest-gpu",
            "gpu-latest",
            "3.12-latest",
            "alpine-edge",
            "current-bookworm",
            "nightly-slim",
            "alpine",
            "apache",
            "dind-rootless",
            "nonroot",
            "testing-devel",
            "main-stable",
        ] {
            assert!(is_moving_tag(tag), "{tag} moves");
            assert!(unpinned(&format!("app:{tag}")), "{tag}");
        }
        for tag in [
            "1.2-alpine",
            "3.12-slim-bookworm",
            "1.27.3",
            "20-bookworm",
            "v2",
            "1.2-dev",
            "3.13-rc-slim",
            "main-3f9c2ab",
            "nightly-20240611",
            "dev-1a2b3c4d",
            "sha-3f9c2ab",
            "2.452.1-lts",
            "8.0-jdk",
            "bookworm",
            "trixie-slim",
            "jammy",
            "ltsc2025",
            "e2e",
        ] {
            assert!(!is_moving_tag(tag), "{tag} is a pin");
        }
        assert!(!unpinned("nginx:stable@sha256:abc"));
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
    fn repositories_are_compared_whole() {
        let is = |raw, entries: &[&str]| ImageRef::parse(raw).is_any_of(entries);
        assert!(is("redis:7", &["redis"]));
        assert!(is("docker.io/library/redis", &["redis"]));
        assert!(is("public.ecr.aws/docker/library/redis:7", &["redis"]));
        assert!(is("Redis:7", &["redis"]));
        assert!(!is("ghcr.io/acme/redis:7", &["redis"]));
        assert!(!is("bitnami/redis:7", &["redis"]));
        assert!(is("valkey/valkey:8", &["valkey/valkey"]));
        assert!(!is("ghcr.io/valkey/valkey:8", &["valkey/valkey"]));
        assert!(is(
            "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
            &["docker.elastic.co/elasticsearch/elasticsearch"]
        ));
        assert!(!is("lscr.io/linuxserver/mariadb", &["mariadb"]));
    }

    #[test]
    fn trusted_registries_match_whole_components() {
        let trusted: Vec<String> = ["ghcr.io/acme", "docker.io", "*.corp.example", "Quay.io/"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let by = |raw| ImageRef::parse(raw).trusted_by(&trusted);
        assert_eq!(by("ghcr.io/acme/app:1.0"), Some("ghcr.io/acme"));
        assert_eq!(by("ghcr.io/acmecorp/app:1.0"), None);
        assert_eq!(by("ghcr.io/acme"), Some("ghcr.io/acme"));
        assert_eq!(by("nginx:1.27"), Some("docker.io"));
        assert_eq!(by("bitnami/redis:7"), Some("docker.io"));
        assert_eq!(by("index.docker.io/library/nginx"), Some("docker.io"));
        assert_eq!(
            by("registry.corp.example/team/app:2"),
            Some("*.corp.example")
        );
        assert_eq!(
            by("quay.io/prometheus/node-exporter:v1.8.2"),
            Some("Quay.io/")
        );
        assert_eq!(by("evil.example.com/app:1"), None);
        assert_eq!(by("docker.io.evil.com/app:1"), None);
        let hub = vec!["index.docker.io".to_string()];
        assert!(ImageRef::parse("nginx").trusted_by(&hub).is_some());
        assert!(ImageRef::parse("nginx").trusted_by(&[]).is_none());
    }

    #[test]
    fn name_is_the_last_component() {
        assert_eq!(ImageRef::parse("nginx:1.27").name(), "nginx");
        assert_eq!(ImageRef::parse("ghcr.io/org/team/app:1").name(), "app");
        assert_eq!(ImageRef::parse("").name(), "");
    }
}
