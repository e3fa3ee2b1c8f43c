//! Entry points for the fuzz targets in `fuzz/` and for the tests that replay what they found:
//! each runs one parser, or the whole lint and every cheap reporter for one file, and checks
//! the invariants callers rely on. A broken invariant is an `Err`; a panic is a bug as it is.

use crate::finding::Finding;
use crate::finding::{FileResult, Report};
use crate::format::Format;
use crate::formats::siblings::Siblings;
use crate::formats::{self, ParseError, docker, systemd, terraform, yaml};
use crate::report::{self, OutputFormat};
use crate::source::{SourceFile, Span};

/// The kinds of file [`check_lint`] lints, picked by its `kind` byte modulo the length: a
/// display name (which decides dotenv against compose YAML, and `.tf` against `.tf.json`) and
/// the format.
pub const FILE_KINDS: [(&str, Format); 12] = [
    ("Dockerfile", Format::Docker),
    ("compose.yaml", Format::Compose),
    (".env", Format::Compose),
    ("deploy.yaml", Format::K8s),
    ("flow.yaml", Format::Kestra),
    ("app.service", Format::Systemd),
    ("main.tf", Format::Terraform),
    ("main.tf.json", Format::Terraform),
    ("terraform.tfvars", Format::Terraform),
    (".github/workflows/ci.yml", Format::Ci),
    ("action.yml", Format::Ci),
    (".gitlab-ci.yml", Format::Ci),
];

/// The reporters [`check_lint`] runs. SARIF is left out: it embeds every rule's doc, which
/// would make each run slow without reaching more of the code that reads the file.
const OUTPUTS: [OutputFormat; 7] = [
    OutputFormat::Human,
    OutputFormat::Json,
    OutputFormat::JsonLines,
    OutputFormat::Github,
    OutputFormat::Gitlab,
    OutputFormat::Junit,
    OutputFormat::Markdown,
];

/// A span must lie inside the text and start and end on character boundaries.
fn check_span(text: &str, span: Span, what: &str) -> Result<(), String> {
    let (start, end) = (span.start as usize, span.end as usize);
    if start > end || end > text.len() {
        return Err(format!(
            "{what}: span {start}..{end} outside the text of {} bytes",
            text.len()
        ));
    }
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return Err(format!("{what}: span {start}..{end} splits a character"));
    }
    Ok(())
}

fn check_errors(text: &str, errors: &[ParseError]) -> Result<(), String> {
    for error in errors {
        check_span(text, error.span, &error.message)?;
        if error.message.is_empty() {
            return Err("a parse error without a message".into());
        }
    }
    Ok(())
}

/// Parse a Dockerfile and check the spans of its instructions, words and heredocs.
pub fn check_dockerfile(text: &str) -> Result<(), String> {
    let file = docker::parse(text);
    check_errors(text, &file.errors)?;
    let mut stack: Vec<&docker::Instruction> = file.instructions.iter().collect();
    while let Some(instr) = stack.pop() {
        check_span(text, instr.span, "instruction")?;
        check_span(text, instr.keyword.span, "keyword")?;
        check_span(text, instr.args.span, "arguments")?;
        for word in &instr.args.words {
            check_span(text, word.span, "word")?;
        }
        for flag in &instr.flags {
            check_span(text, flag.span, "flag")?;
        }
        for heredoc in &instr.heredocs {
            check_span(text, heredoc.body.span, "heredoc body")?;
        }
        stack.extend(instr.trigger.as_deref());
    }
    Ok(())
}

/// Parse a YAML stream and check the span of every node, aliases and merge keys expanded.
pub fn check_yaml(text: &str) -> Result<(), String> {
    let stream = yaml::parse(text);
    check_errors(text, &stream.errors)?;
    check_errors(text, &stream.duplicate_keys)?;
    for document in &stream.documents {
        check_span(text, document.span, "document")?;
        let mut stack: Vec<&yaml::Node> = document.root.iter().collect();
        let mut depth = vec![1usize];
        while let (Some(node), Some(level)) = (stack.pop(), depth.pop()) {
            check_span(text, node.span, "node")?;
            if level > yaml::MAX_DEPTH {
                return Err(format!("a node nested {level} levels deep"));
            }
            let children: Vec<&yaml::Node> = match &node.value {
                yaml::Value::Scalar(_) => Vec::new(),
                yaml::Value::Seq(items) => items.iter().collect(),
                yaml::Value::Map(entries) => {
                    entries.iter().flat_map(|e| [&e.key, &e.value]).collect()
                }
            };
            depth.extend(std::iter::repeat_n(level + 1, children.len()));
            stack.extend(children);
        }
    }
    Ok(())
}

/// Parse a systemd unit file and check the spans of its sections and assignments.
pub fn check_systemd(text: &str) -> Result<(), String> {
    let file = systemd::parse_file(text, 0);
    check_errors(text, &file.errors)?;
    for section in &file.sections {
        check_span(text, section.header, "section header")?;
        check_span(text, section.name.span, "section name")?;
        for entry in &section.entries {
            check_span(text, entry.span, "assignment")?;
            check_span(text, entry.key.span, "key")?;
            check_span(text, entry.value_span, "value")?;
        }
    }
    Ok(())
}

/// Parse one `.tf` file as a module and check the spans of its blocks and attributes.
pub fn check_terraform(text: &str) -> Result<(), String> {
    let module = terraform::parse_file("main.tf", text);
    check_errors(text, &module.errors)?;
    let mut stack: Vec<&terraform::Block> = module.blocks.iter().collect();
    while let Some(block) = stack.pop() {
        check_span(text, block.span, "block")?;
        check_span(text, block.head, "block head")?;
        for attribute in &block.body.attributes {
            check_span(text, attribute.span, "attribute")?;
            check_span(text, attribute.value.span, "attribute value")?;
        }
        stack.extend(&block.body.blocks);
    }
    Ok(())
}

/// Lint one file of the kind picked by `kind` (see [`FILE_KINDS`]) with every rule, check each
/// finding, and render the result with every reporter but SARIF.
pub fn check_lint(kind: u8, text: &str) -> Result<(), String> {
    let index = usize::from(kind) % FILE_KINDS.len();
    let Some(&(name, format)) = FILE_KINDS.get(index) else {
        return Ok(());
    };
    let source = SourceFile::new(name, None, text.to_string());
    let every_rule = crate::rules::selection::Selection {
        select: vec!["all".to_string()],
        ..Default::default()
    };
    let findings = crate::engine::lint_source(&source, format, &Siblings::None, &every_rule);
    for finding in &findings {
        check_finding(text, finding)?;
    }
    let parsed = formats::parse(format, &source);
    let resources = crate::resources::collect(std::iter::once((name, &parsed)));
    let report = Report {
        files: vec![FileResult {
            source,
            format,
            masks: crate::engine::merge_masks(&findings),
            findings,
            rules: Vec::new().into(),
        }],
        errors: Vec::new(),
        notices: Vec::new(),
    };
    let context = report::Context {
        resources,
        ..report::Context::default()
    };
    for output in OUTPUTS {
        let mut out = Vec::new();
        report::write(&mut out, output, &report, &context)
            .map_err(|err| format!("{output:?} output failed: {err}"))?;
    }
    Ok(())
}

fn check_finding(text: &str, finding: &Finding) -> Result<(), String> {
    let what = format!("{} `{}`", finding.rule, finding.message);
    check_span(text, finding.span, &what)?;
    if let Some(mask) = finding.mask {
        check_span(text, mask, &what)?;
    }
    if finding.message.is_empty() {
        return Err(format!("{}: a finding without a message", finding.rule));
    }
    Ok(())
}
