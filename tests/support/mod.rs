//! Helpers shared by the test suites: rendering findings for snapshots and checking the
//! message conventions every finding must follow.
#![allow(dead_code)]

use infralint::finding::{Finding, Severity};
use infralint::source::SourceFile;

/// Every output format of `-f`.
pub const OUTPUT_FORMATS: [&str; 9] = [
    "human",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "markdown",
];

/// A finding of the JSON outputs as one line, `path:line:column rule severity: message`, for
/// the snapshots of whole runs.
pub fn json_finding_line(f: &serde_json::Value) -> String {
    let text = |key: &str| f[key].as_str().unwrap();
    format!(
        "{}:{}:{} {} {}: {}\n",
        text("path"),
        f["line"],
        f["column"],
        text("rule"),
        text("severity"),
        text("message"),
    )
}

/// One finding as a line (plus a help line and the masked source excerpt) for snapshots.
pub fn render(source: &SourceFile, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let start = source.line_col(f.span.start);
        let end = source.line_col(f.span.end);
        out.push_str(&format!(
            "{}:{}-{}:{} {} {}: {}\n",
            start.line, start.column, end.line, end.column, f.severity, f.rule, f.message
        ));
        if let Some(help) = &f.help {
            out.push_str(&format!("    help: {help}\n"));
        }
        let excerpt = masked(source, f);
        let first_line = excerpt.lines().next().unwrap_or("");
        if !first_line.is_empty() {
            out.push_str(&format!("    at: {first_line}\n"));
        }
    }
    out
}

/// The text of a finding's span with its mask blanked.
pub fn masked(source: &SourceFile, f: &Finding) -> String {
    let text = source.slice(f.span);
    let Some(mask) = f.mask else {
        return text.to_string();
    };
    let mut out = String::new();
    for (i, c) in text.char_indices() {
        let at = f.span.start as usize + i;
        if at >= mask.start as usize && at < mask.end as usize {
            out.push('*');
        } else {
            out.push(c);
        }
    }
    out
}

/// The conventions every finding follows (see the function's checks), checked on every finding a
/// suite makes.
pub fn check_conventions(source: &SourceFile, f: &Finding) -> Result<(), String> {
    let rule = f.rule;
    for (what, text) in [
        ("message", Some(f.message.as_str())),
        ("help", f.help.as_deref()),
    ] {
        let Some(text) = text else { continue };
        if text.is_empty() {
            return Err(format!("{rule}: empty {what}"));
        }
        let first = text.chars().next().unwrap_or(' ');
        if first.is_uppercase() && !text.starts_with('`') {
            let word: String = text.chars().take_while(|c| c.is_alphanumeric()).collect();
            // Acronyms and proper names (`ADD`, `HEALTHCHECK`, `BuildKit`) may open a sentence.
            let acronym = word.chars().filter(|c| c.is_uppercase()).count() > 1;
            if !acronym {
                return Err(format!("{rule}: {what} starts with a capital: {text:?}"));
            }
        }
        if text.ends_with('.') && !text.ends_with("..") {
            return Err(format!("{rule}: {what} ends with a period: {text:?}"));
        }
    }
    if let Some(mask) = f.mask {
        let secret = source.slice(mask);
        if secret.is_empty() {
            return Err(format!("{rule}: empty mask"));
        }
        if secret.len() >= 4 {
            for text in [Some(f.message.as_str()), f.help.as_deref()]
                .into_iter()
                .flatten()
            {
                if text.contains(secret) {
                    return Err(format!(
                        "{rule}: the secret appears in the finding: {text:?}"
                    ));
                }
            }
        }
    }
    if f.severity != Severity::Positive && f.span.end as usize > source.text.len() {
        return Err(format!("{rule}: span past the end of the file"));
    }
    Ok(())
}
