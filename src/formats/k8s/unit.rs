//! The lint unit of a manifest: the file and the kustomizations that may list it as a patch.
//! Read once, before any rule runs, so that the rules judge models only.
//!
//! Two kinds of patch are recognised:
//!
//! - Kustomize patches: files listed under `patchesStrategicMerge`, or as the `path` of an entry
//!   of `patches` or `patchesJson6902` (or as the entry itself), by a `kustomization.yaml` in the
//!   file's directory or in one of the directories above it (an overlay may keep its patches in
//!   a subdirectory).
//! - kubeadm patches: files named `target[suffix][+patchtype].extension` (for example
//!   `kube-apiserver0+strategic.yaml` or `etcd.json` in a `patches/` directory), which kubeadm's
//!   `--patches` merges into the control plane's static Pods and into its own configuration.

use super::kustomization::{self, Kustomization};
use super::{Manifest, Patch};
use crate::formats::siblings::Siblings;
use crate::source::SourceFile;

/// How many directories above the file a kustomization may list it from.
const MAX_LEVELS_UP: usize = 3;

/// kubeadm's patch targets.
const KUBEADM_TARGETS: &[&str] = &[
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "etcd",
    "kubeletconfiguration",
    "corednsdeployment",
];

/// Read what the unit needs from around the file into its model: whether it is a patch.
pub fn attach(model: &mut Manifest, source: &SourceFile, siblings: &Siblings) {
    // Only rules that judge objects ask; a file without any needs no answer, and nothing
    // around it is read.
    if model.objects.is_empty() {
        return;
    }
    let parts = path_parts(source);
    model.patch = kubeadm_patch(&parts).or_else(|| kustomize_patch(siblings, &parts));
}

/// The file's path as components, the file's name last: from its path on disk (made absolute,
/// so that the directories above it are known) or else its display name.
fn path_parts(source: &SourceFile) -> Vec<String> {
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

/// A kubeadm patch: a target name, an optional suffix, an optional `+strategic`, `+merge` or
/// `+json`, and a `.yaml` or `.json` extension. A bare `etcd.yaml` is a patch only in a
/// directory whose name says it holds patches; elsewhere it may well be a complete static Pod.
fn kubeadm_patch(parts: &[String]) -> Option<Patch> {
    let name = parts.last()?;
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".json"))?;
    let (base, patch_type) = match stem.split_once('+') {
        Some((base, kind)) => (base, Some(kind)),
        None => (stem, None),
    };
    let target = KUBEADM_TARGETS.iter().find(|t| base.starts_with(*t))?;
    let is_patch = match patch_type {
        Some(kind) => matches!(kind, "strategic" | "merge" | "json"),
        None => parts
            .len()
            .checked_sub(2)
            .and_then(|i| parts.get(i))
            .is_some_and(|dir| dir.to_ascii_lowercase().contains("patch")),
    };
    is_patch.then_some(Patch::Kubeadm { target })
}

/// The nearest kustomization, in the file's directory or one above it, that lists the file as a
/// patch. Each directory's kustomization is read and parsed once.
fn kustomize_patch(siblings: &Siblings, parts: &[String]) -> Option<Patch> {
    let file_at = parts.len().checked_sub(1)?;
    for up in 0..=MAX_LEVELS_UP.min(file_at) {
        let prefix = "../".repeat(up);
        let Some((path, text)) = kustomization::FILE_NAMES.iter().find_map(|k| {
            let path = format!("{prefix}{k}");
            let text = siblings.read(&path)?;
            Some((path, text))
        }) else {
            continue;
        };
        // The kustomization's directory, and the file's path relative to it.
        let dir = parts.get(..file_at - up).unwrap_or_default();
        let relative = parts.get(file_at - up..).unwrap_or_default();
        let found: Kustomization = kustomization::parse(&text);
        if found.lists(dir, relative) {
            return Some(Patch::Kustomize {
                kustomization: path,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(path: &str) -> Vec<String> {
        path.split('/').map(str::to_string).collect()
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n";

    fn attached(name: &str, siblings: &Siblings) -> Manifest {
        let source = SourceFile::new(name.to_string(), None, DEPLOYMENT.to_string());
        let mut model = super::super::parse(&source.text);
        attach(&mut model, &source, siblings);
        model
    }

    #[test]
    fn kubeadm_patch_names() {
        for (path, target) in [
            ("cluster/kube-apiserver0+strategic.yaml", "kube-apiserver"),
            ("cluster/etcd+merge.json", "etcd"),
            (
                "cluster/kubeletconfiguration+json.yaml",
                "kubeletconfiguration",
            ),
            ("patches/etcd.yaml", "etcd"),
            ("kubeadm-patches/kube-scheduler1.yaml", "kube-scheduler"),
        ] {
            assert_eq!(
                kubeadm_patch(&parts(path)),
                Some(Patch::Kubeadm { target }),
                "{path}"
            );
        }
        for path in [
            "manifests/etcd.yaml",
            "etcd.yaml",
            "cluster/kube-apiserver+other.yaml",
            "patches/nginx.yaml",
            "patches/etcd.yml",
        ] {
            assert_eq!(kubeadm_patch(&parts(path)), None, "{path}");
        }
    }

    #[test]
    fn listed_by_the_kustomization_beside_it() {
        let beside = Siblings::memory(&[(
            "kustomization.yaml",
            "patches:\n  - path: ./deploy.yaml\n    target: {kind: Deployment}\n",
        )]);
        assert_eq!(
            attached("overlay/deploy.yaml", &beside).patch,
            Some(Patch::Kustomize {
                kustomization: "kustomization.yaml".to_string()
            })
        );
        assert_eq!(attached("overlay/other.yaml", &beside).patch, None);
    }

    #[test]
    fn listed_by_a_kustomization_above_it() {
        let above = Siblings::memory(&[(
            "../Kustomization",
            "patchesStrategicMerge:\n  - patches/deploy.yaml\n",
        )]);
        assert_eq!(
            attached("overlay/patches/deploy.yaml", &above).patch,
            Some(Patch::Kustomize {
                kustomization: "../Kustomization".to_string()
            })
        );
        // Too few known directories above the file to place it under the kustomization.
        assert_eq!(attached("deploy.yaml", &above).patch, None);
    }

    #[test]
    fn nothing_known_around_the_file() {
        let model = attached("overlay/deploy.yaml", &Siblings::None);
        assert_eq!(model.patch, None);
        assert!(!model.is_patch());
        // The name alone still tells a kubeadm patch.
        let model = attached("patches/etcd.yaml", &Siblings::None);
        assert!(model.is_patch());
    }

    #[test]
    fn a_file_without_objects_reads_nothing() {
        let source = SourceFile::new("patches/etcd.yaml".to_string(), None, String::new());
        let mut model = super::super::parse(&source.text);
        attach(&mut model, &source, &Siblings::None);
        assert_eq!(model.patch, None);
    }
}
