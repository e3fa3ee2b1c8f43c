//! Secrets written in Terraform: literal values of sensitive attributes, object keys, variable
//! defaults and `.tfvars` assignments, and credential patterns in any string of the module.
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{
    AWS_SECRET_ACCESS_KEY, Value, article, classify_value, find_credentials,
    is_aws_secret_value_for_key, is_same_as_user, is_user_key_for, report_credentials,
};

pub(crate) static RULE: Rule = Rule {
    id: "terraform/hardcoded-secret",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/terraform/hardcoded-secret.md"),
    check: Check::Terraform(check),
};

const LITERAL_HELP: &str = "pass the value in from a variable marked `sensitive`, a secret manager data source or the environment";
const PATTERN_HELP: &str =
    "revoke it, then read it from a secret manager or a sensitive variable instead";

/// Block types whose attributes are read as key/value pairs.
const KEYED_BLOCKS: [&str; 6] = [
    "resource",
    "data",
    "provider",
    "module",
    "locals",
    "terraform",
];

/// What the check collects before reporting.
#[derive(Default)]
struct Walk {
    /// Value spans reported as key/value findings: patterns inside are not reported again.
    claimed: Vec<Span>,
    /// The first sensitive key set from a reference.
    positive: Option<(Span, String)>,
}

/// The sensitive-key test on the last segment of a key: IAM condition keys such as
/// `token.actions.githubusercontent.com:sub` are judged by what follows the last `:` or `/`.
fn is_sensitive_key(key: &str) -> bool {
    let last = key.rsplit([':', '/']).next().unwrap_or(key);
    crate::rules::shared::secrets::is_sensitive_key(last)
}

/// Values that identify something rather than hold a secret: ARNs, and Terraform addresses
/// written as strings (`"aws_kms_key.main.arn"`).
fn is_identifier(text: &str) -> bool {
    let text = text.trim();
    if text.starts_with("arn:") {
        return true;
    }
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        })
        && parts.first().is_some_and(|p| p.contains('_'))
}

fn check(module: &Module, cx: &mut Ctx) {
    let mut walk = Walk::default();
    for block in &module.blocks {
        if KEYED_BLOCKS.contains(&block.kind.value.as_str()) {
            check_body(&block.body, &mut walk, cx);
        } else if block.is("variable") {
            check_variable(block, &mut walk, cx);
        }
    }
    check_attributes(&module.tfvars, &mut walk, cx);
    scan_patterns(module, &walk.claimed, cx);
    if let Some((span, key)) = walk.positive {
        cx.pass(
            span,
            format!("`{key}` comes from a reference, not a literal"),
        );
    }
}

fn check_body(body: &Body, walk: &mut Walk, cx: &mut Ctx) {
    check_attributes(&body.attributes, walk, cx);
    for block in &body.blocks {
        check_body(&block.body, walk, cx);
    }
}

/// Attributes of one body (or one `.tfvars` file): sensitive keys, nested objects, and the
/// user names beside passwords.
fn check_attributes(attributes: &[Attribute], walk: &mut Walk, cx: &mut Ctx) {
    let users: Vec<(&str, &str)> = attributes
        .iter()
        .filter(|a| !is_sensitive_key(&a.key.value))
        .filter_map(|a| Some((a.key.value.as_str(), a.value.as_str()?)))
        .collect();
    for attr in attributes {
        check_value(
            &attr.key.value,
            attr.key.span,
            &attr.value,
            &users,
            walk,
            cx,
        );
    }
}

