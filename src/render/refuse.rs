//! What `--render` reads before it runs anything. A repository is untrusted input: a
//! kustomization can name remote bases (kustomize clones them), Helm charts to inflate (it runs
//! `helm`, which may download them) and plugins (programs and containers that kustomize runs),
//! and a chart's values schema can name remote documents (Helm 3.18.0 to 3.18.4 fetch them while
//! validating values). Each such entry is a refusal at its place in the file; a chart whose
//! dependencies are not vendored cannot be rendered offline at all.
//!
//! The checks read the kustomization of the root and of every local directory it builds on
//! (resources, bases, components, and the directories of plugin configurations), so a remote
//! base two levels down is refused as surely as one in the root.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::discover::render::{CHART_FILES, KUSTOMIZATION_FILES};
use crate::formats::yaml::{self, Node};
use crate::paths::{absolute, normalize};
use crate::source::Span;

/// One reason not to render, at its place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub span: Span,
    pub message: String,
    pub help: &'static str,
}

/// A file of the repository with the entries that stop its directory from being rendered.
#[derive(Debug)]
pub struct RefusedFile {
    pub path: PathBuf,
    pub text: String,
    pub refusals: Vec<Refusal>,
}

const REMOTE_HELP: &str = "vendor what it points to into the repository and refer to the local \
                           copy, or render it yourself and pipe the output to `infralint -`";
const HELM_HELP: &str = "render the chart with `helm template` into a file that the \
                         kustomization lists, or pipe the kustomization's output to \
                         `infralint -` yourself";
const PLUGIN_HELP: &str = "if you trust the plugin, render the kustomization yourself and pipe \
                           the output to `infralint -`";
const SCHEMA_HELP: &str = "copy the referenced schema into the chart and refer to it by a \
                           relative path, or render the chart yourself and pipe the output to \
                           `infralint -`";

/// The files of a Kustomize root and of the local directories it builds on that hold entries
/// kustomize would fetch or execute, in the order they were reached.
pub fn kustomization_tree(root: &Path) -> Vec<RefusedFile> {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    // Each directory with whether its resources are plugin configurations (a directory listed
    // under `generators`, `transformers` or `validators`).
    let mut stack: Vec<(PathBuf, bool)> = vec![(root.to_path_buf(), false)];
    let mut out = Vec::new();
    let mut configs_seen: HashSet<PathBuf> = HashSet::new();
    while let Some((dir, configs)) = stack.pop() {
        if !seen.insert(absolute(&dir)) {
            continue;
        }
        let Some((path, text)) = kustomization_in(&dir) else {
            continue;
        };
        let read = read_kustomization(&text, Some(&dir), configs);
        stack.extend(read.dirs.into_iter().rev());
        if !read.refusals.is_empty() {
            out.push(RefusedFile {
                path,
                text,
                refusals: read.refusals,
            });
        }
        for file in read.plugin_files {
            if !configs_seen.insert(absolute(&file)) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let refusals = plugin_configs(&text);
            if !refusals.is_empty() {
                out.push(RefusedFile {
                    path: file,
                    text,
                    refusals,
                });
            }
        }
    }
    out
}

/// The kustomization file of a directory and its text.
fn kustomization_in(dir: &Path) -> Option<(PathBuf, String)> {
    KUSTOMIZATION_FILES.iter().find_map(|name| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).ok().map(|text| (path, text))
    })
}

/// What one kustomization says that matters before rendering.
#[derive(Debug, Default)]
struct Read {
    refusals: Vec<Refusal>,
    /// Local directories it builds on, each with whether its resources are plugin configs.
    dirs: Vec<(PathBuf, bool)>,
    /// Local files that configure generators, transformers or validators.
    plugin_files: Vec<PathBuf>,
}

/// The refusals of one kustomization's text, as a rule example checks them: without a
/// directory, every entry that is not written as a remote location is taken to be local.
pub fn kustomization_refusals(text: &str) -> Vec<Refusal> {
    read_kustomization(text, None, false).refusals
}

/// The refusals of a chart's values schema, as a rule example checks them.
pub fn schema_refusals(text: &str) -> Vec<Refusal> {
    remote_refs(text)
}

