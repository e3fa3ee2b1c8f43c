//! The context of a run: the files around the targets that the targets' rules read facts of.
//!
//! The paths given on the command line are the targets, and only they are reported on. A
//! Kubernetes manifest's rules read the NetworkPolicies, PodDisruptionBudgets and autoscalers of
//! the whole repository, a Kestra flow's the flows that watch failures, and a Terraform file's
//! the other files of its module (and which modules use others or define a budget). When
//! pre-commit passes only the changed files, those facts live in files that were not given; so
//! they are read from the context root of each target: the nearest ancestor directory that
//! holds `.git`, else the target's own directory (a file's parent). The context obeys the
//! excludes, is never reported on, and is only walked when a target needs it.

use std::path::{Path, PathBuf};

use super::{Candidate, NameClass};
use crate::formats::Format;
use crate::paths::absolute_in;

/// What the targets need from their context.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// A target may be a Kubernetes manifest or a Kestra flow: the run-wide facts are needed.
    pub facts: bool,
    /// A target is a Terraform file: the other files of its module are needed, and what every
    /// module of the repository says of budgets and local module sources.
    pub terraform: bool,
}

impl Needs {
    /// What the candidates found among the targets need.
    pub fn of(targets: &[Candidate]) -> Needs {
        let mut needs = Needs::default();
        for target in targets {
            match target.class {
                NameClass::Yaml | NameClass::Format(Format::K8s | Format::Kestra) => {
                    needs.facts = true;
                }
                NameClass::Format(Format::Terraform) => needs.terraform = true,
                NameClass::Format(_) => {}
            }
        }
        needs
    }

    /// Whether a file of the context, by its name, can give something the targets need.
    fn wants(self, class: NameClass) -> bool {
        match class {
            NameClass::Yaml | NameClass::Format(Format::K8s | Format::Kestra) => self.facts,
            NameClass::Format(Format::Terraform) => self.terraform,
            NameClass::Format(_) => false,
        }
    }

    fn any(self) -> bool {
        self.facts || self.terraform
    }
}

/// The context roots of the paths given, absolute and lexically normalized: each path's nearest
/// ancestor directory holding `.git` (a directory, or a file as in a worktree), else the path
/// itself for a directory and its parent for a file. A root inside another root is left out.
pub fn roots(paths: &[PathBuf], cwd: &Path) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|path| {
            let absolute = absolute_in(cwd, path);
            let start = if absolute.is_dir() {
                absolute
            } else {
                absolute.parent()?.to_path_buf()
            };
            let repository = start
                .ancestors()
                .find(|dir| dir.join(".git").symlink_metadata().is_ok())
                .map(Path::to_path_buf);
            Some(repository.unwrap_or(start))
        })
        .collect();
    roots.sort();
    roots.dedup();
    let all = roots.clone();
    roots.retain(|root| {
        !all.iter()
            .any(|other| other != root && root.starts_with(other))
    });
    roots
}

/// The files under the context `roots` (see [`roots`]) that the targets need and that are not
/// targets themselves, marked as context; `cwd` is what relative paths are read against.
/// Nothing is walked when the targets need nothing, or when every root is a directory given as
/// a target (its files are all targets already). Problems met in the context walk are left
/// out: the context is read for facts, never reported on.
pub fn walk(
    paths: &[PathBuf],
    roots: &[PathBuf],
    cwd: &Path,
    targets: &[Candidate],
    excluded: impl Fn(&Path) -> bool,
) -> Vec<Candidate> {
    let needs = Needs::of(targets);
    if !needs.any() {
        return Vec::new();
    }
    let given: Vec<PathBuf> = paths.iter().map(|p| absolute_in(cwd, p)).collect();
    let roots: Vec<PathBuf> = roots
        .iter()
        .filter(|root| !(given.contains(root) && root.is_dir()))
        .cloned()
        .collect();
    if roots.is_empty() {
        return Vec::new();
    }
    let mut known: Vec<PathBuf> = targets.iter().map(|t| absolute_in(cwd, &t.path)).collect();
    known.sort_unstable();
    let (found, _problems) = super::walk(&roots);
    found
        .into_iter()
        .filter(|c| needs.wants(c.class))
        .filter(|c| known.binary_search(&absolute_in(cwd, &c.path)).is_err())
        .filter(|c| !excluded(&c.path))
        .map(|c| Candidate { context: true, ..c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_outside_a_repository_has_its_directory_as_root() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("infra/modules"))?;
        std::fs::write(dir.path().join("infra/main.tf"), "")?;
        let roots = roots(&[PathBuf::from("infra/main.tf")], dir.path());
        assert_eq!(roots, vec![dir.path().join("infra")]);
        Ok(())
    }

    #[test]
    fn a_repository_root_covers_the_paths_inside_it() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("repo/.git"))?;
        std::fs::create_dir_all(dir.path().join("repo/infra/net"))?;
        std::fs::write(dir.path().join("repo/infra/net/main.tf"), "")?;
        let roots = roots(
            &[
                PathBuf::from("repo/infra/net/main.tf"),
                PathBuf::from("repo/infra"),
                PathBuf::from("./repo/infra/../infra/net"),
            ],
            dir.path(),
        );
        assert_eq!(roots, vec![dir.path().join("repo")]);
        Ok(())
    }

    #[test]
    fn a_git_file_marks_a_worktree() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("wt/k8s"))?;
        std::fs::write(dir.path().join("wt/.git"), "gitdir: elsewhere\n")?;
        let roots = roots(&[PathBuf::from("wt/k8s")], dir.path());
        assert_eq!(roots, vec![dir.path().join("wt")]);
        Ok(())
    }

    #[test]
    fn only_formats_with_cross_file_facts_need_a_context() {
        let candidate = |name: &str, class| Candidate::at(PathBuf::from(name), class);
        let docker = candidate("Dockerfile", NameClass::Format(Format::Docker));
        let terraform = candidate("main.tf", NameClass::Format(Format::Terraform));
        let yaml = candidate("deploy.yaml", NameClass::Yaml);
        assert_eq!(Needs::of(std::slice::from_ref(&docker)), Needs::default());
        let needs = Needs::of(&[docker, terraform]);
        assert!(needs.terraform && !needs.facts);
        assert!(!needs.wants(NameClass::Yaml));
        let needs = Needs::of(&[yaml]);
        assert!(needs.facts && !needs.terraform);
        assert!(!needs.wants(NameClass::Format(Format::Compose)));
    }
}
