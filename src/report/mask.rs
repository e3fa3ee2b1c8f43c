//! Secrets never reach an output. The secret detectors run on every linted text whatever the
//! selection, suppressions and baseline, and record the spans they found in
//! [`FileResult::masks`]; this module turns those spans into the values to blank wherever else
//! they appear: in the messages and help of every finding, and in the source text that the
//! human report shows.

use crate::finding::FileResult;

/// Values shorter than this are blanked only where a detector found them, not wherever they
/// appear: blanking every `test` or `admin` of a run would garble unrelated text.
const MIN_SECRET_LEN: usize = 8;

/// Whether a secret value is distinctive enough to be blanked wherever it appears: long enough,
/// and mixing at least two kinds of characters (lower case, upper case, digits, others), so
/// that a weak word such as `password` or `changeme` does not blank every message that says it,
/// and not a name in capitals.
fn is_distinctive(value: &str) -> bool {
    // A name in capitals (`CLIENT_SECRET`) is a variable's name, seen in keys everywhere.
    if value.len() < MIN_SECRET_LEN || value.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
        return false;
    }
    let kinds = [
        value.bytes().any(|b| b.is_ascii_lowercase()),
        value.bytes().any(|b| b.is_ascii_uppercase()),
        value.bytes().any(|b| b.is_ascii_digit()),
        value.bytes().any(|b| !b.is_ascii_alphanumeric()),
    ];
    kinds.iter().filter(|k| **k).count() >= 2
}

/// What a secret is replaced with in messages.
const BLANK: &str = "****";

/// Every distinctive secret value found in the run's files, longest first (so that a secret that contains
/// another is blanked whole), without repeats.
pub(crate) fn secret_values(files: &[FileResult]) -> Vec<&str> {
    let mut values: Vec<&str> = files
        .iter()
        .flat_map(|file| {
            file.masks.iter().map(|&mask| {
                file.source
                    .slice(crate::source::clamp_span(&file.source, mask))
            })
        })
        .filter(|v| is_distinctive(v))
        .collect();
    values.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    values.dedup();
    values
}

/// `text` with every occurrence of a secret value replaced by `****`.
fn blank(text: &str, secrets: &[&str]) -> Option<String> {
    let mut out: Option<String> = None;
    for secret in secrets {
        let current = out.as_deref().unwrap_or(text);
        if current.contains(secret) {
            out = Some(current.replace(secret, BLANK));
        }
    }
    out
}

/// Blank every secret value of the run in the messages and help of every finding, so that no
/// reporter (and no baseline file) can print one.
pub fn mask_messages(files: &mut [FileResult]) {
    let secrets: Vec<String> = secret_values(files)
        .into_iter()
        .map(str::to_string)
        .collect();
    if secrets.is_empty() {
        return;
    }
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    // The secrets by their first two bytes: a message is searched only at the places where one
    // could start, not once for every secret of the run.
    let slot = |a: u8, b: u8| usize::from(a) << 8 | usize::from(b);
    let mut by_start: Vec<Vec<&str>> = vec![Vec::new(); 1 << 16];
    for secret in &secrets {
        if let [a, b, ..] = secret.as_bytes()
            && let Some(list) = by_start.get_mut(slot(*a, *b))
        {
            list.push(secret);
        }
    }
    let blank_in = |text: &str| -> Option<String> {
        let bytes = text.as_bytes();
        let mut found: Vec<&str> = Vec::new();
        for (at, pair) in bytes.windows(2).enumerate() {
            let ([a, b], Some(rest)) = (pair, bytes.get(at..)) else {
                continue;
            };
            for secret in by_start.get(slot(*a, *b)).into_iter().flatten() {
                if rest.starts_with(secret.as_bytes()) && !found.contains(secret) {
                    found.push(secret);
                }
            }
        }
        if found.is_empty() {
            return None;
        }
        // Longest first, as `secret_values` orders them.
        found.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        blank(text, &found)
    };
    for file in files.iter_mut() {
        for finding in &mut file.findings {
            if let Some(message) = blank_in(&finding.message) {
                finding.message = message;
            }
            if let Some(help) = finding.help.as_deref().and_then(blank_in) {
                finding.help = Some(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};
    use crate::{Finding, Format, Severity};
    use std::sync::Arc;

    #[test]
    fn secrets_are_blanked_in_messages_of_any_file() {
        let text = "DB_PASSWORD=hunter2hunter2\n".to_string();
        let finding = |message: &str| Finding {
            rule: "compose/inline-environment-config",
            severity: Severity::Suggestion,
            span: Span::new(0, 11),
            message: message.to_string(),
            help: Some("move `hunter2hunter2` out".into()),
            mask: None,
        };
        let mut files = vec![
            FileResult {
                source: SourceFile::new("a.env", None, text),
                format: Format::Compose,
                findings: vec![],
                masks: vec![Span::new(12, 26)],
                rules: Arc::from([]),
            },
            FileResult {
                source: SourceFile::new("b.yaml", None, String::new()),
                format: Format::Compose,
                findings: vec![finding(
                    "the URL postgres://app:hunter2hunter2@db is inline",
                )],
                masks: vec![],
                rules: Arc::from([]),
            },
        ];
        mask_messages(&mut files);
        assert!(is_distinctive("hunter2hunter2") && !is_distinctive("password"));
        assert!(!is_distinctive("Pw4") && is_distinctive("Sup3r-s3cret"));
        assert!(!is_distinctive("CLIENT_SECRET") && is_distinctive("AKIAIOSFODNN7EXAMPLE"));
        let f = files.get(1).and_then(|file| file.findings.first()).unwrap();
        assert_eq!(f.message, "the URL postgres://app:****@db is inline");
        assert_eq!(f.help.as_deref(), Some("move `****` out"));
    }
}
