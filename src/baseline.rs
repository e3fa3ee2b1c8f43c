//! Baselines for legacy repositories: `--write-baseline` records the current findings, and
//! `--baseline` hides the recorded ones. A finding is known by its rule, its file (relative to
//! the baseline's directory) and a fingerprint of the offending text, so it survives line shifts.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::finding::Severity;
use crate::finding::{FileResult, Report};
use crate::paths::{absolute, relative_path};
use crate::report::BaselineOutcome;
use crate::report::fingerprint;

/// Bumped when the fingerprint or the file layout changes meaning (see
/// [`fingerprint::LATEST`]); files of version 1 are still read, and matched with the
/// fingerprints of version 1.
const VERSION: u32 = 2;

/// The oldest version still read.
const OLDEST: u32 = 1;

/// The baseline file.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One recorded finding.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Path of the file, relative to the baseline's directory, with `/`.
    pub path: String,
    pub rule: String,
    /// See [`fingerprint::fingerprints`].
    pub fingerprint: String,
    /// For people reading the file; not compared.
    pub message: String,
}

fn directory_of(path: &Path) -> PathBuf {
    absolute(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A file's path as the baseline in `dir` records it.
fn entry_path(dir: &Path, file: &FileResult) -> String {
    match &file.source.path {
        Some(path) => relative_path(dir, path),
        None => file.source.name.clone(),
    }
}

/// The baseline of a report: every finding but the positives.
pub fn record(report: &Report, baseline_path: &Path) -> Baseline {
    let dir = directory_of(baseline_path);
    let mut findings = Vec::new();
    for file in &report.files {
        let path = entry_path(&dir, file);
        for (finding, fingerprint) in file
            .findings
            .iter()
            .zip(fingerprint::fingerprints_of(file, &path, VERSION))
        {
            if finding.severity == Severity::Positive {
                continue;
            }
            findings.push(Entry {
                path: path.clone(),
                rule: finding.rule.to_string(),
                fingerprint,
                message: finding.message.clone(),
            });
        }
    }
    findings.sort();
    Baseline {
        version: VERSION,
        findings,
    }
}

/// Write a baseline file.
pub fn write(baseline: &Baseline, path: &Path) -> Result<(), Error> {
    let output = |source| Error::Output {
        path: path.display().to_string(),
        source,
    };
    let mut text =
        serde_json::to_string_pretty(baseline).map_err(|e| output(std::io::Error::other(e)))?;
    text.push('\n');
    std::fs::write(path, text).map_err(output)
}

/// Read a baseline file.
pub fn read(path: &Path) -> Result<Baseline, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let baseline: Baseline = serde_json::from_str(&text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: format!("not an infralint baseline: {e}"),
    })?;
    if !(OLDEST..=VERSION).contains(&baseline.version) {
        return Err(Error::Config {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!(
                "baseline version {} is not supported (this infralint reads versions {OLDEST} to {VERSION}); write it again with --write-baseline",
                baseline.version
            ),
        });
    }
    Ok(baseline)
}

/// Hide the findings the baseline records, each entry hiding at most one finding, and say
/// what that did.
pub fn apply(report: &mut Report, baseline: &Baseline, baseline_path: &Path) -> BaselineOutcome {
    let dir = directory_of(baseline_path);
    let mut unmatched: Vec<&Entry> = baseline.findings.iter().collect();
    let mut matched = 0;
    let mut linted_paths = Vec::new();
    for file in &mut report.files {
        let path = entry_path(&dir, file);
        let prints = fingerprint::fingerprints_of(file, &path, baseline.version);
        let mut keep = Vec::with_capacity(file.findings.len());
        for (finding, fingerprint) in std::mem::take(&mut file.findings).into_iter().zip(prints) {
            let hit = (finding.severity != Severity::Positive)
                .then(|| {
                    unmatched.iter().position(|e| {
                        e.path == path && e.rule == finding.rule && e.fingerprint == fingerprint
                    })
                })
                .flatten();
            match hit {
                Some(index) => {
                    unmatched.swap_remove(index);
                    matched += 1;
                }
                None => keep.push(finding),
            }
        }
        file.findings = keep;
        linted_paths.push(path);
    }
    let stale = unmatched
        .iter()
        .filter(|e| linted_paths.contains(&e.path))
        .count();
    BaselineOutcome { matched, stale }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A baseline file records the fingerprints of the current algorithm.
    #[test]
    fn the_file_version_is_the_fingerprint_version() {
        assert_eq!(VERSION, fingerprint::LATEST);
    }
}
