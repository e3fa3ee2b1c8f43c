//! infralint: a fast, read-only linter for infrastructure files.
//!
//! The pipeline: discover files, parse each into a model with byte spans, run the format's
//! rules, report. Nothing flows back, and files are independent.

pub mod baseline;
pub mod cli;
pub mod config;
pub(crate) mod discover;
pub mod engine;
pub mod error;
pub mod finding;
pub mod formats;
pub mod fuzzing;
pub mod report;
pub mod resources;
pub mod rules;
pub mod source;
pub mod suppress;

pub use config::Settings;
pub use engine::{Selection, lint_source};
pub use error::Error;
pub use finding::{Finding, Severity};
pub use formats::Format;
pub use source::{SourceFile, Span};

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use discover::{Candidate, NameClass};
use formats::Parsed;
use rules::{RunFacts, Siblings};

/// Files larger than this are not read; they get one `infralint/parse-error` finding.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// How much of an oversized YAML file is read to decide what it is.
const CLASSIFY_HEAD: u64 = 64 * 1024;

/// How much of a Terraform state file is read: the file itself is the finding, its content is
/// not linted.
const STATE_HEAD: u64 = 4 * 1024;

/// The outcome of a run: every classified file with its findings, and the fatal problems.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by display path.
    pub files: Vec<FileResult>,
    /// Missing paths, unreadable files and directories; each makes the exit code 2.
    pub errors: Vec<Error>,
    /// What a `--baseline` did, when one was used.
    pub baseline: Option<baseline::Outcome>,
    /// The estimated-resources summary of the compose services and Kubernetes workloads.
    pub resources: resources::Resources,
}

/// One infrastructure file.
#[derive(Debug)]
pub struct FileResult {
    pub source: SourceFile,
    pub format: Format,
    /// Whether infralint could look inside: false for formats whose parser does not exist yet.
    pub linted: bool,
    /// Sorted by span, then rule id.
    pub findings: Vec<Finding>,
    /// The ids of the rules that ran on the file, sorted.
    pub rules: Vec<&'static str>,
}

impl Report {
    /// Every finding with the file it is in, in output order.
    pub fn findings(&self) -> impl Iterator<Item = (&FileResult, &Finding)> {
        self.files
            .iter()
            .flat_map(|file| file.findings.iter().map(move |f| (file, f)))
    }

    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings()
            .filter(|(_, f)| f.severity == severity)
            .count()
    }

    /// Number of files whose content was linted.
    pub fn linted_files(&self) -> usize {
        self.files.iter().filter(|f| f.linted).count()
    }
}

/// Lint every infrastructure file under `paths`: read and parse every file, gather the facts
/// that rules read across files (catalog §1.10), then run the rules on each file.
pub fn lint_paths(paths: &[PathBuf], settings: &Settings) -> Report {
    let (mut candidates, mut errors) = discover::walk(paths);
    candidates.retain(|c| !settings.is_excluded(&c.path));
    let loaded: Vec<Result<Option<ParsedFile>, Error>> = candidates
        .par_iter()
        .map(|candidate| {
            let Some(loaded) = load(candidate)? else {
                return Ok(None);
            };
            // Terraform modules are parsed as a whole once they are grouped.
            let parsed = match loaded.problem {
                None if !is_module_member(&loaded) => formats::parse(loaded.format, &loaded.source),
                _ => None,
            };
            Ok(Some((loaded, parsed)))
        })
        .collect();
    let mut parsed_files = Vec::new();
    for result in loaded {
        match result {
            Ok(Some(file)) => parsed_files.push(file),
            Ok(None) => {}
            Err(err) => errors.push(err),
        }
    }
    let mut facts = RunFacts::default();
    for parsed in parsed_files.iter().filter_map(|(_, p)| p.as_ref()) {
        facts.collect(parsed);
    }
    let resources = resources::collect(
        parsed_files
            .iter()
            .filter_map(|(l, p)| Some((l.source.name.as_str(), p.as_ref()?))),
    );
    let jobs = group_modules(parsed_files);
    let results: Vec<Vec<FileResult>> = jobs
        .into_par_iter()
        .map(|job| match job {
            Job::File(file) => {
                let (loaded, parsed) = *file;
                vec![lint_loaded(loaded, parsed.as_ref(), &facts, settings)]
            }
            Job::Module {
                dir,
                files,
                child,
                budget,
            } => lint_terraform_module(dir, files, child, budget, settings),
        })
        .collect();
    let mut files: Vec<FileResult> = results.into_iter().flatten().collect();
    files.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    Report {
        files,
        errors,
        baseline: None,
        resources,
    }
}

