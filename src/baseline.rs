//! Baselines for legacy repositories: `--write-baseline` records the current findings, and
//! `--baseline` hides the recorded ones. A finding is known by its rule, its file (relative to
//! the baseline's directory) and a fingerprint of the offending text, so it survives line shifts.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::finding::{FileResult, Report};
use crate::finding::{Finding, Severity};
use crate::paths::{absolute, relative_path};
use crate::report::BaselineOutcome;

/// Bumped when the fingerprint or the file layout changes meaning. Version 2 masks every
/// secret of the file in the offending text (version 1 masked only the finding's own); files of
/// version 1 are still read, and matched with the fingerprints of version 1.
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
    /// See [`fingerprints`].
    pub fingerprint: String,
    /// For people reading the file; not compared.
    pub message: String,
}

/// A 64-bit FNV-1a hash, stable across platforms and releases (unlike std's hashers).
pub fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(std::iter::once(&0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The offending text of a finding: its span (the line, for an empty or blank span) with the
/// secrets masked and runs of whitespace collapsed, so that moving or re-indenting it changes
/// nothing. Version 2 masks every secret the detectors found in the file; version 1 masked only
/// the finding's own, so a baseline of version 1 hashed other secrets in clear.
fn offending_text(file: &FileResult, finding: &Finding, version: u32) -> String {
    let source = &file.source;
    let span = crate::source::clamp_span(source, finding.span);
    let mut text = source.slice(span).to_string();
    let mut start = span.start as usize;
    if text.trim().is_empty() {
        let line = source.line_span(source.line_col(span.start).line);
        text = source.slice(line).to_string();
        start = line.start as usize;
    }
    let masks: &[crate::source::Span] = if version < 2 {
        finding.mask.as_slice()
    } else {
        &file.masks
    };
    if !masks.is_empty() {
        let masked = |at: usize| {
            masks
                .iter()
                .any(|m| at >= m.start as usize && at < m.end as usize)
        };
        text = text
            .char_indices()
            .map(|(i, c)| if masked(start + i) { '*' } else { c })
            .collect();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One fingerprint per finding of a file, in order: a hash of the rule, `path`, the offending
/// text and how many earlier findings of the file share rule and text.
pub fn fingerprints(file: &FileResult, path: &str) -> Vec<String> {
    fingerprints_of(file, path, VERSION)
}

/// [`fingerprints`] as a baseline of `version` computed them.
fn fingerprints_of(file: &FileResult, path: &str, version: u32) -> Vec<String> {
    let mut seen: Vec<(&str, String)> = Vec::new();
    file.findings
        .iter()
        .map(|finding| {
            let text = offending_text(file, finding, version);
            let occurrence = seen
                .iter()
                .filter(|(rule, t)| *rule == finding.rule && *t == text)
                .count();
            let h = hash(&[finding.rule, path, &text, &occurrence.to_string()]);
            seen.push((finding.rule, text));
            format!("{h:016x}")
        })
        .collect()
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
        for (finding, fingerprint) in file.findings.iter().zip(fingerprints(file, &path)) {
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
        let prints = fingerprints_of(file, &path, baseline.version);
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
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::source::{SourceFile, Span};

    fn file(text: &str, spans: &[(usize, usize)]) -> FileResult {
        FileResult {
            source: SourceFile::new("Dockerfile", None, text.to_string()),
            format: Format::Docker,
            findings: spans
                .iter()
                .map(|&(s, e)| Finding {
                    rule: "docker/root-user",
                    severity: Severity::Critical,
                    span: Span::new(s, e),
                    message: "m".to_string(),
                    help: None,
                    mask: None,
                })
                .collect(),
            masks: Vec::new(),
            rules: Vec::new().into(),
        }
    }

    #[test]
    fn fingerprints_survive_line_shifts_and_reindenting() {
        let a = file("FROM x\nUSER root\n", &[(7, 16)]);
        let b = file("# new comment\n\nFROM x\n  USER   root\n", &[(24, 35)]);
        assert_eq!(
            fingerprints(&a, "Dockerfile"),
            fingerprints(&b, "Dockerfile")
        );
        assert_ne!(
            fingerprints(&a, "Dockerfile"),
            fingerprints(&a, "other/Dockerfile")
        );
    }

    #[test]
    fn repeated_text_gets_distinct_fingerprints() {
        let f = file("USER root\nUSER root\n", &[(0, 9), (10, 19)]);
        let prints = fingerprints(&f, "Dockerfile");
        assert_ne!(prints[0], prints[1]);
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(hash(&[]), 0xcbf2_9ce4_8422_2325);
        assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
    }
}
