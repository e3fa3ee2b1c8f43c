//! The Markdown review: a verdict, then the findings grouped as an infrastructure reviewer
//! answers (critical, warnings, positive points, suggestions) and the estimated resources, sized
//! for a pull-request comment or a CI job summary. Everything taken from linted files is escaped.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::resources::{Host, headroom, totals_line};
use super::{Context, doc_url, region};
use crate::config::FailOn;
use crate::finding::{FileResult, Report};
use crate::finding::{Finding, Severity};
use crate::format::Format;
use crate::resources::Resources;
use crate::rules;

/// GitHub's limit on a comment body, in characters.
pub(crate) const GITHUB_LIMIT: usize = 65_536;

/// What the document may use, in bytes (never fewer than characters), leaving room for a title
/// a workflow may put above it.
const BUDGET: usize = GITHUB_LIMIT - 1_024;

/// Room kept for the truncation note.
const NOTE_ROOM: usize = 512;

/// A rule found this many times or more in one section is one entry with a list of locations.
const COLLAPSE_AT: usize = 3;

/// The sections, in the order a reviewer writes them.
const SECTIONS: [(Severity, &str); 4] = [
    (Severity::Critical, "Critical (must fix)"),
    (Severity::Warning, "Warnings (consider)"),
    (Severity::Positive, "Positive points"),
    (Severity::Suggestion, "Suggestions"),
];

pub fn write(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &Context,
) -> std::io::Result<()> {
    out.write_all(render(report, context).as_bytes())
}

/// The whole document, at most [`BUDGET`] bytes whatever the size of the run.
pub(crate) fn render(report: &Report, context: &Context) -> String {
    let mut out = verdict(report, context);
    let sections: Vec<Section> = SECTIONS
        .iter()
        .map(|&(severity, title)| Section {
            severity,
            heading: format!("### {title}\n\n"),
            entries: entries(report, context, severity),
        })
        .filter(|s| !s.entries.is_empty())
        .collect();
    let whole = resources_section(&context.resources, context.host, usize::MAX);
    let mut linked: BTreeSet<&'static str> = BTreeSet::new();
    let mut findings = 0;
    for section in &sections {
        findings += section.heading.len() + 2;
        for entry in &section.entries {
            findings += entry.text.len();
            linked.extend(entry.rules.iter().copied());
        }
    }
    let definitions: usize = linked.iter().map(|r| definition(r).len()).sum();
    // Too long: the findings first, in order and whole entries only, leaving the resources
    // section up to a quarter of the room; then the resources in what is left.
    let fits = out.len() + findings + whole.len() + definitions + 2 <= BUDGET;
    let room = if fits {
        usize::MAX
    } else {
        BUDGET
            .saturating_sub(out.len())
            .saturating_sub(whole.len().min(BUDGET / 4))
            .saturating_sub(NOTE_ROOM)
    };
    linked.clear();
    let mut used = 0;
    let mut hidden: BTreeMap<Severity, usize> = BTreeMap::new();
    for section in &sections {
        let mut heading = true;
        for entry in &section.entries {
            let new: Vec<&'static str> = entry
                .rules
                .iter()
                .copied()
                .filter(|r| !linked.contains(r))
                .collect();
            let need = entry.text.len()
                + new.iter().map(|r| definition(r).len()).sum::<usize>()
                + if heading {
                    section.heading.len() + 2
                } else {
                    0
                };
            if !hidden.is_empty() || used + need > room {
                *hidden.entry(section.severity).or_default() += entry.findings;
                continue;
            }
            if heading {
                blank_line(&mut out);
                out.push_str(&section.heading);
                heading = false;
            }
            out.push_str(&entry.text);
            linked.extend(new);
            used += need;
        }
    }
    blank_line(&mut out);
    if !hidden.is_empty() {
        out.push_str(&truncation_note(&hidden));
    }
    let definitions: String = linked.iter().map(|r| definition(r)).collect();
    let left = BUDGET
        .saturating_sub(out.len())
        .saturating_sub(definitions.len() + 1);
    out.push_str(&resources_section(&context.resources, context.host, left));
    if !definitions.is_empty() {
        blank_line(&mut out);
        out.push_str(&definitions);
    }
    out
}