/// A value under a key, and the keys of the objects inside it.
fn check_value(
    key: &str,
    key_span: Span,
    value: &Expr,
    users: &[(&str, &str)],
    walk: &mut Walk,
    cx: &mut Ctx,
) {
    match &value.kind {
        ExprKind::Object(items) => {
            let inner_users: Vec<(&str, &str)> = items
                .iter()
                .filter_map(|i| Some((i.key.as_ref()?.value.as_str(), i.value.as_str()?)))
                .filter(|(k, _)| !is_sensitive_key(k))
                .collect();
            // `{ name = "DB_PASSWORD", value = "…" }`, as in container environments.
            if let (Some(name), Some(inner)) = (value.field("name"), value.field("value")) {
                if let Some(name) = name.as_str() {
                    check_value(name, name_span(value), inner, &[], walk, cx);
                }
            }
            for item in items {
                if let Some(k) = &item.key {
                    if k.value != "value" || value.field("name").is_none() {
                        check_value(&k.value, k.span, &item.value, &inner_users, walk, cx);
                    }
                } else {
                    check_value("", item.key_span, &item.value, &[], walk, cx);
                }
            }
        }
        ExprKind::List(items) => {
            for item in items {
                check_value(key, key_span, item, users, walk, cx);
            }
        }
        // `jsonencode({ … })`, `merge({ … })`: the objects passed in keep their own keys; other
        // arguments (`file("key.pem")`) are not the value of the key.
        ExprKind::Call(_, args) => {
            for arg in args
                .iter()
                .filter(|a| a.as_object().is_some() || a.as_list().is_some())
            {
                check_value(key, key_span, arg, users, walk, cx);
            }
            if is_sensitive_key(key) && walk.positive.is_none() && reads_secret(cx, value.span) {
                walk.positive = Some((key_span.cover(value.span), key.to_string()));
            }
        }
        _ => {
            check_scalar(key, key_span, value, users, walk, cx);
        }
    }
}

/// Whether an expression reads a secret: one of the names it mentions is sensitive
/// (`var.client_secret`, `random_password.db.result`), or it reads a file (`file("key.pem")`) or
/// marks its value `sensitive(…)`. An expression that only reads names,
/// switches or key identifiers (`var.encryption_key_name`, `kms_key`) passes in no secret, and
/// is not praised as a reference to one.
fn reads_secret(cx: &Ctx, span: Span) -> bool {
    cx.source()
        .slice(span)
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|name| {
            is_sensitive_key(name)
                || matches!(
                    name,
                    "random_password" | "file" | "filebase64" | "sensitive"
                )
        })
}

fn name_span(object: &Expr) -> Span {
    object.field("name").map_or(object.span, |n| n.span)
}

fn check_scalar(
    key: &str,
    key_span: Span,
    value: &Expr,
    users: &[(&str, &str)],
    walk: &mut Walk,
    cx: &mut Ctx,
) {
    if key.is_empty() {
        return;
    }
    let sensitive = is_sensitive_key(key);
    let Some(text) = value.as_str() else {
        if sensitive
            && !value.is_literal()
            && walk.positive.is_none()
            && reads_secret(cx, value.span)
        {
            walk.positive = Some((key_span.cover(value.span), key.to_string()));
        }
        return;
    };
    let Some(mask) = value.text_span().filter(|s| !s.is_empty()) else {
        return;
    };
    if !sensitive {
        if is_aws_secret_value_for_key(key, text, cx.options()) {
            report(
                cx,
                value.span,
                mask,
                format!(
                    "`{key}` holds {}{AWS_SECRET_ACCESS_KEY}",
                    article(AWS_SECRET_ACCESS_KEY)
                ),
                PATTERN_HELP,
            );
            walk.claimed.push(value.span);
        }
        return;
    }
    let well_known = match classify_value(text, cx.options()) {
        Value::Literal { well_known } => well_known,
        Value::Reference => {
            if walk.positive.is_none() && reads_secret(cx, value.span) {
                walk.positive = Some((key_span.cover(value.span), key.to_string()));
            }
            return;
        }
        Value::Empty | Value::Flag | Value::Placeholder | Value::FilePath => return,
    };
    // The Google provider's `credentials` takes a key file path as well as its content; AWS's
    // documentation keys end in `EXAMPLE` and `EXAMPLEKEY`.
    if (key == "credentials" && is_file_name(text))
        || is_identifier(text)
        || text.ends_with("EXAMPLE")
        || text.ends_with("EXAMPLEKEY")
    {
        return;
    }
    let same_user = users
        .iter()
        .find(|(user_key, user)| is_user_key_for(user_key, key) && is_same_as_user(text, user))
        .map(|(user_key, _)| *user_key);
    let detector = find_credentials(text, cx.options())
        .first()
        .map(|c| c.detector);
    let message = match (same_user, detector) {
        (Some(user_key), _) => format!("`{key}` is set to the same value as `{user_key}`"),
        (None, Some(detector)) => format!("`{key}` holds {}{detector}", article(detector)),
        (None, None) if well_known => format!("`{key}` is set to a well-known default value"),
        (None, None) => format!("`{key}` is set to a literal value"),
    };
    report(cx, value.span, mask, message, LITERAL_HELP);
    walk.claimed.push(value.span);
}

