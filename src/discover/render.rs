//! Helm charts and Kustomize overlays met in a walk. Neither is linted as it is written: a
//! chart's templates are Go templates, and an overlay is a patch over other files. What a
//! cluster receives is their rendering, so the run says which ones it did not render, rather
//! than passing them in silence.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::formats::yaml::{self, Node};
use crate::paths::absolute;

/// What a directory met in a walk renders with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A directory with `Chart.yaml` and `templates/`: `helm template`.
    HelmChart,
    /// A directory with a `kustomization.yaml` that is not a component and that no other
    /// kustomization of the walk uses: `kubectl kustomize`.
    KustomizeOverlay,
}

/// A chart or an overlay to render, by its directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    pub kind: Kind,
    /// The directory, as the walk met it.
    pub dir: PathBuf,
}

/// The file names that make a directory a chart or a kustomization.
pub(crate) const CHART_FILES: [&str; 2] = ["Chart.yaml", "Chart.yml"];
pub(crate) const KUSTOMIZATION_FILES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether a file met in a walk marks a chart or a kustomization (its directory is then looked
/// at by [`roots`]).
pub fn marks_root(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| CHART_FILES.contains(&name) || KUSTOMIZATION_FILES.contains(&name))
}

/// The charts and overlays among the marker files a walk met: a chart is a directory with a
/// `templates/` directory that is not a dependency inside another chart's `charts/`; an overlay
/// is a kustomization that is not a `kind: Component` and that no other kustomization of the
/// walk lists in its `resources`, `bases` or `components`. Sorted by directory.
pub fn roots(markers: &[PathBuf]) -> Vec<Root> {
    let mut charts = Vec::new();
    let mut kustomizations: Vec<(PathBuf, Kustomization)> = Vec::new();
    for marker in markers {
        let Some(dir) = marker.parent() else {
            continue;
        };
        let name = marker.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if CHART_FILES.contains(&name) {
            if dir.join("templates").is_dir() && !is_subchart(dir) {
                charts.push(dir.to_path_buf());
            }
        } else if let Ok(text) = std::fs::read_to_string(marker) {
            kustomizations.push((dir.to_path_buf(), Kustomization::read(&text, dir)));
        }
    }
    let used: HashSet<PathBuf> = kustomizations
        .iter()
        .flat_map(|(_, k)| k.uses.iter().cloned())
        .collect();
    let mut roots: Vec<Root> = charts
        .into_iter()
        .map(|dir| Root {
            kind: Kind::HelmChart,
            dir,
        })
        .collect();
    roots.extend(
        kustomizations
            .into_iter()
            .filter(|(dir, k)| !k.component && !used.contains(&absolute(dir)))
            .map(|(dir, _)| Root {
                kind: Kind::KustomizeOverlay,
                dir,
            }),
    );
    roots.sort_by(|a, b| a.dir.cmp(&b.dir).then(a.kind.cmp(&b.kind)));
    roots.dedup();
    roots
}

/// Whether a chart directory is a dependency vendored in another chart's `charts/`.
fn is_subchart(dir: &Path) -> bool {
    dir.parent().is_some_and(|parent| {
        parent.file_name().is_some_and(|n| n == "charts")
            && parent
                .parent()
                .is_some_and(|chart| CHART_FILES.iter().any(|f| chart.join(f).is_file()))
    })
}

/// What the walk needs of a kustomization.
#[derive(Debug, Default)]
struct Kustomization {
    component: bool,
    /// The local directories it builds on, absolute.
    uses: Vec<PathBuf>,
}

impl Kustomization {
    fn read(text: &str, dir: &Path) -> Kustomization {
        let stream = yaml::parse(text);
        let Some(root) = stream.documents.first().and_then(|d| d.root.as_ref()) else {
            return Kustomization::default();
        };
        let component = root.get("kind").and_then(Node::as_str) == Some("Component");
        let uses = ["resources", "bases", "components"]
            .into_iter()
            .filter_map(|key| root.get(key))
            .flat_map(Node::items)
            .filter_map(Node::as_str)
            .map(|entry| absolute(&dir.join(entry)))
            .filter(|path| path.is_dir())
            .collect();
        Kustomization { component, uses }
    }
}

