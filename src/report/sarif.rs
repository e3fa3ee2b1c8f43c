//! SARIF 2.1.0 for code scanning: every rule with its documentation, one result per finding
//! (positives are not results), repository-relative locations and stable fingerprints.

use serde::Serialize;

use super::{Context, doc_url, region, repository};
use crate::finding::Severity;
use crate::finding::{FileResult, Report};
use crate::rules::{self, Rule};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of the fingerprint in `partialFingerprints`; the suffix changes with the algorithm.
const FINGERPRINT_KEY: &str = "infralint/v1";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// Present only when the run has something to tell beside its results.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Results<'a>,
}

/// The run itself, for its run-level notices.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Message,
    /// A notice's places: directories or files, without a region.
    locations: Vec<Location>,
}

/// The run's notices as SARIF notifications: none when it has none.
fn invocations(report: &Report, context: &Context) -> Vec<Invocation> {
    if report.notices.is_empty() {
        return Vec::new();
    }
    let notifications = report
        .notices
        .iter()
        .map(|notice| Notification {
            level: "note",
            message: Message {
                text: notice.message.clone(),
            },
            locations: notice
                .paths
                .iter()
                .map(|path| Location {
                    physical_location: PhysicalLocation {
                        region: None,
                        artifact_location: ArtifactLocation {
                            uri: match context.shown_path(path).as_str() {
                                "" | "." => "./".to_string(),
                                dir => uri(&format!("{dir}/")),
                            },
                        },
                    },
                })
                .collect(),
        })
        .collect();
    vec![Invocation {
        execution_successful: report.errors.is_empty(),
        tool_execution_notifications: notifications,
    }]
}

/// The results of every file, serialized file by file rather than gathered first.
struct Results<'a> {
    report: &'a Report,
    context: &'a Context,
    all: &'a [&'static Rule],
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.report
                .files
                .iter()
                .flat_map(|file| results(file, self.context, self.all)),
        )
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: std::collections::BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    /// Absent for a place that is a whole directory or file.
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
        Severity::Positive => "none",
    }
}

/// `docker/root-user` → `DockerRootUser`: the one-word friendly name SARIF viewers expect.
fn friendly_name(id: &str) -> String {
    id.split(['/', '-'])
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// One paragraph of plain text from a doc section.
fn paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn descriptor(rule: &'static Rule) -> Descriptor {
    let format = rule.id.split_once('/').map_or("", |(format, _)| format);
    let why = rule.doc_section("Why");
    let fix = rule.doc_section("How to fix");
    Descriptor {
        id: rule.id,
        name: friendly_name(rule.id),
        short_description: Text {
            text: rule.summary().to_string(),
        },
        full_description: Text {
            text: paragraph(why.split("\n\n").next().unwrap_or(&why)),
        },
        help: Help {
            text: paragraph(&fix),
            markdown: rule.doc,
        },
        help_uri: doc_url(rule.id),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: Properties { tags: vec![format] },
    }
}

/// Percent-encode what may not appear in a URI path.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn write(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &Context,
) -> std::io::Result<()> {
    let all = rules_that_ran(report);
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "infralint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: repository().map(str::to_string),
                    rules: all.iter().copied().map(descriptor).collect(),
                },
            },
            invocations: invocations(report, context),
            column_kind: "unicodeCodePoints",
            results: Results {
                report,
                context,
                all: &all,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// The rules that ran on some file of the report, and any other rule with a finding (parse
/// errors of files infralint cannot lint yet), sorted by id: a rule that did not run has no
/// place among the results' rules.
fn rules_that_ran(report: &Report) -> Vec<&'static Rule> {
    let mut ran: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for file in &report.files {
        ran.extend(file.rules.iter().copied());
        ran.extend(file.findings.iter().map(|f| f.rule));
    }
    rules::all()
        .into_iter()
        .filter(|r| ran.contains(r.id))
        .collect()
}

/// The results of one file: its findings but the positives.
fn results(file: &FileResult, context: &Context, all: &[&'static Rule]) -> Vec<SarifResult> {
    let mut results = Vec::new();
    let path = uri(&context.path(file));
    for (finding, fingerprint) in file.findings.iter().zip(context.fingerprints(file)) {
        if finding.severity == Severity::Positive {
            continue;
        }
        let Some(rule_index) = all.iter().position(|r| r.id == finding.rule) else {
            continue;
        };
        let (start_line, start_column, end_line, end_column) = region(&file.source, finding.span);
        let mut text = finding.message.clone();
        if let Some(help) = &finding.help {
            text.push_str(&format!("\nhelp: {help}"));
        }
        results.push(SarifResult {
            rule_id: finding.rule,
            rule_index,
            level: level(finding.severity),
            message: Message { text },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: path.clone() },
                    region: Some(Region {
                        start_line,
                        start_column,
                        end_line,
                        end_column,
                    }),
                },
            }],
            partial_fingerprints: [(FINGERPRINT_KEY, fingerprint)].into_iter().collect(),
        });
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(friendly_name("docker/root-user"), "DockerRootUser");
        assert_eq!(uri("a b/ç.yaml"), "a%20b/%C3%A7.yaml");
    }
}