/// A path to a key file rather than the key: one line ending in a file extension.
pub(super) fn is_file_name(text: &str) -> bool {
    let text = text.trim();
    !text.contains('\n')
        && !text.starts_with('{')
        && [".json", ".pem", ".key", ".p12"]
            .iter()
            .any(|ext| text.ends_with(ext))
}

/// A `variable` whose label is sensitive and whose default is a literal.
fn check_variable(block: &Block, walk: &mut Walk, cx: &mut Ctx) {
    let Some(label) = block.labels.first() else {
        return;
    };
    let Some(default) = block.body.attr("default") else {
        return;
    };
    if !is_sensitive_key(&label.value) {
        if let ExprKind::Object(_) = &default.value.kind {
            check_value(&label.value, label.span, &default.value, &[], walk, cx);
        }
        return;
    }
    let Some(text) = default.value.as_str() else {
        return;
    };
    let Some(mask) = default.value.text_span().filter(|s| !s.is_empty()) else {
        return;
    };
    let Value::Literal { well_known } = classify_value(text, cx.options()) else {
        return;
    };
    let name = &label.value;
    let message = match find_credentials(text, cx.options()).first() {
        Some(c) => format!(
            "variable `{name}` defaults to {}{}",
            article(c.detector),
            c.detector
        ),
        None if well_known => format!("variable `{name}` defaults to a well-known default value"),
        None => format!("variable `{name}` has a literal default value"),
    };
    report(
        cx,
        default.value.span,
        mask,
        message,
        "remove the default, mark the variable `sensitive` and supply the value at plan time",
    );
    walk.claimed.push(default.value.span);
}

fn report(cx: &mut Ctx, span: Span, mask: Span, message: String, help: &str) {
    cx.report(span, message).help(help).mask(mask);
}

/// Credential patterns in every literal piece of the module, wherever it is.
fn scan_patterns<'a>(module: &'a Module, claimed: &[Span], cx: &mut Ctx) {
    let mut pieces: Vec<(Span, &str)> = Vec::new();
    let mut collect = |attr: &'a Attribute| {
        let key = attr.key.value.as_str();
        pieces.extend(
            attr.value
                .literals()
                .into_iter()
                .map(|(_, span)| (span, key)),
        );
    };
    for block in &module.blocks {
        for_each_attribute(&block.body, &mut collect);
    }
    module.tfvars.iter().for_each(&mut collect);
    pieces.sort_by_key(|(s, _)| (s.start, s.end));
    pieces.dedup_by_key(|(s, _)| *s);
    for (span, key) in pieces {
        if claimed
            .iter()
            .any(|c| c.start <= span.start && span.end <= c.end)
        {
            continue;
        }
        let raw = cx.source().slice(span).to_string();
        report_credentials(cx, key, &raw, PATTERN_HELP, |_, range| {
            Some(Span::new(
                span.start as usize + range.start,
                span.start as usize + range.end,
            ))
        });
    }
}

fn for_each_attribute<'a>(body: &'a Body, f: &mut impl FnMut(&'a Attribute)) {
    for attr in &body.attributes {
        f(attr);
    }
    for block in &body.blocks {
        for_each_attribute(&block.body, f);
    }
}
