//! The lint unit of a pipeline: the file and the local files it includes or calls. Read once, before any rule runs, so
//! that the rules judge models only.
//!
//! A GitLab `.gitlab-ci.yml` brings the local files it includes (recursively). A GitHub workflow
//! brings the other workflows of its directory (the local reusable workflows its jobs call are
//! among them) and the local composite actions that its steps, the steps of the workflows it
//! calls and the steps of those actions use. Paths in `uses: ./…` are relative to the
//! repository root, which for a file under `.github/` is found from its own path.

use super::{CiFile, Flavor, Step, Target, Uses};
use crate::formats::siblings::{Siblings, YamlFiles};
use crate::formats::yaml::{self, Node};
use crate::source::{SourceFile, Span};
use std::sync::OnceLock;

/// What was read around a pipeline file; empty when nothing is known of its surroundings.
#[derive(Debug, Default)]
pub struct Surroundings {
    /// GitLab root file: the local files it includes and the files they include, each with the
    /// root's include entry it came through.
    pub included: Vec<Included>,
    /// GitLab root file: whether the pipeline also takes configuration from files that are not
    /// read here: remote files, other projects' files, CI/CD components, deep globs, paths with
    /// variables, local files that cannot be read, or more files than are read at most.
    /// GitLab's own `template:` files are known by name and do not count.
    pub unseen: bool,
    /// GitHub workflow: the local reusable workflows its jobs call (and those they call).
    pub workflows: Vec<Neighbour>,
    /// GitHub workflow: the workflows of its directory as read (its own among them), in name
    /// order, read once per run for the whole directory; the others are parsed on first use
    /// (see [`Surroundings::neighbours`]), as few rules look at them.
    listing: YamlFiles,
    /// The workflow's own file name, left out of `listing`'s neighbours.
    own: String,
    neighbours: OnceLock<Vec<Neighbour>>,
    /// GitHub: the local composite actions used by the file's steps, by the steps of the
    /// workflows it calls and by the steps of those actions.
    pub actions: Vec<LocalAction>,
    /// GitHub: the `packageManager` field of the repository's root `package.json`, read when a
    /// step sets up Node.js.
    pub package_manager: Option<String>,
}

/// A local file that a GitLab pipeline includes.
#[derive(Debug)]
pub struct Included {
    /// The root file's include entry it comes through.
    pub entry: Span,
    /// Its path from the project root.
    pub path: String,
    pub file: CiFile,
}

/// A workflow of a GitHub workflow's directory.
#[derive(Debug)]
pub struct Neighbour {
    /// Its file name.
    pub name: String,
    pub file: CiFile,
}

/// A local action that a step uses (`uses: ./path`), looked for in the repository.
#[derive(Debug)]
pub struct LocalAction {
    /// Its directory from the repository root, as the steps name it without `./`.
    pub path: String,
    /// Its `action.yml` (or `action.yaml`); `None` when neither could be read.
    pub file: Option<CiFile>,
}

impl Surroundings {
    /// The workflows of the directory but the file's own.
    fn others(&self) -> impl Iterator<Item = &(String, String)> {
        self.listing.iter().filter(|(name, _)| *name != self.own)
    }

    /// The other workflows of a GitHub workflow's directory (`.yml` and `.yaml` files), in name
    /// order.
    pub fn neighbours(&self) -> &[Neighbour] {
        self.neighbours.get_or_init(|| {
            self.others()
                .map(|(name, text)| Neighbour {
                    name: name.clone(),
                    file: super::parse(&format!(".github/workflows/{name}"), text),
                })
                .collect()
        })
    }

    /// The local reusable workflow a `uses:` of a job calls (`./.github/workflows/x.yml`),
    /// when it was read.
    pub fn workflow(&self, uses: &Uses) -> Option<&CiFile> {
        let name = called_workflow_name(uses)?;
        self.workflows
            .iter()
            .find(|w| w.name == name)
            .map(|w| &w.file)
    }

    /// The composite action a step's `uses: ./path` names, when it was read.
    pub fn action(&self, uses: &Uses) -> Option<&CiFile> {
        let path = local_action_path(uses)?;
        self.actions
            .iter()
            .find(|a| a.path == path)
            .and_then(|a| a.file.as_ref())
    }
}

/// How many included files, called workflows or local actions are read at most.
const MAX_LOCAL: usize = 32;

/// Read what the unit needs from around the file into its model.
pub fn attach(model: &mut CiFile, source: &SourceFile, siblings: &Siblings) {
    match model.flavor {
        // An included file is a part of a pipeline whose other files it does not see: only the
        // root file brings its includes.
        Flavor::Gitlab if is_gitlab_root(&source.name) => {
            let (included, unseen) = included(model, siblings);
            model.unit.included = included;
            model.unit.unseen = unseen;
        }
        Flavor::Gitlab => {}
        Flavor::Workflow | Flavor::Action => github(model, &source.name, siblings),
    }
}