/// The run-level sentence for the roots that were not rendered, or `None` when there are none:
/// "2 Helm charts and 1 Kustomize overlay were not rendered: …".
pub fn unrendered_message(roots: &[Root]) -> Option<String> {
    let count = |kind| roots.iter().filter(|r| r.kind == kind).count();
    let (charts, overlays) = (count(Kind::HelmChart), count(Kind::KustomizeOverlay));
    let mut parts = Vec::new();
    let mut pipes = Vec::new();
    if charts > 0 {
        let noun = if charts == 1 { "chart" } else { "charts" };
        parts.push(format!("{charts} Helm {noun}"));
        pipes.push("`helm template`");
    }
    if overlays > 0 {
        let noun = if overlays == 1 { "overlay" } else { "overlays" };
        parts.push(format!("{overlays} Kustomize {noun}"));
        pipes.push("`kubectl kustomize`");
    }
    if parts.is_empty() {
        return None;
    }
    let verb = if charts + overlays == 1 {
        "was"
    } else {
        "were"
    };
    Some(format!(
        "{} {verb} not rendered: pipe {} output to `infralint -`",
        parts.join(" and "),
        pipes.join(" / ")
    ))
}

/// The run-level notice for the roots that were not rendered, naming their directories as
/// reports show paths.
pub fn unrendered_notice(roots: &[Root]) -> Option<crate::finding::Notice> {
    let cwd = super::CurrentDir::get();
    Some(crate::finding::Notice {
        message: unrendered_message(roots)?,
        paths: roots.iter().map(|root| shown(&cwd, &root.dir)).collect(),
    })
}

/// A path as reports show it: relative to the current directory when it is below it, `.` for
/// the current directory itself.
pub(crate) fn display(path: &Path) -> String {
    shown(&super::CurrentDir::get(), path)
}

fn shown(cwd: &super::CurrentDir, path: &Path) -> String {
    match cwd.display(path) {
        shown if shown.is_empty() => ".".to_string(),
        shown => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(dir: &Path, name: &str, text: &str) -> std::io::Result<PathBuf> {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        Ok(path)
    }

    #[test]
    fn charts_overlays_bases_and_components() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let d = dir.path();
        let markers = vec![
            put(d, "chart/Chart.yaml", "apiVersion: v2\nname: web\n")?,
            put(
                d,
                "chart/charts/dep/Chart.yaml",
                "apiVersion: v2\nname: dep\n",
            )?,
            put(d, "notachart/Chart.yaml", "apiVersion: v2\nname: lib\n")?,
            put(
                d,
                "k/base/kustomization.yaml",
                "resources:\n  - deploy.yaml\n",
            )?,
            put(
                d,
                "k/overlays/prod/kustomization.yaml",
                "resources:\n  - ../../base\ncomponents:\n  - ../../comp\n",
            )?,
            put(
                d,
                "k/comp/kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
            )?,
        ];
        std::fs::create_dir_all(d.join("chart/templates"))?;
        std::fs::create_dir_all(d.join("chart/charts/dep/templates"))?;
        let found: Vec<(Kind, PathBuf)> = roots(&markers)
            .into_iter()
            .map(|r| (r.kind, r.dir))
            .collect();
        assert_eq!(
            found,
            [
                (Kind::HelmChart, d.join("chart")),
                (Kind::KustomizeOverlay, d.join("k/overlays/prod")),
            ]
        );
        Ok(())
    }

    #[test]
    fn the_sentence_counts_each_kind() {
        let root = |kind| Root {
            kind,
            dir: PathBuf::from("x"),
        };
        assert_eq!(unrendered_message(&[]), None);
        assert_eq!(
            unrendered_message(&[
                root(Kind::HelmChart),
                root(Kind::HelmChart),
                root(Kind::KustomizeOverlay)
            ])
            .as_deref(),
            Some(
                "2 Helm charts and 1 Kustomize overlay were not rendered: pipe `helm template` / \
                 `kubectl kustomize` output to `infralint -`"
            )
        );
        assert_eq!(
            unrendered_message(&[root(Kind::KustomizeOverlay)]).as_deref(),
            Some(
                "1 Kustomize overlay was not rendered: pipe `kubectl kustomize` output to \
                 `infralint -`"
            )
        );
    }
}
