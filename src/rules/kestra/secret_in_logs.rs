//! Secrets written to logs or outputs, where Kestra's masking of exact values does not help.
use crate::formats::kestra::pebble;
use crate::rules::prelude::*;
use crate::source::SourceFile;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/secret-in-logs",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/secret-in-logs.md"),
    check: Check::Kestra(check),
};

/// What starts printing in the script languages Kestra runs.
const PRINTERS: &[&str] = &[
    "echo ",
    "printf ",
    "print(",
    "console.log",
    "Write-Output",
    "Write-Host",
    "logger.",
    "puts ",
    "cat <<",
];

const SCRIPT_KEYS: &[&str] = &["commands", "script", "beforeCommands"];

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        for task in &flow.tasks {
            let id = task.id().unwrap_or("");
            match task.kind.as_str() {
                "io.kestra.plugin.core.log.Log" => {
                    for node in task.get("message").map(Node::strings).unwrap_or_default() {
                        report_calls(node, &format!("log task `{id}` prints"), cx);
                    }
                }
                "io.kestra.plugin.core.debug.Return" => {
                    for node in task.get("format").map(Node::strings).unwrap_or_default() {
                        report_calls(node, &format!("task `{id}` returns"), cx);
                    }
                }
                _ => {}
            }
            check_script(task, cx);
        }
        for output in flow.outputs() {
            let name = output.get("id").and_then(Node::as_str).unwrap_or("");
            for node in output.get("value").map(Node::strings).unwrap_or_default() {
                report_calls(node, &format!("flow output `{name}` stores"), cx);
            }
        }
    }
}

/// Report every `secret(…)` call of a string.
fn report_calls(node: &Node, what: &str, cx: &mut Ctx) {
    let Some(text) = node.as_str() else { return };
    for call in pebble::secret_calls(text) {
        let piece = text.get(call.range.clone()).unwrap_or("");
        let span = span_in(cx.source(), node, call.range.start, piece);
        cx.report(span, format!("{what} secret `{}`", call.name))
            .help("do not log or output secrets; log that the value is set, not the value");
    }
}

/// Script lines that print a secret, directly or through an `env` entry bound to one, and
/// shell tracing while secrets are in the environment.
fn check_script(task: &Task, cx: &mut Ctx) {
    let id = task.id().unwrap_or("");
    let secret_env: Vec<&str> = task
        .get("env")
        .map(|env| {
            env.pairs()
                .filter(|(_, _, v)| {
                    v.as_str()
                        .is_some_and(|t| !pebble::secret_calls(t).is_empty())
                })
                .map(|(k, _, _)| k)
                .collect()
        })
        .unwrap_or_default();
    for key in SCRIPT_KEYS {
        for node in task.get(key).map(Node::strings).unwrap_or_default() {
            let Some(text) = node.as_str() else { continue };
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let start = offset;
                offset += line.len();
                let code = line.trim();
                if !secret_env.is_empty() && traces(code) {
                    let span = span_in(cx.source(), node, start, line.trim_end());
                    cx.report(
                        span,
                        format!("task `{id}` traces its shell while its `env` holds secrets"),
                    )
                    .help("remove `set -x` (or `bash -x`): tracing prints every expanded command, secrets included");
                    continue;
                }
                if !PRINTERS.iter().any(|p| code.contains(p)) {
                    continue;
                }
                let direct = pebble::secret_calls(line);
                if let Some(call) = direct.first() {
                    let piece = line.get(call.range.clone()).unwrap_or("");
                    let span = span_in(cx.source(), node, start + call.range.start, piece);
                    cx.report(span, format!("task `{id}` prints secret `{}`", call.name))
                        .help("do not print secrets; print that the value is set, not the value");
                    continue;
                }
                if let Some(var) = secret_env.iter().find(|v| mentions_var(line, v)) {
                    let span = span_in(cx.source(), node, start, line.trim_end());
                    cx.report(
                        span,
                        format!("task `{id}` prints `{var}`, which holds a secret"),
                    )
                    .help("do not print secrets; print that the value is set, not the value");
                }
            }
        }
    }
}

/// `set -x`, `set -o xtrace`, `bash -x` and friends.
fn traces(code: &str) -> bool {
    let words: Vec<&str> = code.split_whitespace().collect();
    words.windows(2).any(|w| match w {
        [cmd, flag] => {
            matches!(*cmd, "set" | "bash" | "sh" | "zsh")
                && flag.starts_with('-')
                && !flag.starts_with("--")
                && flag.contains('x')
                || (*cmd == "-o" && *flag == "xtrace")
        }
        _ => false,
    })
}

/// Whether a script line reads the environment variable `var` (`$VAR`, `${VAR}`,
/// `os.environ["VAR"]`, `process.env.VAR`, `$env:VAR`).
fn mentions_var(line: &str, var: &str) -> bool {
    line.match_indices(var).any(|(i, _)| {
        let before = line.get(..i).unwrap_or("");
        let after = line.get(i + var.len()..).unwrap_or("");
        let ends = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        ends && (before.ends_with('$')
            || before.ends_with("${")
            || before.ends_with("env:")
            || before.ends_with("env.")
            || before.ends_with("environ[\"")
            || before.ends_with("environ['")
            || before.ends_with("getenv(\"")
            || before.ends_with("getenv('"))
    })
}

/// The source span of `piece`, found at byte `at` of a scalar's text.
fn span_in(source: &SourceFile, node: &Node, at: usize, piece: &str) -> Span {
    let start = node.span.start as usize;
    let written = source.slice(node.span);
    let text = node.as_str().unwrap_or("");
    if written == text {
        return Span::new(start + at, start + at + piece.len());
    }
    match written.find(piece) {
        Some(offset) if !piece.is_empty() => {
            Span::new(start + offset, start + offset + piece.len())
        }
        _ => node.span,
    }
}