/// Whether a GitLab file is the project's `.gitlab-ci.yml` (not a file it includes, whose
/// jobs merge with others it does not see).
pub fn is_gitlab_root(name: &str) -> bool {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    file.eq_ignore_ascii_case(".gitlab-ci.yml") || file.eq_ignore_ascii_case(".gitlab-ci.yaml")
}

/// The local includes of a GitLab root file, recursively; whether some cannot be read.
fn included(file: &CiFile, siblings: &Siblings) -> (Vec<Included>, bool) {
    let mut out = Vec::new();
    let mut queue: Vec<(Span, String)> = Vec::new();
    let mut unseen = include_targets(file, None, siblings, &mut queue);
    let mut seen: Vec<String> = Vec::new();
    while let Some((entry, path)) = queue.pop() {
        if seen.contains(&path) {
            continue;
        }
        if seen.len() >= MAX_LOCAL {
            unseen = true;
            break;
        }
        seen.push(path.clone());
        let Some(text) = siblings.read(&path) else {
            unseen = true;
            continue;
        };
        let child = super::parse(&path, &text);
        unseen |= include_targets(&child, Some(entry), siblings, &mut queue);
        out.push(Included {
            entry,
            path,
            file: child,
        });
    }
    (out, unseen)
}

/// Queue the readable local includes of a file (`via`: the root's entry they come through);
/// whether some include cannot be read.
fn include_targets(
    file: &CiFile,
    via: Option<Span>,
    siblings: &Siblings,
    queue: &mut Vec<(Span, String)>,
) -> bool {
    let Some(include) = file.get("include") else {
        return false;
    };
    let items: Vec<&Node> = match include.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![include],
    };
    let mut unseen = false;
    for item in items {
        let local = match item.as_map() {
            Some(_) if item.get("template").is_some() => continue,
            Some(_) => item.get("local"),
            None => Some(item),
        };
        let Some(node) = local.filter(|n| n.as_str().is_some()) else {
            unseen = true;
            continue;
        };
        let local = node.as_str().unwrap_or("").trim();
        let path = local.trim_start_matches('/');
        let entry = via.unwrap_or(node.span);
        if local.contains("://") || path.is_empty() || path.contains(['$', '?', '[', '{']) {
            unseen = true;
            continue;
        }
        if path.contains('*') {
            match expand(path, siblings) {
                Some(paths) => queue.extend(paths.into_iter().map(|p| (entry, p))),
                None => unseen = true,
            }
            continue;
        }
        queue.push((entry, path.to_string()));
    }
    unseen
}

/// The files a `dir/*.yml` include names (one `*`, in the file name only); `None` for other
/// globs.
fn expand(pattern: &str, siblings: &Siblings) -> Option<Vec<String>> {
    let (dir, name) = pattern.rsplit_once('/').unwrap_or(("", pattern));
    let (prefix, suffix) = name.split_once('*')?;
    if dir.contains('*') || suffix.contains('*') {
        return None;
    }
    Some(
        siblings
            .files_in(dir)
            .into_iter()
            .filter(|f| f.len() >= prefix.len() + suffix.len())
            .filter(|f| f.starts_with(prefix) && f.ends_with(suffix))
            .map(|f| {
                if dir.is_empty() {
                    f
                } else {
                    format!("{dir}/{f}")
                }
            })
            .collect(),
    )
}

/// The file name of the local reusable workflow a job's `uses:` calls: a file directly in
/// `.github/workflows/`, where GitHub looks for them.
fn called_workflow_name(uses: &Uses) -> Option<&str> {
    let Target::Local(path) = &uses.target else {
        return None;
    };
    let name = path.strip_prefix("./").unwrap_or(path);
    let name = name.strip_prefix(".github/workflows/")?;
    (!name.contains('/')).then_some(name)
}

/// The directory of the local action a step's `uses: ./path` names, from the repository root
/// (`.github/actions/setup`); `None` for paths that leave the repository or are not literal.
fn local_action_path(uses: &Uses) -> Option<String> {
    let Target::Local(path) = &uses.target else {
        return None;
    };
    let path = path.strip_prefix("./")?.trim_end_matches('/');
    let literal = !path.is_empty()
        && !path.contains(['$', '\\', '@'])
        && path.split('/').all(|p| !p.is_empty() && p != "..");
    literal.then(|| path.to_string())
}