/// End the text with an empty line, so that what follows starts a block of its own.
fn blank_line(out: &mut String) {
    while !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// The findings of one severity, each entry whole.
struct Section {
    severity: Severity,
    heading: String,
    entries: Vec<Entry>,
}

struct Entry {
    text: String,
    /// How many findings it shows or counts.
    findings: usize,
    /// The rules it links to.
    rules: Vec<&'static str>,
}

/// One finding with its file's display path.
struct Located<'a> {
    file: &'a FileResult,
    path: String,
    finding: &'a Finding,
}

fn verdict(report: &Report, context: &Context) -> String {
    let failing = report
        .findings()
        .any(|(_, f)| context.fail_on.fails(f.severity));
    let gate = format!("`--fail-on {}`", fail_on_name(context.fail_on));
    let head = if !report.errors.is_empty() {
        format!("❌ **Fails**: the run is incomplete (gate {gate})")
    } else if context.fail_on == FailOn::Never {
        format!("ℹ️ **Report only** ({gate})")
    } else if failing {
        format!("❌ **Fails the gate** at {gate}")
    } else {
        format!("✅ **Passes the gate** at {gate}")
    };
    let counts: Vec<String> = [
        Severity::Critical,
        Severity::Warning,
        Severity::Suggestion,
        Severity::Positive,
    ]
    .into_iter()
    .map(|s| counted(s, report.count(s)))
    .collect();
    let mut line = format!("{head}: {}", counts.join(", "));
    let mut linted: BTreeMap<Format, usize> = BTreeMap::new();
    for file in &report.files {
        *linted.entry(file.format).or_default() += 1;
    }
    let total: usize = linted.values().sum();
    let _ = write!(
        line,
        " in {} {}",
        thousands(total),
        plural(total, "file", "files")
    );
    if !linted.is_empty() {
        let parts: Vec<String> = linted
            .iter()
            .map(|(format, n)| format!("{} {}", format.display_name(), thousands(*n)))
            .collect();
        let _ = write!(line, " ({})", parts.join(", "));
    }
    line.push('.');
    if !report.errors.is_empty() {
        let n = report.errors.len();
        let _ = write!(
            line,
            " {n} {} could not be read.",
            plural(n, "path", "paths")
        );
    }
    if let Some(outcome) = &context.baseline {
        let _ = write!(
            line,
            " {}.",
            escape(&capitalized(&super::baseline_note(outcome)))
        );
    }
    format!("## infralint review\n\n{line}\n\n")
}

