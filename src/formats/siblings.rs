//! Read access to the files around one being linted: the only place where a lint unit's
//! surroundings are read from disk. Each format's unit builder (`formats/<format>/unit.rs`)
//! reads what its rules need through it before any rule runs, so rules see models only.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Read access to the files beside the one being linted (`.dockerignore`, manifests), never
/// outside the directory and never for writing.
#[derive(Debug, Clone, Default)]
pub enum Siblings {
    /// The file's directory on disk, with what was already looked up there: several rules ask
    /// for the same files (`.env`, override files, `kustomization.yaml`), mostly absent ones.
    Dir(std::path::PathBuf, Memo),
    /// Files given in memory (doc examples and tests): name and content.
    Memory(Vec<(String, String)>),
    /// Nothing is known about the file's surroundings.
    #[default]
    None,
}

/// The sibling lookups of one file, remembered for the rules that follow. Files are linted one
/// thread each, so a `RefCell` is enough.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    reads: RefCell<Vec<(String, Option<String>)>>,
    exists: RefCell<Vec<(String, bool)>>,
    /// What the files of the run share, when the siblings are a run's.
    shared: Option<Arc<Shared>>,
}

/// What every file of one run reads from the same directory, read once for all of them: the
/// YAML files of a directory, which each GitHub workflow reads for the others of its directory
/// (without it, a directory of `n` workflows is read `n` times).
#[derive(Debug, Default)]
pub struct Shared {
    yaml: Mutex<HashMap<PathBuf, YamlFiles>>,
}

/// The YAML files of a directory with their texts, in name order.
pub type YamlFiles = Arc<[(String, String)]>;

impl Siblings {
    /// The siblings of a file in `dir`, on disk.
    pub fn dir(dir: impl Into<std::path::PathBuf>) -> Siblings {
        Siblings::Dir(dir.into(), Memo::default())
    }

    /// Siblings given in memory, as names (paths below the directory) and contents: for the
    /// documentation's examples and tests.
    pub fn memory(files: &[(&str, &str)]) -> Siblings {
        Siblings::Memory(
            files
                .iter()
                .map(|(name, text)| (name.to_string(), text.to_string()))
                .collect(),
        )
    }

    /// The siblings of a file of a run in `dir`, on disk, sharing what the run's files read
    /// alike.
    pub fn dir_in_run(dir: impl Into<std::path::PathBuf>, shared: &Arc<Shared>) -> Siblings {
        Siblings::Dir(
            dir.into(),
            Memo {
                shared: Some(Arc::clone(shared)),
                ..Memo::default()
            },
        )
    }

    /// The YAML files (`.yml`, `.yaml`) of the directory that can be read as text, with their
    /// texts, in name order. Siblings of a run read a directory once for every file of the run.
    pub fn yaml_files(&self) -> YamlFiles {
        let read = || -> YamlFiles {
            self.files_in("")
                .into_iter()
                .filter(|name| {
                    let lower = name.to_ascii_lowercase();
                    lower.ends_with(".yml") || lower.ends_with(".yaml")
                })
                .filter_map(|name| {
                    let text = match self {
                        Siblings::Dir(dir, _) => std::fs::read_to_string(dir.join(&name)).ok(),
                        _ => self.read(&name),
                    }?;
                    Some((name, text))
                })
                .collect()
        };
        match self {
            Siblings::Dir(
                dir,
                Memo {
                    shared: Some(shared),
                    ..
                },
            ) => {
                let mut cache = shared.yaml.lock().unwrap_or_else(|e| e.into_inner());
                Arc::clone(cache.entry(dir.clone()).or_insert_with(read))
            }
            _ => read(),
        }
    }

    /// The content of a sibling file, when it exists and is readable text.
    pub fn read(&self, name: &str) -> Option<String> {
        match self {
            Siblings::Dir(dir, memo) => {
                if let Some((_, text)) = memo.reads.borrow().iter().find(|(n, _)| n == name) {
                    return text.clone();
                }
                let text = std::fs::read_to_string(dir.join(name)).ok();
                memo.reads
                    .borrow_mut()
                    .push((name.to_string(), text.clone()));
                text
            }
            Siblings::Memory(files) => files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| c.clone()),
            Siblings::None => None,
        }
    }

    /// Whether a sibling file or directory exists.
    pub fn exists(&self, name: &str) -> bool {
        match self {
            Siblings::Dir(dir, memo) => {
                if let Some((_, found)) = memo.exists.borrow().iter().find(|(n, _)| n == name) {
                    return *found;
                }
                let found = dir.join(name).exists();
                memo.exists.borrow_mut().push((name.to_string(), found));
                found
            }
            Siblings::Memory(files) => files
                .iter()
                .any(|(n, _)| n == name || n.starts_with(&format!("{name}/"))),
            Siblings::None => false,
        }
    }

    /// The names of the files in a subdirectory (`app.service.d`), or in the directory itself
    /// for `""`, sorted.
    pub fn files_in(&self, sub: &str) -> Vec<String> {
        let mut out: Vec<String> = match self {
            Siblings::Dir(dir, _) => std::fs::read_dir(dir.join(sub))
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                        .filter_map(|e| e.file_name().to_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            Siblings::Memory(files) => files
                .iter()
                .filter_map(|(n, _)| {
                    if sub.is_empty() {
                        (!n.contains('/')).then(|| n.clone())
                    } else {
                        n.strip_prefix(sub)?
                            .strip_prefix('/')
                            .filter(|rest| !rest.contains('/'))
                            .map(str::to_string)
                    }
                })
                .collect(),
            Siblings::None => Vec::new(),
        };
        out.sort();
        out
    }

    /// The names of the entries of the directory that exist (files, directories, and links
    /// that lead to one), sorted: the answers of [`Siblings::exists`] for every plain name.
    pub fn entries(&self) -> Vec<String> {
        let mut out: Vec<String> = match self {
            Siblings::Dir(dir, _) => std::fs::read_dir(dir)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        // A link counts when what it leads to exists, as `exists` follows it.
                        .filter(|e| {
                            e.file_type()
                                .is_ok_and(|t| !t.is_symlink() || e.path().exists())
                        })
                        .filter_map(|e| e.file_name().to_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            Siblings::Memory(files) => files
                .iter()
                .map(|(n, _)| n.split('/').next().unwrap_or(n).to_string())
                .collect(),
            Siblings::None => Vec::new(),
        };
        out.sort();
        out.dedup();
        out
    }

    /// Whether some entry of the directory has a name ending in `suffix` (`.tf`), for markers
    /// that are known by extension rather than by name.
    pub fn any_with_suffix(&self, suffix: &str) -> bool {
        match self {
            Siblings::Dir(dir, _) => std::fs::read_dir(dir).is_ok_and(|entries| {
                entries.filter_map(Result::ok).any(|e| {
                    e.file_name()
                        .to_str()
                        .is_some_and(|n| n.len() > suffix.len() && n.ends_with(suffix))
                })
            }),
            Siblings::Memory(files) => files.iter().any(|(n, _)| {
                let top = n.split('/').next().unwrap_or(n);
                top.len() > suffix.len() && top.ends_with(suffix)
            }),
            Siblings::None => false,
        }
    }
}