/// The repository root as seen from the directory of a file under `.github/` (`../../` for a
/// workflow); `None` for a file elsewhere, whose root is not known from its path.
fn root_prefix(name: &str) -> Option<String> {
    let name = name.replace('\\', "/");
    let at = name.rfind(".github/")?;
    let depth = name.get(at..).map_or(0, |rest| rest.matches('/').count());
    Some("../".repeat(depth))
}

/// A file read and parsed while looking through local calls.
#[derive(Clone, Copy)]
enum Found {
    Root,
    Workflow(usize),
    Action(usize),
}

/// Read the other workflows of a GitHub workflow's directory, the local actions and
/// reusable workflows the file reaches, and the root `package.json` when Node.js is set up.
fn github(model: &mut CiFile, name: &str, siblings: &Siblings) {
    let mut unit = Surroundings::default();
    if model.flavor == Flavor::Workflow {
        let own = name.rsplit(['/', '\\']).next().unwrap_or("");
        unit.listing = siblings.yaml_files();
        unit.own = own.to_string();
    }
    let root = root_prefix(name);
    let mut queue = vec![Found::Root];
    let mut setup_node = false;
    // The workflows whose calls are followed (a called workflow may call others).
    let mut followed: Vec<usize> = Vec::new();
    while let Some(found) = queue.pop() {
        let file = match found {
            Found::Root => &*model,
            Found::Workflow(i) => match unit.workflows.get(i) {
                Some(w) => &w.file,
                None => continue,
            },
            Found::Action(i) => match unit.actions.get(i).and_then(|a| a.file.as_ref()) {
                Some(f) => f,
                None => continue,
            },
        };
        setup_node |=
            steps(file).any(|s| s.uses.as_ref().is_some_and(|u| u.is("actions/setup-node")));
        let calls: Vec<String> = if model.flavor == Flavor::Workflow {
            file.jobs
                .iter()
                .filter_map(|j| j.uses.as_ref().and_then(called_workflow_name))
                .map(str::to_string)
                .collect()
        } else {
            Vec::new()
        };
        let actions: Vec<String> = steps(file)
            .filter_map(|s| s.uses.as_ref().and_then(local_action_path))
            .collect();
        for call in calls {
            let at = match unit.workflows.iter().position(|w| w.name == call) {
                Some(at) => at,
                None => {
                    // A workflow that calls itself is not followed.
                    let own = name.rsplit(['/', '\\']).next().unwrap_or("");
                    if call == own || unit.workflows.len() >= MAX_LOCAL {
                        continue;
                    }
                    // Read by name as GitHub finds it, whether or not the listing has it.
                    let text = match unit.others().find(|(n, _)| *n == call) {
                        Some((_, text)) => Some(text.clone()),
                        None => siblings.read(&call),
                    };
                    let Some(text) = text else {
                        continue;
                    };
                    unit.workflows.push(Neighbour {
                        file: super::parse(&format!(".github/workflows/{call}"), &text),
                        name: call,
                    });
                    unit.workflows.len() - 1
                }
            };
            if !followed.contains(&at) {
                followed.push(at);
                queue.push(Found::Workflow(at));
            }
        }
        let Some(root) = &root else {
            continue;
        };
        for path in actions {
            if unit.actions.iter().any(|a| a.path == path) {
                continue;
            }
            if unit.actions.len() >= MAX_LOCAL {
                break;
            }
            let text = ["action.yml", "action.yaml"]
                .iter()
                .find_map(|f| siblings.read(&format!("{root}{path}/{f}")));
            let file = text.map(|t| super::parse(&format!("{path}/action.yml"), &t));
            unit.actions.push(LocalAction { path, file });
            queue.push(Found::Action(unit.actions.len() - 1));
        }
    }
    if setup_node {
        unit.package_manager = package_manager(name, siblings);
    }
    model.unit = unit;
}

/// Every step of a file: its jobs' and a composite action's.
fn steps(file: &CiFile) -> impl Iterator<Item = &Step> {
    file.jobs
        .iter()
        .flat_map(|j| j.steps.iter())
        .chain(file.steps.iter())
}