/// Read a kustomization. `dir`, when known, is where its relative entries are looked up: an
/// entry that exists there is local whatever it looks like, as kustomize decides. `configs`:
/// its resources are plugin configurations.
fn read_kustomization(text: &str, dir: Option<&Path>, configs: bool) -> Read {
    let mut read = Read::default();
    let stream = yaml::parse(text);
    let Some(root) = stream.documents.first().and_then(|d| d.root.as_ref()) else {
        return read;
    };
    for key in ["helmCharts", "helmChartInflationGenerator", "helmGlobals"] {
        if let Some(entry) = root.entry(key) {
            read.refusals.push(Refusal {
                span: entry.key.span,
                message: format!(
                    "`{key}` inflates a Helm chart: kustomize would run `helm`, which may \
                     download the chart; not rendered"
                ),
                help: HELM_HELP,
            });
        }
    }
    for key in ["resources", "bases", "components"] {
        for item in root.get(key).into_iter().flat_map(Node::items) {
            let Some(entry) = item.as_str() else {
                continue;
            };
            match locate(entry, dir) {
                Place::Remote => read.refusals.push(remote(item.span, key, entry)),
                Place::Dir(path) => read.dirs.push((path, configs && key == "resources")),
                Place::File(path) if configs => read.plugin_files.push(path),
                Place::File(_) | Place::Unknown => {}
            }
        }
    }
    for (item, field) in loaded_files(root) {
        let Some(entry) = item.as_str() else {
            continue;
        };
        // A generator's file source may be named: `key=path`.
        let target = match entry.split_once('=') {
            Some((name, path)) if !name.contains(['/', ':']) => path,
            _ => entry,
        };
        if is_url(target) {
            read.refusals.push(Refusal {
                span: item.span,
                message: format!(
                    "remote file `{target}` in `{field}`: kustomize would download it; not \
                     rendered"
                ),
                help: REMOTE_HELP,
            });
        }
    }
    for key in ["generators", "transformers", "validators"] {
        for item in root.get(key).into_iter().flat_map(Node::items) {
            match item.as_str() {
                // An inline configuration: a YAML document written as a string.
                Some(inline) if inline.contains('\n') => {
                    for reason in plugin_config_reasons(inline) {
                        read.refusals.push(plugin(item.span, key, &reason));
                    }
                }
                Some(entry) => match locate(entry, dir) {
                    Place::Remote => read.refusals.push(remote(item.span, key, entry)),
                    Place::Dir(path) => read.dirs.push((path, true)),
                    Place::File(path) => read.plugin_files.push(path),
                    Place::Unknown => {}
                },
                None => {
                    if let Some(reason) = plugin_config_reason(item) {
                        read.refusals.push(plugin(item.span, key, &reason));
                    }
                }
            }
        }
    }
    read
}

/// The entries of a kustomization that name a file kustomize loads, each with its field:
/// kustomize downloads one that is an `http(s)` URL, whatever the load restrictor says.
fn loaded_files(root: &Node) -> Vec<(&Node, &'static str)> {
    let mut out: Vec<(&Node, &'static str)> = Vec::new();
    let items = |key: &str| root.get(key).into_iter().flat_map(Node::items);
    for (key, field) in [
        ("patches", "patches"),
        ("patchesJson6902", "patchesJson6902"),
        ("replacements", "replacements"),
    ] {
        out.extend(items(key).filter_map(|p| p.get("path")).map(|n| (n, field)));
    }
    for key in ["patchesStrategicMerge", "configurations", "crds"] {
        out.extend(items(key).map(|n| (n, key)));
    }
    for key in ["configMapGenerator", "secretGenerator"] {
        for generator in items(key) {
            for list in ["files", "envs"] {
                out.extend(
                    generator
                        .get(list)
                        .into_iter()
                        .flat_map(Node::items)
                        .map(|n| (n, key)),
                );
            }
            out.extend(generator.get("env").map(|n| (n, key)));
        }
    }
    out.extend(root.path(&["openapi", "path"]).map(|n| (n, "openapi")));
    out
}

/// An `http://` or `https://` location, which kustomize's file loader fetches.
fn is_url(entry: &str) -> bool {
    let entry = entry.trim_start();
    ["http://", "https://"].iter().any(|scheme| {
        entry
            .get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    })
}

fn remote(span: Span, key: &str, entry: &str) -> Refusal {
    let what = match key {
        "bases" => "base",
        "components" => "component",
        "resources" => "resource",
        _ => "plugin configuration",
    };
    Refusal {
        span,
        message: format!(
            "remote {what} `{entry}`: kustomize would fetch it over the network; not rendered"
        ),
        help: REMOTE_HELP,
    }
}

fn plugin(span: Span, key: &str, reason: &str) -> Refusal {
    Refusal {
        span,
        message: format!("`{key}` entry {reason}; not rendered"),
        help: PLUGIN_HELP,
    }
}

/// Where an entry of a kustomization points.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    /// A location kustomize would fetch: a URL, a `git@` address, a repository with `?ref=`.
    Remote,
    Dir(PathBuf),
    File(PathBuf),
    /// Not on disk (or no directory to look in) and not remote: kustomize reports it.
    Unknown,
}

