//! Stable fingerprints of findings: SARIF `partialFingerprints`, GitLab Code Quality and the
//! baseline know a finding by its rule, its file and a hash of the offending text, so it
//! survives line shifts and re-indenting.

use crate::finding::{FileResult, Finding};

/// The version of the algorithm [`fingerprints`] computes. Version 2 masks every secret of the
/// file in the offending text; version 1 masked only the finding's own.
pub const LATEST: u32 = 2;

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
    fingerprints_of(file, path, LATEST)
}

/// [`fingerprints`] as version `version` of the algorithm computed them.
pub(crate) fn fingerprints_of(file: &FileResult, path: &str, version: u32) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
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