/// The `packageManager` field of the repository's root `package.json` (beside the file when it
/// is not under `.github/`).
fn package_manager(name: &str, siblings: &Siblings) -> Option<String> {
    let path = format!("{}package.json", root_prefix(name).unwrap_or_default());
    let text = siblings.read(&path)?;
    let stream = yaml::parse(&text);
    let root = stream.documents.into_iter().find_map(|d| d.root)?;
    root.get("packageManager")?.as_str().map(str::to_string)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn unit(name: &str, text: &str, siblings: &Siblings) -> CiFile {
        let source = SourceFile::new(name.to_string(), None, text.to_string());
        let mut model = super::super::parse(name, text);
        attach(&mut model, &source, siblings);
        model
    }

    #[test]
    fn reads_local_includes() {
        let root = ".gitlab-ci.yml";
        let siblings = Siblings::Memory(vec![
            (
                "ci/build.yml".into(),
                "include: ci/more.yml\nbuild:\n  script: [docker build .]\n".into(),
            ),
            ("ci/more.yml".into(), "x:\n  script: [trivy fs .]\n".into()),
        ]);
        let found = unit(
            root,
            "include:\n  - local: ci/build.yml\n  - template: Security/SAST.gitlab-ci.yml\njob:\n  script: [make]\n",
            &siblings,
        );
        assert!(!found.unit.unseen);
        let paths: Vec<&str> = found
            .unit
            .included
            .iter()
            .map(|i| i.path.as_str())
            .collect();
        assert_eq!(paths, ["ci/build.yml", "ci/more.yml"]);
        let glob = unit(root, "include: '/ci/*.yml'\n", &siblings);
        assert!(!glob.unit.unseen);
        assert_eq!(glob.unit.included.len(), 2);
        assert!(
            unit(root, "include: 'ci/**/*.yml'\n", &siblings)
                .unit
                .unseen
        );
        let remote = "include:\n  - project: group/templates\n    file: docker.yml\n";
        assert!(unit(root, remote, &siblings).unit.unseen);
        // An included file does not bring the files it includes: its pipeline is its root's.
        let child = unit("ci/build.yml", "include: ci/more.yml\n", &siblings);
        assert!(child.unit.included.is_empty() && !child.unit.unseen);
        // Nothing is known without surroundings: the local include is unseen.
        let bare = unit(root, "include: ci/build.yml\n", &Siblings::None);
        assert!(bare.unit.included.is_empty() && bare.unit.unseen);
    }

    const CALLER: &str = "on: push\njobs:\n  test:\n    uses: ./.github/workflows/tests.yml\n  ship:\n    needs: [test]\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/setup\n      - uses: ./.github/actions/missing\n";

    #[test]
    fn reads_called_workflows_and_local_actions() {
        let siblings = Siblings::Memory(vec![
            (
                "tests.yml".into(),
                "on: workflow_call\njobs:\n  unit:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/test/\n".into(),
            ),
            ("notes.txt".into(), "not a workflow".into()),
            (
                "../../.github/actions/setup/action.yml".into(),
                "runs:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v5\n    - uses: ./.github/actions/setup\n".into(),
            ),
            (
                "../../.github/actions/test/action.yaml".into(),
                "runs:\n  using: composite\n  steps:\n    - run: npm test\n      shell: bash\n".into(),
            ),
            ("../../package.json".into(), r#"{"packageManager": "pnpm@9.1.0"}"#.into()),
        ]);
        let file = unit(".github/workflows/ci.yml", CALLER, &siblings);
        let names: Vec<&str> = file
            .unit
            .workflows
            .iter()
            .map(|w| w.name.as_str())
            .collect();
        assert_eq!(names, ["tests.yml"]);
        let called = file
            .unit
            .workflow(file.jobs[0].uses.as_ref().unwrap())
            .unwrap();
        assert_eq!(called.jobs[0].id.value, "unit");
        let paths: Vec<(&str, bool)> = file
            .unit
            .actions
            .iter()
            .map(|a| (a.path.as_str(), a.file.is_some()))
            .collect();
        assert_eq!(
            paths,
            [
                (".github/actions/setup", true),
                (".github/actions/missing", false),
                (".github/actions/test", true),
            ]
        );
        let setup = file.jobs[1].steps[0].uses.as_ref().unwrap();
        assert_eq!(file.unit.action(setup).unwrap().steps.len(), 2);
        assert_eq!(file.unit.package_manager.as_deref(), Some("pnpm@9.1.0"));
        // A composite action under `.github/` finds the repository root from its own path.
        let action = unit(
            ".github/actions/outer/action.yml",
            "runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/setup\n",
            &Siblings::Memory(vec![(
                "../../../.github/actions/setup/action.yml".into(),
                "runs:\n  using: composite\n  steps: []\n".into(),
            )]),
        );
        let read: Vec<(&str, bool)> = action
            .unit
            .actions
            .iter()
            .map(|a| (a.path.as_str(), a.file.is_some()))
            .collect();
        assert_eq!(read, [(".github/actions/setup", true)]);
    }

    #[test]
    fn nothing_is_read_without_surroundings() {
        let file = unit(".github/workflows/ci.yml", CALLER, &Siblings::None);
        assert!(file.unit.workflows.is_empty() && file.unit.neighbours().is_empty());
        assert!(file.unit.actions.iter().all(|a| a.file.is_none()));
        assert!(file.unit.package_manager.is_none());
    }
}
