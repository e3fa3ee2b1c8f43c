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
            let parsed = match loaded.problem {
                None => formats::parse(loaded.format, &loaded.source),
                Some(_) => None,
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
    let mut files: Vec<FileResult> = parsed_files
        .into_par_iter()
        .map(|(loaded, parsed)| lint_loaded(loaded, parsed.as_ref(), &facts, settings))
        .collect();
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
        NameClass::Yaml => discover::classify_yaml(text),
    }
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
            let siblings = source
                .dir()
                .map_or(Siblings::None, |d| Siblings::Dir(d.to_path_buf()));
            engine::lint_parsed(&source, parsed, &siblings, &selection, facts, settings)
        }
    };
    let rules = if linted {
        rules::all()
            .into_iter()
            .filter(|r| {
                (r.format() == Some(format) || r.format().is_none()) && selection.enables(r)
            })
            .map(|r| r.id)
            .collect()
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
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    if size > MAX_FILE_SIZE {
        let format = match candidate.class {
            NameClass::Format(format) => format,
            NameClass::Yaml => {
                let head = read_head(path, CLASSIFY_HEAD).map_err(io_error)?;
                match discover::classify_yaml(&String::from_utf8_lossy(&head)) {
                    Some(format) => format,
                    None => return Ok(None),
                }
            }
        };
        let message = format!(
            "file is {} bytes, over the {} MiB size limit, and was not read",
            size,
            MAX_FILE_SIZE / (1024 * 1024)
        );
        return Ok(Some(Loaded {
            source: SourceFile::new(candidate.display.clone(), Some(path.clone()), String::new()),
            format,
            problem: Some(engine::parse_error(Span::point(0), &message)),
        }));
    }
    let bytes = read_head(path, MAX_FILE_SIZE).map_err(io_error)?;
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
        NameClass::Yaml => match discover::classify_yaml(&text) {
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

/// Read at most `limit` bytes of a file.
fn read_head(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
