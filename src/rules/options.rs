//! `[options]`: the knobs rules read through `cx.options()`. The configuration file
//! deserializes into them; the rules own what they mean.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The rules' profile: which machines the files are for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    #[default]
    Default,
    /// Homelabs, single-board computers, small VMs: enables the rules marked *(constrained)*.
    Constrained,
}

impl Profile {
    /// The name `[options]` gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Default => "default",
            Profile::Constrained => "constrained",
        }
    }
}

/// `[options]`: knobs read by rules through `cx.options()`. Lists extend the built-in lists the
/// rules carry (each field says which); they never replace them.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Options {
    /// Registries (or registry/path prefixes) images may come from. Empty: every registry is
    /// trusted and `docker/untrusted-registry` stays silent.
    pub trusted_registries: Vec<String>,
    /// Container ports whose exposure is critical, in addition to the well-known datastore and
    /// admin ports.
    pub datastore_ports: Vec<u16>,
    /// Globs over the names (or, with a `/`, the paths) of files that hold secrets, in addition
    /// to the built-in names (`.env`, `*.pem`, `id_rsa*`, …).
    pub secret_file_patterns: Vec<String>,
    /// Image repository → path of its data, in addition to the known datastores.
    pub stateful_images: BTreeMap<String, String>,
    /// Values that are placeholders and never secrets, compared case-insensitively; a `*`
    /// matches any run of characters.
    pub placeholder_values: Vec<String>,
    /// Prefixes that make a value a reference to a secret manager (`vault:`, `op://`, …), in
    /// addition to the built-in ones.
    pub secret_reference_prefixes: Vec<String>,
    /// Globs over `repository:tag` of base images that already run as a non-root user, in
    /// addition to the built-in ones (distroless `nonroot`, Chainguard, Bitnami, …).
    pub nonroot_base_images: Vec<String>,
    /// Labels (`key=value`, or a bare `key` for any value) that make a container restart when
    /// unhealthy, in addition to `autoheal=true`.
    pub unhealthy_restart_labels: Vec<String>,
    /// Kestra namespaces that only appear in examples, in addition to the built-in ones.
    pub placeholder_namespaces: Vec<String>,
    /// The Docker daemon rotates container logs (`daemon.json`), so compose services need not.
    pub assume_daemon_log_rotation: bool,
    /// Report GitHub's own actions (`actions/*`, `github/*`) pinned by tag too, as suggestions.
    pub pin_first_party_actions: bool,
    /// Which rules run: `default`, or `constrained` for small machines.
    pub profile: Profile,
    /// The Kubernetes version (`"1.31"`) whose removed APIs are reported.
    #[serde(deserialize_with = "kubernetes_version")]
    pub kubernetes_version: Option<String>,
    /// The systemd exposure score (0–10) from which a unit is reported.
    pub max_exposure: f64,
    /// Memory of the target host (`"8GiB"`), for the resources summary.
    pub host_memory: Option<String>,
    /// CPUs of the target host, for the resources summary.
    pub host_cpus: Option<f64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            trusted_registries: Vec::new(),
            datastore_ports: Vec::new(),
            secret_file_patterns: Vec::new(),
            stateful_images: BTreeMap::new(),
            placeholder_values: Vec::new(),
            secret_reference_prefixes: Vec::new(),
            nonroot_base_images: Vec::new(),
            unhealthy_restart_labels: Vec::new(),
            placeholder_namespaces: Vec::new(),
            assume_daemon_log_rotation: false,
            pin_first_party_actions: false,
            profile: Profile::Default,
            kubernetes_version: None,
            max_exposure: 7.0,
            host_memory: None,
            host_cpus: None,
        }
    }
}

impl Options {
    /// The minor release of `kubernetes-version` (`31` for `"1.31"`), when it is set.
    pub fn kubernetes_minor(&self) -> Option<u32> {
        self.kubernetes_version
            .as_deref()
            .and_then(kubernetes_minor)
    }
}

/// The minor release of a Kubernetes version written `1.31`, `v1.31` or `1.31.2`.
fn kubernetes_minor(version: &str) -> Option<u32> {
    let version = version.trim();
    let version = version.strip_prefix('v').unwrap_or(version);
    let mut parts = version.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    let patch_ok = parts.next().is_none_or(|p| p.parse::<u32>().is_ok()) && parts.next().is_none();
    (major == "1" && patch_ok).then_some(())?;
    minor.parse().ok()
}

/// `kubernetes-version` is read only when it names a release, so that a typo is an error at
/// its location rather than a setting silently ignored.
fn kubernetes_version<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let version = String::deserialize(deserializer)?;
    match kubernetes_minor(&version) {
        Some(_) => Ok(Some(version)),
        None => Err(serde::de::Error::custom(format!(
            "invalid kubernetes-version `{version}`; expected a release such as \"1.31\""
        ))),
    }
}
