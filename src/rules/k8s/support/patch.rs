//! Patch files: partial objects that a tool merges into complete ones, so the rules that judge a
//! whole object (a missing probe, limit, security setting or selector) leave them alone. Two
//! kinds are recognised:
//!
//! - Kustomize patches: files listed under `patchesStrategicMerge`, or as the `path` of an entry
//!   of `patches` or `patchesJson6902` (or as the entry itself), by a `kustomization.yaml` in the
//!   file's directory or in one of the directories above it (an overlay may keep its patches in
//!   a subdirectory).
//! - kubeadm patches: files named `target[suffix][+patchtype].extension` (for example
//!   `kube-apiserver0+strategic.yaml` or `etcd.json` in a `patches/` directory), which kubeadm's
//!   `--patches` merges into the control plane's static Pods and into its own configuration.
use crate::formats::yaml::{self, Node};
use crate::rules::Ctx;

/// The names Kustomize looks for in a directory.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// How many directories above the file a kustomization may list it from.
const MAX_LEVELS_UP: usize = 3;

/// Whether the linted file is a patch of either kind.
pub(crate) fn is_patch(cx: &Ctx) -> bool {
    // Every rule of a file asks, one after the other on one thread: the answer for the last
    // file is kept, keyed by everything it depends on (the file and what is beside it).
    type Question = (String, Option<std::path::PathBuf>, String, String);
    thread_local! {
        static LAST: std::cell::RefCell<Option<(Question, bool)>> =
            const { std::cell::RefCell::new(None) };
    }
    let source = cx.source();
    let beside = match cx.siblings() {
        crate::rules::Siblings::Dir(dir, _) => dir.to_string_lossy().into_owned(),
        crate::rules::Siblings::Memory(files) => format!("{files:?}"),
        crate::rules::Siblings::None => String::new(),
    };
    let known = LAST.with_borrow(|last| match last {
        Some(((name, path, text, near), answer))
            if *name == source.name
                && *path == source.path
                && *text == source.text
                && *near == beside =>
        {
            Some(*answer)
        }
        _ => None,
    });
    if let Some(answer) = known {
        return answer;
    }
    let parts = path_parts(cx);
    let answer = is_kubeadm_patch(&parts) || is_kustomization_patch(cx, &parts);
    LAST.with_borrow_mut(|last| {
        *last = Some((
            (
                source.name.clone(),
                source.path.clone(),
                source.text.clone(),
                beside,
            ),
            answer,
        ));
    });
    answer
}

/// [`is_patch`], under the name the "missing X" rules know it by.
pub(crate) fn is_kustomize_patch(cx: &Ctx) -> bool {
    is_patch(cx)
}

/// The file's path as components, the file's name last: from its path on disk (made absolute,
/// so that the directories above it are known) or else its display name.
fn path_parts(cx: &Ctx) -> Vec<String> {
    let source = cx.source();
    let path = source.path.as_ref().map(|p| {
        if p.is_absolute() {
            p.clone()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        }
    });
    let text = path.map_or_else(|| source.name.clone(), |p| p.to_string_lossy().into_owned());
    text.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_string)
        .collect()
}

/// kubeadm's patch targets.
const KUBEADM_TARGETS: &[&str] = &[
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "etcd",
    "kubeletconfiguration",
    "corednsdeployment",
];

/// A kubeadm patch: a target name, an optional suffix, an optional `+strategic`, `+merge` or
/// `+json`, and a `.yaml` or `.json` extension. A bare `etcd.yaml` is a patch only in a
/// directory whose name says it holds patches; elsewhere it may well be a complete static Pod.
fn is_kubeadm_patch(parts: &[String]) -> bool {
    let Some(name) = parts.last() else {
        return false;
    };
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".json"))
    else {
        return false;
    };
    let (base, patch_type) = match stem.split_once('+') {
        Some((base, kind)) => (base, Some(kind)),
        None => (stem, None),
    };
    if !KUBEADM_TARGETS.iter().any(|t| base.starts_with(t)) {
        return false;
    }
    match patch_type {
        Some(kind) => matches!(kind, "strategic" | "merge" | "json"),
        None => {
            parts.len() >= 2
                && parts
                    .get(parts.len() - 2)
                    .is_some_and(|dir| dir.to_ascii_lowercase().contains("patch"))
        }
    }
}

/// Whether a kustomization in the file's directory, or in one above it, lists it as a patch.
fn is_kustomization_patch(cx: &Ctx, parts: &[String]) -> bool {
    let Some(file_at) = parts.len().checked_sub(1) else {
        return false;
    };
    for up in 0..=MAX_LEVELS_UP.min(file_at) {
        let prefix = "../".repeat(up);
        let Some(text) = KUSTOMIZATION_FILES
            .iter()
            .find_map(|k| cx.siblings().read(&format!("{prefix}{k}")))
        else {
            continue;
        };
        // The kustomization's directory, and the file's path relative to it.
        let dir = parts.get(..file_at - up).unwrap_or_default();
        let relative = parts.get(file_at - up..).unwrap_or_default();
        if lists_patch(&text, dir, relative) {
            return true;
        }
    }
    false
}

/// Whether a kustomization lists `relative` (a path from its directory `dir`) as a patch. Every
/// rule of a file asks the same question one after the other on one thread, so the last answer
/// is kept, keyed by the whole question: the kustomization is parsed once per file.
fn lists_patch(text: &str, dir: &[String], relative: &[String]) -> bool {
    type Question = (String, Vec<String>, Vec<String>);
    thread_local! {
        static LAST: std::cell::RefCell<Option<(Question, bool)>> =
            const { std::cell::RefCell::new(None) };
    }
    let known = LAST.with_borrow(|last| match last {
        Some(((t, d, r), answer)) if t == text && d == dir && r == relative => Some(*answer),
        _ => None,
    });
    if let Some(answer) = known {
        return answer;
    }
    let answer = parse_and_list(text, dir, relative);
    LAST.with_borrow_mut(|last| {
        *last = Some(((text.to_string(), dir.to_vec(), relative.to_vec()), answer));
    });
    answer
}

fn parse_and_list(text: &str, dir: &[String], relative: &[String]) -> bool {
    let stream = yaml::parse(text);
    let Some(root) = stream.documents.into_iter().find_map(|d| d.root) else {
        return false;
    };
    let listed = |entry: &str| names_file(entry.trim(), dir, relative);
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
                // An entry is a mapping with a `path`, or the path alone (as some kustomizations
                // write it).
                .filter_map(|p| p.get("path").and_then(Node::as_str).or_else(|| p.as_str()))
                .any(listed)
        })
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
    fn kubeadm_patch_names() {
        for path in [
            "cluster/kube-apiserver0+strategic.yaml",
            "cluster/etcd+merge.json",
            "cluster/kubeletconfiguration+json.yaml",
            "patches/etcd.yaml",
            "kubeadm-patches/kube-scheduler1.yaml",
        ] {
            assert!(is_kubeadm_patch(&parts(path)), "{path}");
        }
        for path in [
            "manifests/etcd.yaml",
            "etcd.yaml",
            "cluster/kube-apiserver+other.yaml",
            "patches/nginx.yaml",
            "patches/etcd.yml",
        ] {
            assert!(!is_kubeadm_patch(&parts(path)), "{path}");
        }
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
}
