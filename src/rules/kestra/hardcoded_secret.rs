//! Secrets written in Kestra flows: literal values of sensitive properties anywhere in the flow
//! (tasks, triggers, plugin defaults, variables, input defaults), followed through
//! `{{ vars.x }}` and `{{ inputs.x }}`, and credential patterns in any string.
use crate::formats::kestra::pebble;
use crate::formats::yaml::Value as Yaml;
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{
    AWS_SECRET_ACCESS_KEY, Value, article, classify_value, find_credentials,
    is_aws_secret_value_for_key, is_sensitive_key,
};
use crate::rules::shared::yaml_credentials::scan_credentials;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/hardcoded-secret",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/kestra/hardcoded-secret.md"),
    check: Check::Kestra(check),
};

const LITERAL_HELP: &str =
    "store the value as a Kestra secret and read it with `{{ secret('NAME') }}`";
const PATTERN_HELP: &str =
    "revoke it, then store it as a Kestra secret and read it with `{{ secret('NAME') }}`";

/// Top-level properties that hold no credentials of their own.
const SKIPPED_TOP_LEVEL: &[&str] = &["id", "namespace", "description", "labels", "inputs"];

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        let mut state = State::default();
        for (key, _, value) in flow.root.pairs() {
            if !SKIPPED_TOP_LEVEL.contains(&key) {
                walk(flow, value, None, &mut state, cx);
            }
        }
        for input in flow.inputs() {
            let name = input.get("id").or_else(|| input.get("name"));
            let (Some(name), Some(default)) = (name.and_then(Node::as_str), input.get("defaults"))
            else {
                continue;
            };
            if is_credential_key(name, None) {
                literal(flow, name, default, &mut state, cx);
            }
        }
        scan_credentials(&flow.root, "flow", &state.claimed, PATTERN_HELP, cx);
        for (span, key) in state.passes {
            cx.pass(span, format!("`{key}` comes from `secret(…)`"));
        }
    }
}

#[derive(Default)]
struct State {
    /// Values already reported, which the pattern scan skips.
    claimed: Vec<Span>,
    /// Sensitive properties read with `secret(…)`: one pass per enclosing mapping.
    passes: Vec<(Span, String)>,
}

/// Whether a property name is sensitive (the shared sensitive-key list) or one of Kestra's credential properties that
/// that list misses; `parent` is the key of the enclosing mapping (`headers`).
fn is_credential_key(key: &str, parent: Option<&str>) -> bool {
    is_sensitive_key(key)
        || matches!(
            key,
            "serviceAccount" | "privateKey" | "privateKeyPassphrase" | "sasToken"
        )
        || key.eq_ignore_ascii_case("connectionString")
        || (key.eq_ignore_ascii_case("authorization")
            && parent.is_some_and(|p| p.eq_ignore_ascii_case("headers")))
}

fn walk(flow: &Flow, node: &Node, parent: Option<&str>, state: &mut State, cx: &mut Ctx) {
    match &node.value {
        Yaml::Map(_) => {
            let mut passed = false;
            for (key, key_node, value) in node.pairs() {
                if value.as_scalar().is_some() {
                    if is_credential_key(key, parent) {
                        let text = value.as_str().unwrap_or("");
                        if pebble::is_secret_reference(text) {
                            if !passed {
                                state.passes.push((key_node.span, key.to_string()));
                                passed = true;
                            }
                        } else {
                            literal(flow, key, value, state, cx);
                        }
                    } else if let Some(text) = value.as_str()
                        && is_aws_secret_value_for_key(key, text, cx.options())
                    {
                        report_aws(key, value, state, cx);
                    }
                } else {
                    walk(flow, value, Some(key), state, cx);
                }
            }
        }
        Yaml::Seq(items) => {
            for item in items {
                walk(flow, item, parent, state, cx);
            }
        }
        Yaml::Scalar(_) => {}
    }
}

fn report_aws(key: &str, value: &Node, state: &mut State, cx: &mut Ctx) {
    if state.claimed.contains(&value.span) {
        return;
    }
    state.claimed.push(value.span);
    cx.report(
        value.span,
        format!(
            "`{key}` holds {}{AWS_SECRET_ACCESS_KEY}",
            article(AWS_SECRET_ACCESS_KEY)
        ),
    )
    .help(LITERAL_HELP)
    .mask(value.span);
}

/// Report a sensitive property whose value is a literal, or a `{{ vars.x }}` /
/// `{{ inputs.x }}` whose target is one (reported where that literal is written).
fn literal(flow: &Flow, key: &str, value: &Node, state: &mut State, cx: &mut Ctx) {
    let Some(text) = value.as_str() else { return };
    let (target, through) = match flow.resolve(text) {
        Some(resolved) => (resolved, Some(text.trim())),
        None => (value, None),
    };
    let Some(target_text) = target.as_str() else {
        return;
    };
    if through.is_none() && pebble::has_expression(target_text) {
        return;
    }
    let Value::Literal { well_known } = classify_value(target_text, cx.options()) else {
        return;
    };
    if state.claimed.contains(&target.span) {
        return;
    }
    state.claimed.push(target.span);
    let detector = find_credentials(target_text, cx.options())
        .first()
        .map(|c| c.detector);
    let what = match (detector, well_known) {
        (Some(detector), _) => format!("{}{detector}", article(detector)),
        (None, true) => "a well-known default value".to_string(),
        (None, false) => "a literal value".to_string(),
    };
    let message = match through {
        Some(reference) => format!("`{key}` reads `{reference}`, which is set to {what}"),
        None if detector.is_some() => format!("`{key}` holds {what}"),
        None => format!("`{key}` is set to {what}"),
    };
    cx.report(target.span, message)
        .help(LITERAL_HELP)
        .mask(target.span);
}