fn locate(entry: &str, dir: Option<&Path>) -> Place {
    if let Some(dir) = dir {
        // Kustomize looks on disk first: what exists there is local whatever it looks like.
        // The path is kept without `..`, as reports show it; the file system is asked about
        // the path as written, which is what kustomize opens.
        let path = dir.join(entry);
        if path.is_dir() {
            return Place::Dir(normalize(&path));
        }
        if path.is_file() {
            return Place::File(normalize(&path));
        }
    }
    if looks_remote(entry) {
        Place::Remote
    } else {
        Place::Unknown
    }
}

/// Whether an entry is written as a location kustomize fetches: a URL, an scp-like or `git::`
/// address, a repository path with a `//` subdirectory or a query (`?ref=`), or a path whose
/// first part is a host name (`github.com/org/repo`).
fn looks_remote(entry: &str) -> bool {
    let entry = entry.trim();
    if entry.contains("://")
        || entry.starts_with("git@")
        || entry.starts_with("git::")
        || entry.starts_with("gh:")
        || entry.contains('?')
        || entry.contains("//")
    {
        return true;
    }
    match entry.split_once('/') {
        Some((first, _)) => {
            first.contains('.')
                && !first.starts_with('.')
                && first.rsplit('.').next().is_some_and(|tld| {
                    tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
                })
        }
        None => false,
    }
}

/// The refusals of a file of plugin configurations, each at its document.
fn plugin_configs(text: &str) -> Vec<Refusal> {
    let stream = yaml::parse(text);
    stream
        .documents
        .iter()
        .filter_map(|doc| {
            let root = doc.root.as_ref()?;
            let reason = plugin_config_reason(root)?;
            let span = root.get("kind").map_or(root.span, |k| k.span);
            Some(Refusal {
                span,
                message: format!("plugin configuration {reason}; not rendered"),
                help: PLUGIN_HELP,
            })
        })
        .collect()
}

/// The reasons every document of an inline configuration gives.
fn plugin_config_reasons(text: &str) -> Vec<String> {
    yaml::parse(text)
        .documents
        .iter()
        .filter_map(|doc| doc.root.as_ref().and_then(plugin_config_reason))
        .collect()
}

/// Why a plugin configuration would make kustomize execute something, or `None` for one of
/// kustomize's built-in plugins (`apiVersion: builtin`), which only transform YAML.
fn plugin_config_reason(config: &Node) -> Option<String> {
    let annotations = config.path(&["metadata", "annotations"]);
    for annotation in ["config.kubernetes.io/function", "config.k8s.io/function"] {
        if annotations.and_then(|a| a.get(annotation)).is_some() {
            return Some(format!(
                "is a KRM function (`{annotation}`): kustomize would run its container or program"
            ));
        }
    }
    let kind = config.get("kind").and_then(Node::as_str).unwrap_or("");
    let api_version = config
        .get("apiVersion")
        .and_then(Node::as_str)
        .unwrap_or("");
    if kind == "HelmChartInflationGenerator" {
        return Some(
            "inflates a Helm chart: kustomize would run `helm`, which may download the chart"
                .to_string(),
        );
    }
    if api_version != "builtin" {
        return Some(format!(
            "configures an external plugin (`{api_version}` `{kind}`): kustomize would run a \
             program for it"
        ));
    }
    None
}

