//! Secrets written in a compose file or a committed dotenv file: literal values of sensitive
//! keys, and credential patterns in any value.
use super::view::{Seen, span_in};
use crate::formats::compose::{Dotenv, environment};
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{
    AWS_SECRET_ACCESS_KEY, Value, article, classify_value, find_credentials, is_access_key_id,
    is_aws_secret_value_for_key, is_same_as_user, is_sensitive_key, is_user_key_for,
    literal_default, literal_default_finding, report_credentials,
};

pub(crate) static RULE: Rule = Rule {
    id: "compose/hardcoded-secret",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/hardcoded-secret.md"),
    check: Check::ComposeAndDotenv(check_compose, check_dotenv),
};

const LITERAL_HELP: &str = "move the value to a compose `secrets:` entry or an untracked `.env` file and reference it as `${VAR}`";
const PATTERN_HELP: &str =
    "revoke it, then provide it through a compose `secret` or an untracked `.env` file";
const DEFAULT_HELP: &str = "drop the default (`${VAR:?message}` makes compose stop when the variable is unset) and set the value in an untracked `.env` file";
const DOTENV_HELP: &str =
    "keep this file out of version control and commit a `.env.example` with placeholders instead";

/// A key with its value as read, and where the value is written.
struct Pair<'a> {
    key: &'a str,
    value: &'a str,
    span: Span,
}

fn check_dotenv(dotenv: &Dotenv, cx: &mut Ctx) {
    let pairs: Vec<Pair> = dotenv
        .entries
        .iter()
        .map(|e| Pair {
            key: &e.key.value,
            value: &e.value.value,
            span: e.value.span,
        })
        .collect();
    let mut seen = Seen::default();
    let positive = check_pairs(&pairs, DOTENV_HELP, &mut seen, cx);
    if let Some((span, key)) = positive {
        cx.pass(span, format!("`{key}` comes from a secret reference"));
    }
}

fn check_compose(compose: &Compose, cx: &mut Ctx) {
    let mut seen = Seen::default();
    for service in compose.services() {
        let env: Vec<Pair> = environment(service.node)
            .into_iter()
            .filter_map(|e| {
                Some(Pair {
                    key: e.key,
                    value: e.value?,
                    span: e.value_span,
                })
            })
            .collect();
        let mut positive = check_pairs(&env, LITERAL_HELP, &mut seen, cx)
            .map(|(span, key)| (span, format!("`{key}` comes from a secret reference")));
        if let Some(args) = service.node.path(&["build", "args"]) {
            let pairs = map_or_list_pairs(args);
            check_pairs(&pairs, LITERAL_HELP, &mut seen, cx);
        }
        for (key, key_node, value) in service.node.pairs() {
            if key.starts_with("x-") {
                extension(key_node, value, &mut seen, cx);
            }
        }
        for key in ["command", "entrypoint", "image", "labels"] {
            if let Some(node) = service.get(key) {
                patterns(key, node, &mut seen, cx);
            }
        }
        if let Some(test) = service.node.path(&["healthcheck", "test"]) {
            patterns("healthcheck.test", test, &mut seen, cx);
        }
        if positive.is_none() {
            positive = secret_use(&service);
        }
        if let Some((span, message)) = positive {
            cx.pass(span, message);
        }
    }
    if let Some(root) = &compose.root {
        for (key, key_node, value) in root.pairs() {
            if key.starts_with("x-") {
                extension(key_node, value, &mut seen, cx);
            }
        }
    }
}

/// Compose `secrets:` on the service, or a `*_FILE` variable naming a mounted secret.
fn secret_use(service: &Service) -> Option<(Span, String)> {
    if let Some(secrets) = service.node.entry("secrets")
        && secrets.value.items().next().is_some()
    {
        return Some((
            secrets.key.span,
            format!(
                "`{}` reads its secrets from compose `secrets`",
                service.name
            ),
        ));
    }
    environment(service.node).into_iter().find_map(|e| {
        let value = e.value?;
        (e.key.ends_with("_FILE") && value.trim().starts_with("/run/secrets/")).then(|| {
            (
                e.key_span,
                format!("`{}` points at a mounted secret file", e.key),
            )
        })
    })
}

/// A mapping or a `KEY=value` list as pairs (build args, extension fields).
fn map_or_list_pairs(node: &Node) -> Vec<Pair<'_>> {
    if node.as_map().is_some() {
        return node
            .pairs()
            .filter_map(|(key, _, value)| {
                Some(Pair {
                    key,
                    value: value.as_str()?,
                    span: value.span,
                })
            })
            .collect();
    }
    environment_like(node)
}

fn environment_like(list: &Node) -> Vec<Pair<'_>> {
    list.items()
        .filter_map(|item| {
            let text = item.as_str()?;
            let (key, value) = text.split_once('=')?;
            Some(Pair {
                key,
                value,
                span: item.span,
            })
        })
        .collect()
}