/// The format of a file from its path and content, as discovery decides it (`None`: not an
/// infrastructure file).
pub fn classify(path: &Path, text: &str) -> Option<Format> {
    match discover::classify_name(path)? {
        NameClass::Format(format) => Some(format),
        NameClass::Yaml if discover::GitlabIncludes::default().includes(path) => Some(Format::Ci),
        NameClass::Yaml => discover::classify_yaml_file(path, text),
    }
}

/// What is linted as one piece: a file, or the files of a Terraform module.
enum Job {
    File(Box<ParsedFile>),
    Module {
        dir: PathBuf,
        files: Vec<Loaded>,
        child: bool,
        /// Some module of the run defines a budget.
        budget: bool,
    },
}

/// Group Terraform configuration and variable files by directory into modules; everything else
/// (state files and files that could not be read as text included) stays a file of its own.
/// A module is a child when another module of the run uses its directory as a local `source`
/// or when it sits under a `modules/` directory.
fn group_modules(files: Vec<ParsedFile>) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut modules: Vec<(PathBuf, Vec<Loaded>)> = Vec::new();
    for (file, parsed) in files {
        let dir = file.source.dir().map(normalize);
        match dir {
            Some(dir) if is_module_member(&file) => {
                match modules.iter_mut().find(|(d, _)| *d == dir) {
                    Some((_, members)) => members.push(file),
                    None => modules.push((dir, vec![file])),
                }
            }
            _ => jobs.push(Job::File(Box::new((file, parsed)))),
        }
    }
    let budget = modules.iter().flat_map(|(_, m)| m).any(|m| {
        let text = &m.source.text;
        [
            "aws_budgets_budget",
            "google_billing_budget",
            "azurerm_consumption_budget_",
        ]
        .iter()
        .any(|ty| text.contains(ty))
    });
    let mut referenced = std::collections::HashSet::new();
    for (dir, members) in &modules {
        for member in members {
            for local in formats::terraform::scan_local_sources(&member.source.text) {
                let target = normalize(&dir.join(local));
                if target != *dir {
                    referenced.insert(target);
                }
            }
        }
    }
    for (dir, members) in modules {
        let under_modules = members.first().is_some_and(|m| {
            Path::new(&m.source.name)
                .parent()
                .is_some_and(|p| p.components().any(|c| c.as_os_str() == "modules"))
        });
        let child = under_modules || referenced.contains(&dir);
        jobs.push(Job::Module {
            dir,
            files: members,
            child,
            budget,
        });
    }
    jobs
}

/// A path with `.` and `..` components resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                let last_is_normal = matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                );
                if last_is_normal {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn lint_terraform_module(
    dir: PathBuf,
    files: Vec<Loaded>,
    child: bool,
    budget: bool,
    settings: &Settings,
) -> Vec<FileResult> {
    let sources: Vec<SourceFile> = files.into_iter().map(|f| f.source).collect();
    let selections: Vec<Selection> = sources
        .iter()
        .map(|s| settings.selection_for(s.path.as_deref()))
        .collect();
    let unit = engine::Unit {
        sources: &sources,
        child,
        run_has_budget: budget,
    };
    let findings = engine::lint_module(&unit, &Siblings::dir(dir), settings, &selections);
    sources
        .into_iter()
        .zip(findings)
        .zip(selections)
        .map(|((source, findings), selection)| FileResult {
            source,
            format: Format::Terraform,
            linted: true,
            findings,
            rules: enabled_rules(Format::Terraform, &selection),
        })
        .collect()
}

/// A Terraform configuration or variable file that could be read: linted with its module.
fn is_module_member(file: &Loaded) -> bool {
    file.format == Format::Terraform
        && file.problem.is_none()
        && formats::terraform::FileKind::of(&file.source.name)
            != formats::terraform::FileKind::State
}

/// The infrastructure files under `paths` and their formats, without linting them.
pub fn discover_files(
    paths: &[PathBuf],
    settings: &Settings,
) -> (Vec<(String, Format)>, Vec<Error>) {
    let (mut candidates, mut errors) = discover::walk(paths);
    candidates.retain(|c| !settings.is_excluded(&c.path));
    let results: Vec<Result<Option<(String, Format)>, Error>> = candidates
        .par_iter()
        .map(|candidate| Ok(load(candidate)?.map(|l| (l.source.name, l.format))))
        .collect();
    let mut files = Vec::new();
    for result in results {
        match result {
            Ok(Some(file)) => files.push(file),
            Ok(None) => {}
            Err(err) => errors.push(err),
        }
    }
    (files, errors)
}

/// A file read and parsed (no model when its content could not be taken as text).
type ParsedFile = (Loaded, Option<Parsed>);

/// A file that was read and classified. `problem` is set when its content could not be taken
/// as text (too large, not UTF-8); `source` then holds what can be shown.
struct Loaded {
    source: SourceFile,
    format: Format,
    problem: Option<Finding>,
}

/// The ids of the rules that run on a file of a format.
fn enabled_rules(format: Format, selection: &Selection) -> Vec<&'static str> {
    rules::all()
        .into_iter()
        .filter(|r| (r.format() == Some(format) || r.format().is_none()) && selection.enables(r))
        .map(|r| r.id)
        .collect()
}

