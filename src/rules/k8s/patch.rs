//! Kustomize patch files: partial objects that a sibling `kustomization.yaml` merges into full
//! ones, so "missing X" rules leave them alone (catalog §1.9).
use crate::formats::yaml::{self, Node};
use crate::rules::Ctx;

/// The names Kustomize looks for in a directory.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether the linted file is listed as a patch by the `kustomization.yaml` beside it.
pub(crate) fn is_kustomize_patch(cx: &Ctx) -> bool {
    let name = cx.source().name.as_str();
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let Some(text) = KUSTOMIZATION_FILES
        .iter()
        .find_map(|k| cx.siblings().read(k))
    else {
        return false;
    };
    let stream = yaml::parse(&text);
    let Some(root) = stream.documents.into_iter().find_map(|d| d.root) else {
        return false;
    };
    let listed = |path: &str| path.trim().trim_start_matches("./") == name;
    let strategic = root
        .get("patchesStrategicMerge")
        .into_iter()
        .flat_map(Node::items)
        .filter_map(Node::as_str)
        .any(listed);
    strategic
        || ["patches", "patchesJson6902"].iter().any(|key| {
            root.get(key)
                .into_iter()
                .flat_map(Node::items)
                .filter_map(|p| p.get("path").and_then(Node::as_str))
                .any(listed)
        })
}