/// What stops a chart from being rendered offline and safely.
#[derive(Debug, Default)]
pub struct ChartCheck {
    /// Values schemas (the chart's and its vendored subcharts') that name remote documents.
    pub refused: Vec<RefusedFile>,
    /// The dependencies of `Chart.yaml` that are not under `charts/`.
    pub unvendored: Vec<String>,
}

/// Check a chart before `helm template` runs on it.
pub fn chart(dir: &Path) -> ChartCheck {
    let mut check = ChartCheck::default();
    // Charts of `apiVersion: v1` list their dependencies in `requirements.yaml`, which Helm 3
    // still reads.
    let texts = [
        chart_yaml(dir).map(|(_, text)| text),
        std::fs::read_to_string(dir.join("requirements.yaml")).ok(),
    ];
    let wanted: Vec<String> = texts
        .iter()
        .flatten()
        .flat_map(|text| dependency_names(text))
        .collect();
    let vendored = vendored(dir);
    check.unvendored = wanted
        .into_iter()
        .filter(|name| !vendored.iter().any(|v| v.matches(name)))
        .collect();
    let mut charts = vec![dir.to_path_buf()];
    let mut seen = HashSet::new();
    while let Some(chart) = charts.pop() {
        if !seen.insert(absolute(&chart)) {
            continue;
        }
        let schema = chart.join("values.schema.json");
        if let Ok(text) = std::fs::read_to_string(&schema) {
            let refusals = remote_refs(&text);
            if !refusals.is_empty() {
                check.refused.push(RefusedFile {
                    path: schema,
                    text,
                    refusals,
                });
            }
        }
        charts.extend(
            vendored_dirs(&chart)
                .into_iter()
                .filter(|sub| chart_yaml(sub).is_some()),
        );
    }
    check
}

/// The names of the `dependencies` a chart's `Chart.yaml` (or `requirements.yaml`) lists.
fn dependency_names(text: &str) -> Vec<String> {
    let stream = yaml::parse(text);
    let Some(root) = stream.documents.first().and_then(|d| d.root.as_ref()) else {
        return Vec::new();
    };
    root.get("dependencies")
        .into_iter()
        .flat_map(Node::items)
        .filter_map(|d| d.get("name").and_then(Node::as_str).map(str::to_string))
        .collect()
}

/// The `Chart.yaml` of a directory and its text.
pub(crate) fn chart_yaml(dir: &Path) -> Option<(PathBuf, String)> {
    CHART_FILES.iter().find_map(|name| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).ok().map(|text| (path, text))
    })
}

/// A chart vendored under `charts/`: unpacked (by its `Chart.yaml` name) or an archive (by
/// its file name, `NAME-VERSION.tgz`).
enum Vendored {
    Dir(String),
    Archive(String),
}

impl Vendored {
    fn matches(&self, name: &str) -> bool {
        match self {
            Vendored::Dir(own) => own == name,
            Vendored::Archive(file) => file
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('-')),
        }
    }
}

fn vendored(dir: &Path) -> Vec<Vendored> {
    let Ok(entries) = std::fs::read_dir(dir.join("charts")) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let file = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                let (_, text) = chart_yaml(&path)?;
                let stream = yaml::parse(&text);
                let root = stream.documents.into_iter().next()?.root?;
                Some(Vendored::Dir(
                    root.get("name").and_then(Node::as_str)?.to_string(),
                ))
            } else {
                file.strip_suffix(".tgz")
                    .map(|stem| Vendored::Archive(stem.to_string()))
            }
        })
        .collect()
}

fn vendored_dirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join("charts")) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The `"$ref"` values of a JSON schema that leave the chart: a URL (any scheme) or an
/// absolute path. A fragment (`#/definitions/x`) or a relative file stays in the chart.
fn remote_refs(text: &str) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("\"$ref\"")) {
        let after_key = from + found + "\"$ref\"".len();
        from = after_key;
        let Some((start, end, value)) = string_value(text, after_key) else {
            continue;
        };
        from = end;
        let target = value.split('#').next().unwrap_or("");
        if target.contains(':') || target.starts_with('/') || target.starts_with("..") {
            out.push(Refusal {
                span: Span::new(start, end),
                message: format!(
                    "the values schema refers to `{value}`: Helm may fetch or read it outside \
                     the chart while it validates the values; not rendered"
                ),
                help: SCHEMA_HELP,
            });
        }
    }
    out
}