/// An `x-*` extension field: every mapping entry below it is a key/value source, every string
/// a pattern source.
fn extension(key_node: &Node, value: &Node, seen: &mut Seen, cx: &mut Ctx) {
    let mut stack = vec![value];
    let mut pairs: Vec<Pair> = Vec::new();
    while let Some(node) = stack.pop() {
        if node.as_map().is_some() {
            for (key, _, v) in node.pairs() {
                match v.as_str() {
                    Some(text) => pairs.push(Pair {
                        key,
                        value: text,
                        span: v.span,
                    }),
                    None => stack.push(v),
                }
            }
        } else if node.as_seq().is_some() {
            pairs.extend(environment_like(node));
            stack.extend(node.items().filter(|i| i.as_scalar().is_none()));
        }
    }
    check_pairs(&pairs, LITERAL_HELP, seen, cx);
    let name = key_node.as_str().unwrap_or("x-");
    patterns(name, value, seen, cx);
}

/// Report sensitive keys with literal values and credential patterns in any value; returns the
/// first sensitive key set from a reference.
fn check_pairs(
    pairs: &[Pair],
    help: &str,
    seen: &mut Seen,
    cx: &mut Ctx,
) -> Option<(Span, String)> {
    let users: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|p| !is_sensitive_key(p.key))
        .map(|p| (p.key, p.value))
        .collect();
    let mut positive = None;
    for pair in pairs {
        let key = pair.key;
        let span = span_in(cx, pair.span, pair.value, 0..pair.value.len());
        if is_sensitive_key(key) {
            // `MYSQL_RANDOM_ROOT_PASSWORD: 1`, `MYSQL_ALLOW_EMPTY_PASSWORD: 0`: switches.
            if matches!(pair.value.trim(), "0" | "1") {
                continue;
            }
            let well_known = match classify_value(pair.value, cx.options()) {
                Value::Literal { well_known } => well_known,
                Value::Reference => {
                    match literal_default(pair.value, cx.options()) {
                        Some(range) => literal_fallback(pair, range, seen, cx),
                        None => {
                            positive.get_or_insert((pair.span, key.to_string()));
                        }
                    }
                    continue;
                }
                Value::Empty | Value::Flag | Value::Placeholder | Value::FilePath => continue,
            };
            // `MINIO_ACCESS_KEY` beside `MINIO_SECRET_KEY` names the account.
            if is_access_key_id(key, pairs.iter().map(|p| p.key)) {
                continue;
            }
            if !seen.first(span) {
                continue;
            }
            let same_user = users
                .iter()
                .find(|(user_key, user)| {
                    is_user_key_for(user_key, key) && is_same_as_user(pair.value, user)
                })
                .map(|(user_key, _)| *user_key);
            let detector = find_credentials(pair.value, cx.options())
                .first()
                .map(|c| c.detector);
            let message = match (same_user, detector) {
                (Some(user_key), _) => format!("`{key}` is set to the same value as `{user_key}`"),
                (None, Some(d)) => format!("`{key}` holds {}{d}", article(d)),
                (None, None) if well_known => {
                    format!("`{key}` is set to a well-known default value")
                }
                (None, None) => format!("`{key}` is set to a literal value"),
            };
            cx.report(span, message).help(help).mask(span);
            continue;
        }
        if is_aws_secret_value_for_key(key, pair.value, cx.options()) {
            if seen.first(span) {
                cx.report(
                    span,
                    format!(
                        "`{key}` holds {}{AWS_SECRET_ACCESS_KEY}",
                        article(AWS_SECRET_ACCESS_KEY)
                    ),
                )
                .help(PATTERN_HELP)
                .mask(span);
            }
            continue;
        }
        report_credentials(cx, key, pair.value, PATTERN_HELP, |cx, range| {
            let at = span_in(cx, pair.span, pair.value, range);
            seen.first(at).then_some(at)
        });
    }
    positive
}

/// `${DB_PASSWORD:-hunter2}`: the value is a reference, but the default written beside it is
/// used whenever the variable is unset. A default that looks generated is a secret written in
/// the file (critical); a word or a well-known default is a weak fallback (warning).
fn literal_fallback(pair: &Pair, range: std::ops::Range<usize>, seen: &mut Seen, cx: &mut Ctx) {
    let key = pair.key;
    let span = span_in(cx, pair.span, pair.value, range.clone());
    if !seen.first(span) {
        return;
    }
    let default = pair.value.get(range).unwrap_or("");
    let (message, critical) = literal_default_finding(key, pair.value, default);
    let finding = cx.report(span, message);
    finding.help(DEFAULT_HELP).mask(span);
    if !critical {
        finding.severity = Severity::Warning;
    }
}

/// Credential patterns in every string below `node`.
fn patterns(place: &str, node: &Node, seen: &mut Seen, cx: &mut Ctx) {
    for string in node.strings() {
        let Some(text) = string.as_str() else {
            continue;
        };
        report_credentials(cx, place, text, PATTERN_HELP, |cx, range| {
            let at = span_in(cx, string.span, text, range);
            seen.first(at).then_some(at)
        });
    }
}