fn lint_loaded(
    loaded: Loaded,
    parsed: Option<&Parsed>,
    facts: &RunFacts,
    settings: &Settings,
) -> FileResult {
    let Loaded {
        source,
        format,
        problem,
    } = loaded;
    let linted = format.has_parser();
    let selection = settings.selection_for(source.path.as_deref());
    let parse_error_enabled = selection.enables(&rules::infralint::PARSE_ERROR);
    let findings = match (problem, parsed) {
        (Some(problem), _) if parse_error_enabled => {
            let mut findings = vec![problem];
            settings.override_severities(&mut findings);
            findings
        }
        (Some(_), _) | (None, None) => Vec::new(),
        (None, Some(parsed)) => {
            let siblings = source.dir().map_or(Siblings::None, Siblings::dir);
            engine::lint_parsed(&source, parsed, &siblings, &selection, facts, settings)
        }
    };
    let rules = if linted {
        enabled_rules(format, &selection)
    } else {
        Vec::new()
    };
    FileResult {
        source,
        format,
        linted,
        findings,
        rules,
    }
}

/// Read a candidate once and decide its format. `Ok(None)`: not infrastructure after all.
fn load(candidate: &Candidate) -> Result<Option<Loaded>, Error> {
    let path = &candidate.path;
    let io_error = |source| Error::Io {
        path: path.clone(),
        source,
    };
    if candidate.class == NameClass::Format(Format::Terraform)
        && formats::terraform::FileKind::of(&candidate.display)
            == formats::terraform::FileKind::State
    {
        let head = read_head(path, STATE_HEAD).map_err(io_error)?;
        let valid = match std::str::from_utf8(&head) {
            Ok(text) => text,
            Err(err) => head
                .get(..err.valid_up_to())
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or(""),
        };
        return Ok(Some(Loaded {
            source: SourceFile::new(
                candidate.display.clone(),
                Some(path.clone()),
                valid.to_string(),
            ),
            format: Format::Terraform,
            problem: None,
        }));
    }
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    // The limit is checked before reading, and again on what is read, for a file that grows.
    let read = if size > MAX_FILE_SIZE {
        None
    } else {
        read_capped(path, MAX_FILE_SIZE).map_err(io_error)?
    };
    let Some(mut bytes) = read else {
        let message = if size > MAX_FILE_SIZE {
            format!(
                "file is {size} bytes, over the {} MiB size limit, and was not read",
                MAX_FILE_SIZE / (1024 * 1024)
            )
        } else {
            format!(
                "file grew over the {} MiB size limit while it was read, and was not linted",
                MAX_FILE_SIZE / (1024 * 1024)
            )
        };
        return unreadable_content(candidate, &message, || {
            read_head(path, CLASSIFY_HEAD).map(|head| String::from_utf8_lossy(&head).into_owned())
        })
        .map_err(io_error);
    };
    // A UTF-8 byte-order mark says how the file is encoded; it is not part of the content.
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    if let Some(big_endian) = utf16_bom(&bytes) {
        let message = "file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8";
        return unreadable_content(candidate, message, || Ok(decode_utf16(&bytes, big_endian)))
            .map_err(io_error);
    }
    let (text, problem) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let mut bytes = err.into_bytes();
            bytes.truncate(offset);
            // The prefix is valid UTF-8 by construction; the lossy call never replaces anything.
            let prefix = String::from_utf8_lossy(&bytes).into_owned();
            (prefix, Some(offset))
        }
    };
    let format = match candidate.class {
        NameClass::Format(format) => format,
        NameClass::Yaml => match discover::classify_yaml_file(path, &text) {
            Some(format) => format,
            None => return Ok(None),
        },
    };
    let source = SourceFile::new(candidate.display.clone(), Some(path.clone()), text);
    let problem = problem.map(|offset| {
        let line = source
            .line_col(u32::try_from(offset).unwrap_or(u32::MAX))
            .line;
        engine::parse_error(
            Span::point(offset),
            &format!("file is not valid UTF-8: invalid byte at offset {offset} (line {line})"),
        )
    });
    Ok(Some(Loaded {
        source,
        format,
        problem,
    }))
}