/// The JSON string after a key (`: "…"`), from `at`: its span with the quotes and its raw
/// text.
fn string_value(text: &str, at: usize) -> Option<(usize, usize, &str)> {
    let rest = text.get(at..)?;
    let colon = rest.len() - rest.trim_start().len();
    let rest = rest.trim_start().strip_prefix(':')?;
    let open = at + colon + 1 + (rest.len() - rest.trim_start().len());
    let body = text.get(open..)?.strip_prefix('"')?;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                let value = body.get(..i)?;
                return Some((open, open + 1 + i + 1, value));
            }
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_locations() {
        for remote in [
            "https://github.com/org/repo//deploy?ref=v1",
            "github.com/org/repo/deploy?ref=v1.2.0",
            "git@github.com:org/repo.git",
            "git::https://example.com/repo.git",
            "ssh://git@example.com/repo.git",
            "gitlab.example.com/team/base",
        ] {
            assert!(looks_remote(remote), "{remote}");
        }
        for local in ["../../base", "deploy.yaml", "base", "./v1.2/x", "../x.y/z"] {
            assert!(!looks_remote(local), "{local}");
        }
    }

    #[test]
    fn kustomization_entries() {
        let text = "resources:\n  - ../base\n  - github.com/org/repo?ref=v1\nhelmCharts:\n  - name: x\ntransformers:\n  - |-\n    apiVersion: builtin\n    kind: LabelTransformer\n  - |-\n    apiVersion: example.com/v1\n    kind: Run\n";
        let refusals = kustomization_refusals(text);
        let messages: Vec<&str> = refusals.iter().map(|r| r.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("`helmCharts`"));
        assert!(messages[1].starts_with("remote resource `github.com/org/repo?ref=v1`"));
        assert!(messages[2].contains("external plugin (`example.com/v1` `Run`)"));
        let files = "patches:\n  - path: https://example.com/p.yaml\n  - path: local.yaml\nconfigMapGenerator:\n  - name: x\n    files:\n      - conf=http://example.com/c\n      - local.conf\n";
        let messages: Vec<String> = kustomization_refusals(files)
            .into_iter()
            .map(|r| r.message)
            .collect();
        assert_eq!(
            messages,
            [
                "remote file `https://example.com/p.yaml` in `patches`: kustomize would \
                 download it; not rendered",
                "remote file `http://example.com/c` in `configMapGenerator`: kustomize would \
                 download it; not rendered"
            ]
        );
    }

    #[test]
    fn vendored_dependencies() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let d = dir.path();
        std::fs::write(
            d.join("Chart.yaml"),
            "apiVersion: v2\nname: shop\ndependencies:\n  - name: cache\n  - name: db\n  - name: queue\n",
        )?;
        std::fs::write(
            d.join("requirements.yaml"),
            "dependencies:\n  - name: search\n",
        )?;
        std::fs::create_dir_all(d.join("charts/redis"))?;
        // Vendored by the name in its Chart.yaml, not by its directory's name.
        std::fs::write(d.join("charts/redis/Chart.yaml"), "name: cache\n")?;
        std::fs::write(d.join("charts/db-15.5.0.tgz"), "")?;
        std::fs::write(d.join("charts/queueing-1.0.0.tgz"), "")?;
        assert_eq!(chart(d).unvendored, ["queue", "search"]);
        Ok(())
    }

    #[test]
    fn schema_refs() {
        let text = r##"{"properties": {"a": {"$ref": "#/definitions/a"}, "b": {"$ref" : "https://example.com/s.json#/x"}, "c": {"$ref": "local.json"}}}"##;
        let refusals = schema_refusals(text);
        assert_eq!(refusals.len(), 1);
        let span = refusals[0].span;
        assert_eq!(
            text.get(span.start as usize..span.end as usize),
            Some("\"https://example.com/s.json#/x\"")
        );
    }
}
