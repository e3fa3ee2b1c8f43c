//! A Kustomize `kustomization.yaml`, read for what linting the manifests around it needs: the
//! files it lists as patches. A patch is a partial object that Kustomize merges into one of its
//! resources, so it is not judged as a whole object.

use crate::formats::yaml::{self, Node};

/// The names Kustomize looks for in a directory, in its order.
pub const FILE_NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The patch paths of one kustomization, as written (trimmed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kustomization {
    /// Entries of `patchesStrategicMerge`, and the `path` of each entry of `patches` and
    /// `patchesJson6902` (or the entry itself, when it is a plain path).
    pub patches: Vec<String>,
}

/// Read a kustomization. What is not a kustomization (not YAML, no mapping, no patch keys)
/// lists no patches.
pub fn parse(text: &str) -> Kustomization {
    let stream = yaml::parse(text);
    let Some(root) = stream.documents.into_iter().find_map(|d| d.root) else {
        return Kustomization::default();
    };
    let strategic = root
        .get("patchesStrategicMerge")
        .into_iter()
        .flat_map(Node::items)
        .filter_map(Node::as_str);
    let others = ["patches", "patchesJson6902"].into_iter().flat_map(|key| {
        root.get(key)
            .into_iter()
            .flat_map(Node::items)
            // An entry is a mapping with a `path`, or the path alone (as some kustomizations
            // write it).
            .filter_map(|p| p.get("path").and_then(Node::as_str).or_else(|| p.as_str()))
    });
    Kustomization {
        patches: strategic
            .chain(others)
            .map(|p| p.trim().to_string())
            .collect(),
    }
}

impl Kustomization {
    /// Whether the kustomization, in the directory `dir` (its path components), lists the file
    /// at `relative` (path components from `dir`) as a patch.
    pub fn lists(&self, dir: &[String], relative: &[String]) -> bool {
        self.patches.iter().any(|p| names_file(p, dir, relative))
    }
}

/// Whether a path written in a kustomization in `dir` names the file at `relative` from it.
/// `..` may climb out of `dir` and back in (`../overlay/patch.yaml`).
fn names_file(entry: &str, dir: &[String], relative: &[String]) -> bool {
    if entry.is_empty() || entry.contains('\n') {
        return false;
    }
    let mut resolved: Vec<&str> = dir.iter().map(String::as_str).collect();
    for component in entry.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                // A climb above what is known of the directory cannot be checked.
                if resolved.pop().is_none() {
                    return false;
                }
            }
            other => resolved.push(other),
        }
    }
    let want = dir.iter().chain(relative).map(String::as_str);
    resolved.into_iter().eq(want)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(path: &str) -> Vec<String> {
        path.split('/').map(str::to_string).collect()
    }

    #[test]
    fn kustomization_paths() {
        let dir = parts("repo/overlay");
        let file = parts("patches/replicas.yaml");
        assert!(names_file("patches/replicas.yaml", &dir, &file));
        assert!(names_file("./patches//replicas.yaml", &dir, &file));
        assert!(names_file("../overlay/patches/replicas.yaml", &dir, &file));
        assert!(!names_file("replicas.yaml", &dir, &file));
        assert!(!names_file("../../../x/replicas.yaml", &dir, &file));
        assert!(!names_file("", &dir, &file));
    }

    #[test]
    fn patch_entries_of_every_kind() {
        let k = parse(
            "resources: [base]\n\
             patchesStrategicMerge:\n  - ' strategic.yaml '\n\
             patches:\n  - path: with-target.yaml\n    target: {kind: Deployment}\n  - bare.yaml\n  - patch: inline\n\
             patchesJson6902:\n  - path: json.yaml\n",
        );
        assert_eq!(
            k.patches,
            [
                "strategic.yaml",
                "with-target.yaml",
                "bare.yaml",
                "json.yaml"
            ]
        );
        assert!(k.lists(&parts("o"), &parts("with-target.yaml")));
        assert!(!k.lists(&parts("o"), &parts("base")));
    }

    #[test]
    fn not_a_kustomization() {
        for text in ["", "- a\n- b\n", "patches: 3\n", "{{ broken"] {
            assert!(parse(text).patches.is_empty(), "{text:?}");
        }
    }
}