fn fail_on_name(fail_on: FailOn) -> &'static str {
    match fail_on {
        FailOn::Critical => "critical",
        FailOn::Warning => "warning",
        FailOn::Suggestion => "suggestion",
        FailOn::Never => "never",
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// The entries of a section in report order: positives one per file, other findings one per
/// finding, except that a rule found [`COLLAPSE_AT`] times or more is one entry where it is
/// first found.
fn entries(report: &Report, context: &Context, severity: Severity) -> Vec<Entry> {
    let mut found: Vec<Located> = Vec::new();
    for file in &report.files {
        let path = context.path(file);
        found.extend(
            file.findings
                .iter()
                .filter(|f| f.severity == severity)
                .map(|finding| Located {
                    file,
                    path: path.clone(),
                    finding,
                }),
        );
    }
    if severity == Severity::Positive {
        return positives(&found);
    }
    let mut per_rule: BTreeMap<&str, Vec<&Located>> = BTreeMap::new();
    for item in &found {
        per_rule.entry(item.finding.rule).or_default().push(item);
    }
    let mut out = Vec::new();
    for item in &found {
        let Some(all) = per_rule.get(item.finding.rule) else {
            continue;
        };
        if all.len() < COLLAPSE_AT {
            out.push(single(item));
        } else if std::ptr::eq(all.first().copied().unwrap_or(item), item) {
            out.push(collapsed(all, context.max_per_rule));
        }
    }
    out
}

/// `- [path:line](path#Lline) [rule](doc): message` and the help on the next line.
fn single(item: &Located) -> Entry {
    let mut text = format!(
        "- {} {}: {}",
        location(item),
        rule_link(item.finding.rule),
        inline(&item.finding.message)
    );
    push_help(&mut text, item.finding.help.as_deref(), "  ");
    text.push('\n');
    Entry {
        text,
        findings: 1,
        rules: vec![item.finding.rule],
    }
}

/// One entry for a rule found many times: what the rule is about, the help, and the first
/// locations with their messages in a `<details>` block.
fn collapsed(all: &[&Located], max: usize) -> Entry {
    let Some(first) = all.first() else {
        return Entry {
            text: String::new(),
            findings: 0,
            rules: Vec::new(),
        };
    };
    let rule = first.finding.rule;
    let mut files: Vec<&str> = all.iter().map(|l| l.path.as_str()).collect();
    files.dedup();
    let summary = rules::by_id(rule).map_or(String::new(), |r| format!(" {}", inline(r.summary())));
    let mut text = format!(
        "- {}: **{} findings** in {} {}.{summary}",
        rule_link(rule),
        thousands(all.len()),
        thousands(files.len()),
        plural(files.len(), "file", "files"),
    );
    push_help(&mut text, first.finding.help.as_deref(), "  ");
    let shown = all.len().min(max);
    let label = if shown < all.len() {
        format!("The first {shown} of {} locations", thousands(all.len()))
    } else {
        format!("All {} locations", thousands(all.len()))
    };
    let _ = write!(text, "\n\n  <details><summary>{label}</summary>\n\n");
    for item in all.iter().take(shown) {
        let _ = writeln!(
            text,
            "  - {} {}",
            location(item),
            inline(&item.finding.message)
        );
    }
    if shown < all.len() {
        let _ = writeln!(
            text,
            "  - and {} more (`-f json` lists every finding)",
            thousands(all.len() - shown)
        );
    }
    text.push_str("\n  </details>\n\n");
    Entry {
        text,
        findings: all.len(),
        rules: vec![rule],
    }
}

/// Positive points of a section, one entry per file listing what it does well.
fn positives(found: &[Located]) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut current: Option<&str> = None;
    for item in found {
        if current != Some(item.path.as_str()) {
            current = Some(item.path.as_str());
            out.push(Entry {
                text: format!("- {}\n", file_link(&item.path)),
                findings: 0,
                rules: Vec::new(),
            });
        }
        let line = region(&item.file.source, item.finding.span).0;
        if let Some(entry) = out.last_mut() {
            let _ = writeln!(
                entry.text,
                "  - {} {} ([line {line}]({}))",
                inline(&item.finding.message),
                rule_link(item.finding.rule),
                destination(&item.path, Some(line)),
            );
            entry.findings += 1;
            entry.rules.push(item.finding.rule);
        }
    }
    out
}

/// The help on its own line of the list item, after a hard line break.
fn push_help(text: &mut String, help: Option<&str>, indent: &str) {
    if let Some(help) = help {
        let _ = write!(text, "\\\n{indent}*Fix:* {}", inline(help));
    }
}

/// `[`path:line`](path#Lline)`.
fn location(item: &Located) -> String {
    let line = region(&item.file.source, item.finding.span).0;
    format!(
        "[{}]({})",
        code(&format!("{}:{line}", item.path)),
        destination(&item.path, Some(line))
    )
}

fn file_link(path: &str) -> String {
    format!("[{}]({})", code(path), destination(path, None))
}

/// The rule id linked to its doc through a reference defined once at the end of the document
/// (see [`definition`]), or the bare id when the package names no repository.
fn rule_link(rule: &str) -> String {
    if doc_url(rule).is_some() {
        format!("[{}][{}]", code(rule), escape(rule))
    } else {
        code(rule)
    }
}

