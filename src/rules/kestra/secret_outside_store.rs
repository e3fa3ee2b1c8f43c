//! Sensitive properties fed from the KV store, environment variables or non-secret inputs.
use crate::formats::kestra::{Flow, FlowFile};
use crate::rules::prelude::*;
use crate::rules::shared::secrets::is_sensitive_key;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/secret-outside-store",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/secret-outside-store.md"),
    check: Check::Kestra(check),
};

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        for key in [
            "tasks",
            "errors",
            "finally",
            "afterExecution",
            "triggers",
            "pluginDefaults",
        ] {
            if let Some(node) = flow.root.get(key) {
                walk(flow, node, cx);
            }
        }
    }
}

fn walk(flow: &Flow, node: &Node, cx: &mut Ctx) {
    for (key, _, value) in node.pairs() {
        if is_sensitive_key(key)
            && let Some(text) = value.as_str()
        {
            judge(flow, key, value, text, cx);
        }
        walk(flow, value, cx);
    }
    for item in node.items() {
        walk(flow, item, cx);
    }
}

fn judge(flow: &Flow, key: &str, value: &Node, text: &str, cx: &mut Ctx) {
    let expressions = expressions(text);
    if expressions.is_empty() {
        return;
    }
    let mut source = None;
    for expr in &expressions {
        if has_call(expr, "kv") {
            source = Some("the KV store (`kv(…)`), which is not a secret store".to_string());
        } else if expr.contains("envs.") {
            source = Some("an environment variable (`envs.…`), which is not masked".to_string());
        } else if let Some(input) = input_name(expr)
            && !is_secret_input(flow, input)
        {
            source = Some(format!("input `{input}`, which is not `type: SECRET`"));
        }
        if source.is_some() {
            break;
        }
    }
    match source {
        Some(source) => {
            cx.report(value.span, format!("`{key}` comes from {source}"))
                .help("store the value as a secret and use `{{ secret('…') }}`");
        }
        None => {
            if expressions.iter().any(|e| has_call(e, "secret")) {
                cx.pass(value.span, format!("`{key}` comes from the secret store"));
            }
        }
    }
}

/// The insides of the `{{ … }}` blocks of a value.
fn expressions(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = rest.get(start + 2..).unwrap_or("");
        let end = after.find("}}").unwrap_or(after.len());
        out.push(after.get(..end).unwrap_or(""));
        rest = after.get(end..).unwrap_or("");
    }
    out
}

/// `name(` as a function call, not the tail of a longer name.
fn has_call(expr: &str, name: &str) -> bool {
    expr.match_indices(name).any(|(at, _)| {
        let before = expr.get(..at).and_then(|b| b.chars().next_back());
        let after = expr.get(at + name.len()..).unwrap_or("").trim_start();
        before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
            && after.starts_with('(')
    })
}

/// `x` in `inputs.x` or `inputs['x']`.
fn input_name(expr: &str) -> Option<&str> {
    let at = expr.find("inputs")?;
    let rest = expr.get(at + "inputs".len()..)?;
    let name = if let Some(rest) = rest.strip_prefix('.') {
        rest
    } else {
        rest.strip_prefix('[')?.trim_start_matches(['\'', '"'])
    };
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len());
    name.get(..end).filter(|n| !n.is_empty())
}

fn is_secret_input(flow: &Flow, name: &str) -> bool {
    flow.input(name)
        .and_then(|input| input.get("type"))
        .and_then(Node::as_str)
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("SECRET"))
}