/// A file whose content cannot be taken as text: one `infralint/parse-error` with `message`, at
/// the start of an empty text. A YAML file is first classified on the text `head` gives, and is
/// left alone when that is not infrastructure.
fn unreadable_content(
    candidate: &Candidate,
    message: &str,
    head: impl FnOnce() -> std::io::Result<String>,
) -> std::io::Result<Option<Loaded>> {
    let format = match candidate.class {
        NameClass::Format(format) => format,
        NameClass::Yaml => match discover::classify_yaml_file(&candidate.path, &head()?) {
            Some(format) => format,
            None => return Ok(None),
        },
    };
    Ok(Some(Loaded {
        source: SourceFile::new(
            candidate.display.clone(),
            Some(candidate.path.clone()),
            String::new(),
        ),
        format,
        problem: Some(engine::parse_error(Span::point(0), message)),
    }))
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `Some(big_endian)` when the bytes start with a UTF-16 byte-order mark.
fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(false),
        Some([0xFE, 0xFF]) => Some(true),
        _ => None,
    }
}

/// The text of UTF-16 bytes (after their byte-order mark), at most [`CLASSIFY_HEAD`] of them,
/// with what cannot be decoded replaced.
fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes
        .iter()
        .skip(2)
        .take(usize::try_from(CLASSIFY_HEAD).unwrap_or(usize::MAX))
        .copied()
        .collect::<Vec<u8>>();
    let units = units.chunks_exact(2).map(|pair| match pair {
        [a, b] if big_endian => u16::from_be_bytes([*a, *b]),
        [a, b] => u16::from_le_bytes([*a, *b]),
        _ => 0,
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// The whole content of a file of at most `limit` bytes, or `None` when it has more.
fn read_capped(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let bytes = read_head(path, limit.saturating_add(1))?;
    Ok((u64::try_from(bytes.len()).unwrap_or(u64::MAX) <= limit).then_some(bytes))
}

/// Read at most `limit` bytes of a file.
fn read_head(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(path: PathBuf, class: NameClass) -> Candidate {
        Candidate {
            display: discover::display_path(&path),
            path,
            class,
        }
    }

    #[test]
    fn reads_stop_one_byte_past_the_limit() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "FROM alpine:3.21\n")?;
        assert_eq!(read_capped(&path, 17)?.map(|b| b.len()), Some(17));
        assert_eq!(read_capped(&path, 16)?, None);
        Ok(())
    }

    /// Discovery saw the file, then it was deleted before it could be read: an error naming it,
    /// not a silent skip.
    #[test]
    fn a_file_deleted_after_discovery_is_an_error() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "FROM alpine:3.21\n")?;
        let found = candidate(path.clone(), NameClass::Format(Format::Docker));
        std::fs::remove_file(&path)?;
        let Err(Error::Io {
            path: named,
            source,
        }) = load(&found)
        else {
            return Err(std::io::Error::other("a deleted file was not reported"));
        };
        assert_eq!(named, path);
        assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        Ok(())
    }

    #[test]
    fn utf16_manifests_are_classified_and_reported() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("deploy.yaml");
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "apiVersion: v1\nkind: Pod\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        std::fs::write(&path, &bytes)?;
        let loaded = load(&candidate(path, NameClass::Yaml)).ok().flatten();
        let Some(loaded) = loaded else {
            return Err(std::io::Error::other("a UTF-16 manifest was skipped"));
        };
        assert_eq!(loaded.format, Format::K8s);
        let message = loaded.problem.map(|p| p.message).unwrap_or_default();
        assert!(message.contains("UTF-16"), "{message}");
        Ok(())
    }
}