/// The line that defines a rule's link reference, or nothing without a repository.
fn definition(rule: &str) -> String {
    doc_url(rule).map_or(String::new(), |url| {
        format!("[{}]: {}\n", escape(rule), url_destination(&url))
    })
}

/// A relative link target: the path percent-encoded so that nothing in it can end the link or
/// turn it into a scheme, then the line anchor GitHub understands.
fn destination(path: &str, line: Option<usize>) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    if let Some(line) = line {
        let _ = write!(out, "#L{line}");
    }
    out
}

/// An absolute address, with what could end a link destination encoded.
fn url_destination(url: &str) -> String {
    let mut out = String::new();
    for c in url.chars() {
        match c {
            '(' | ')' | '<' | '>' | ' ' | '\\' | '"' => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text as Markdown that shows exactly that text: every character with a meaning in Markdown or
/// HTML escaped, line breaks turned into spaces (a new line could start a block or raw HTML),
/// other control characters dropped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '$' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A code span that shows exactly `text`: a fence longer than any run of backticks inside,
/// padded when the text starts or ends with a backtick or a space.
pub(crate) fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.is_empty() {
        return "\\`\\`".to_string();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A code span for a table cell: pipes escaped, which GFM undoes inside the span.
fn table_code(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// A message or help as written by the rules: text with values in backticks. Each pair of
/// backticks becomes a code span of its own making and the text around is escaped, so whatever
/// a value holds, nothing leaves its span; an unpaired backtick is shown as one.
pub(crate) fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let paired = if parts.len() % 2 == 0 {
        parts.len() - 1
    } else {
        parts.len()
    };
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i >= paired {
            out.push_str("\\`");
            out.push_str(&escape(part));
        } else if i % 2 == 0 {
            out.push_str(&escape(part));
        } else {
            out.push_str(&code(part));
        }
    }
    out
}

fn truncation_note(hidden: &BTreeMap<Severity, usize>) -> String {
    let parts: Vec<String> = hidden
        .iter()
        .rev()
        .map(|(&severity, &n)| counted(severity, n))
        .collect();
    format!(
        "> [!NOTE]\n> **Truncated** to stay under GitHub's {} characters: {} not shown. \
         Run infralint with `-f json` or `-f sarif` for every finding.\n\n",
        thousands(GITHUB_LIMIT),
        parts.join(", ")
    )
}

/// `3 critical`, `1 warning`, `1,200 suggestions`, `4 positive`.
fn counted(severity: Severity, n: usize) -> String {
    let what = match severity {
        Severity::Positive | Severity::Critical => severity.as_str(),
        Severity::Warning => plural(n, "warning", "warnings"),
        Severity::Suggestion => plural(n, "suggestion", "suggestions"),
    };
    format!("{} {what}", thousands(n))
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The estimated-resources section in at most about `cap` bytes: a table per compose file or
/// namespace with its total, then the run's total and the headroom. Rows that do not fit are
/// counted in a note; the totals always cover every entry.
fn resources_section(resources: &Resources, host: Host, cap: usize) -> String {
    if resources.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "### Estimated resources\n\nDeclared per replica; totals are multiplied by the replicas.\n\n",
    );
    let totals = resources.totals();
    let mut tail = format!("**Run total:** {}\n", escape(&totals_line(&totals)));
    if let Some(line) = headroom(&totals, host) {
        let line = line.strip_prefix("Host: ").unwrap_or(&line);
        let _ = write!(tail, "\n**Host:** {}\n", escape(line));
    }
    let room = cap
        .saturating_sub(out.len())
        .saturating_sub(tail.len())
        .saturating_sub(NOTE_ROOM);
    let mut used = 0;
    let mut hidden = 0;
    let groups: Vec<_> = resources
        .groups
        .iter()
        .filter(|g| !g.entries.is_empty())
        .collect();
    for group in &groups {
        let compose = group.format == Format::Compose;
        let (prefix, what) = super::resources::group_label(group.format);
        let title = format!("{prefix} {}", code(&group.name));
        let header = super::resources::header(what, compose);
        let mut head = format!("**{title}**\n\n{}\n|", table_row(&header));
        head.push_str(&"---|".repeat(header.len()));
        head.push('\n');
        let foot = format!("\nTotal: {}\n\n", escape(&totals_line(&group.totals())));
        let mut rows = String::new();
        for entry in &group.entries {
            let mut cells = super::resources::row(entry, compose);
            if let Some(name) = cells.first_mut() {
                *name = table_code(name);
            }
            let row = format!("{}\n", table_row(&cells));
            if hidden > 0 || used + head.len() + rows.len() + row.len() + foot.len() > room {
                hidden += 1;
                continue;
            }
            rows.push_str(&row);
        }
        if !rows.is_empty() {
            used += head.len() + rows.len() + foot.len();
            out.push_str(&head);
            out.push_str(&rows);
            out.push_str(&foot);
        }
    }
    if hidden > 0 {
        let _ = write!(
            out,
            "> [!NOTE]\n> {} of {} entries are not shown to keep the report short; the \
             totals count them all, and `-f json` lists them.\n\n",
            thousands(hidden),
            thousands(totals.entries)
        );
    }
    out.push_str(&tail);
    out
}

/// `| a | b |` with the cells as they are (names are code spans, the rest our own text).
fn table_row(cells: &[String]) -> String {
    let mut out = String::from("|");
    for cell in cells {
        let _ = write!(out, " {cell} |");
    }
    out
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;
    use crate::resources::{Entry as Workload, Group, Replicas};
    use crate::source::{SourceFile, Span};

    #[test]
    fn escaping_text_and_code() {
        assert_eq!(escape("a*b_c[d](e)"), "a\\*b\\_c\\[d\\](e)");
        assert_eq!(escape("<img src=x>&amp;"), "&lt;img src=x&gt;&amp;amp;");
        assert_eq!(escape("a|b`c\\"), "a\\|b\\`c\\\\");
        assert_eq!(escape("line\n# heading"), "line \\# heading");
        assert_eq!(code("ab"), "`ab`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a|b"), "`a|b`");
        assert_eq!(table_code("a|b"), "`a\\|b`");
        assert_eq!(code(""), "\\`\\`");
        assert_eq!(code("a\nb"), "`a b`");
        assert_eq!(
            inline("service `web` has no `HEALTHCHECK`"),
            "service `web` has no `HEALTHCHECK`"
        );
        assert_eq!(inline("a `b` c ` d_e"), "a `b` c \\` d\\_e");
        assert_eq!(
            inline("service `x`<script>`y` is <b>"),
            "service `x`&lt;script&gt;`y` is &lt;b&gt;"
        );
        assert_eq!(destination("a b/(c).tf", Some(3)), "a%20b/%28c%29.tf#L3");
        assert_eq!(destination("javascript:x", None), "javascript%3Ax");
        assert_eq!(thousands(65_536), "65,536");
        assert_eq!(thousands(100), "100");
    }

    fn finding(rule: &'static str, severity: Severity, line: u32, message: String) -> Finding {
        Finding {
            rule,
            severity,
            span: Span {
                start: line * 10,
                end: line * 10 + 4,
            },
            message,
            help: Some("do the right thing with `value`".to_string()),
            mask: None,
        }
    }

    /// A run of 500 files with ten findings each, of every severity and several rules, and
    /// 2,000 compose services, with the context that carries the services.
    fn big_run() -> (Report, Context) {
        let text = "123456789\n".repeat(20);
        let rules: [(&str, Severity); 5] = [
            ("docker/hardcoded-secret", Severity::Critical),
            ("docker/root-user", Severity::Critical),
            ("docker/unpinned-base-image", Severity::Warning),
            ("docker/missing-healthcheck", Severity::Positive),
            ("docker/shell-form-entrypoint", Severity::Suggestion),
        ];
        let files = (0..500)
            .map(|i| {
                let findings = (0..10u32)
                    .map(|n| {
                        let (rule, severity) = rules[n as usize % rules.len()];
                        finding(
                            rule,
                            severity,
                            n + 1,
                            format!("value `v{i}-{n}` is not right in service `svc-{i}`"),
                        )
                    })
                    .collect();
                FileResult {
                    source: SourceFile::new(
                        format!("services/app-{i:03}/Dockerfile"),
                        None,
                        text.clone(),
                    ),
                    format: Format::Docker,
                    findings,
                    masks: Vec::new(),
                    rules: Vec::new().into(),
                }
            })
            .collect();
        let entries = (0..2_000)
            .map(|i| Workload {
                name: format!("service-{i}"),
                path: "compose.yaml".to_string(),
                replicas: Replicas::Fixed(2),
                memory_limit: (i % 3 != 0).then_some(256 << 20),
                memory_request: None,
                cpu_limit: Some(0.5),
                cpu_request: None,
                healthcheck: Some(i % 2 == 0),
            })
            .collect();
        let resources = Resources {
            groups: vec![Group {
                format: Format::Compose,
                name: "compose.yaml".to_string(),
                entries,
            }],
        };
        let report = Report {
            files,
            errors: Vec::new(),
            notices: Vec::new(),
        };
        let context = Context {
            resources,
            ..Context::default()
        };
        (report, context)
    }

    #[test]
    fn a_run_of_five_thousand_findings_stays_under_the_comment_limit() {
        let (report, context) = big_run();
        assert_eq!(report.findings().count(), 5_000);
        let out = render(&report, &context);
        assert!(out.chars().count() < GITHUB_LIMIT, "{}", out.len());
        assert!(out.len() <= BUDGET, "{}", out.len());
        assert!(out.starts_with("## infralint review\n\n❌ **Fails the gate** at `--fail-on critical`: 2,000 critical, 1,000 warnings, 1,000 suggestions, 1,000 positive in 500 files (Dockerfile 500)."), "{}", &out[..300]);
        // Same-rule findings collapse: one entry per rule, ten locations each.
        assert_eq!(
            out.matches("**1,000 findings** in 500 files").count(),
            3,
            "{out}"
        );
        assert_eq!(
            out.matches("<details>").count(),
            out.matches("</details>").count()
        );
        assert!(
            out.contains("  - and 990 more (`-f json` lists every finding)"),
            "{out}"
        );
        // Positives are grouped per file until the room runs out, then a visible note.
        assert!(out.contains("### Positive points\n\n- [`services/app-000/Dockerfile`]"));
        let note = out
            .find("> [!NOTE]\n> **Truncated** to stay under GitHub's 65,536 characters: 1,000 suggestions, 772 positive not shown.")
            .unwrap();
        assert!(!out.contains("### Suggestions"));
        // No entry is cut: the text before the note ends with a whole file of positive points.
        let before = &out[..note];
        assert!(
            before.ends_with("([line 10](services/app-113/Dockerfile#L10))\n\n"),
            "{}",
            &before[before.len() - 300..]
        );
        // The resources section keeps its totals, with a note for the rows left out.
        assert!(out.contains("### Estimated resources"));
        assert!(out.contains("entries are not shown to keep the report short"));
        assert!(
            out.contains("**Run total:** memory limits"),
            "{}",
            &out[out.len() - 500..]
        );
        assert!(out.contains("a lower bound: 667 of 2000 without a limit"));
    }

    #[test]
    fn max_per_rule_bounds_the_locations() {
        let (report, context) = big_run();
        let context = Context {
            max_per_rule: 2,
            ..context
        };
        let out = render(&report, &context);
        assert!(
            out.contains("<summary>The first 2 of 1,000 locations</summary>"),
            "{out}"
        );
        assert!(out.contains("  - and 998 more (`-f json`"), "{out}");
    }
}
