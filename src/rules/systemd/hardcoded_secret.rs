//! Secrets written in a unit: literal values of sensitive `Environment=` names, literal
//! `SetCredential=` values, and credential patterns in `Exec*=` lines.
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{
    AWS_SECRET_ACCESS_KEY, Value, article, classify_value, find_credentials, interpolated_names,
    is_aws_secret_value_for_key, is_same_as_user, is_sensitive_key, is_user_key_for, key_tokens,
    report_credentials,
};

pub(crate) static RULE: Rule = Rule {
    id: "systemd/hardcoded-secret",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/systemd/hardcoded-secret.md"),
    check: Check::Systemd(check),
};

const ENV_HELP: &str = "deliver it with `LoadCredential=` (read from `$CREDENTIALS_DIRECTORY`) or an `EnvironmentFile=` kept out of version control";
const PATTERN_HELP: &str =
    "revoke it, then deliver the new one with `LoadCredential=` or `LoadCredentialEncrypted=`";
const CREDENTIAL_HELP: &str = "store the value encrypted with `systemd-creds encrypt` and use `SetCredentialEncrypted=` or `LoadCredentialEncrypted=`";

/// The settings that deliver credentials from outside the unit.
const DELIVERY: [&str; 3] = [
    "LoadCredential",
    "LoadCredentialEncrypted",
    "SetCredentialEncrypted",
];

/// Words in an `EnvironmentFile=` path, or in a comment of the unit, that say the file holds
/// secrets (`/etc/app/secrets.env`, `# credentials come from …`).
const SECRET_WORDS: &[&str] = &[
    "secret",
    "secrets",
    "credential",
    "credentials",
    "password",
    "passwords",
    "passwd",
    "token",
    "tokens",
    "apikey",
    "key",
    "keys",
];

fn check(unit: &Unit, cx: &mut Ctx) {
    let mut seen: Vec<Span> = Vec::new();
    let mut positive: Option<(Span, String)> = None;
    let env = unit.environment();
    let users: Vec<(&str, &str)> = env
        .iter()
        .filter(|a| !is_sensitive_key(&a.name.value))
        .map(|a| (a.name.value.as_str(), a.value.value.as_str()))
        .collect();
    for assignment in &env {
        let key = assignment.name.value.as_str();
        let value = assignment.value.value.as_str();
        let span = assignment.value.span;
        if is_sensitive_key(key) {
            if matches!(value.trim(), "0" | "1") {
                continue;
            }
            let well_known = match classify_value(value, cx.options()) {
                Value::Literal { well_known } => well_known,
                // systemd does not expand `$VAR` in `Environment=`: the service receives the
                // text as written, which is no secret but no reference either. `%d/…` is a
                // specifier (the credentials directory) and is expanded.
                Value::Reference if value.contains('$') => continue,
                Value::Reference => {
                    positive.get_or_insert((
                        assignment.name.span,
                        format!("`{key}` comes from a secret reference"),
                    ));
                    continue;
                }
                Value::Empty | Value::Flag | Value::Placeholder | Value::FilePath => continue,
            };
            if seen.contains(&span) {
                continue;
            }
            seen.push(span);
            let same_user = users
                .iter()
                .find(|(user_key, user)| {
                    is_user_key_for(user_key, key) && is_same_as_user(value, user)
                })
                .map(|(user_key, _)| *user_key);
            let detector = find_credentials(value, cx.options())
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
            cx.report(span, message).help(ENV_HELP).mask(span);
            continue;
        }
        if is_aws_secret_value_for_key(key, value, cx.options()) {
            seen.push(span);
            cx.report(
                span,
                format!(
                    "`{key}` holds {}{AWS_SECRET_ACCESS_KEY}",
                    article(AWS_SECRET_ACCESS_KEY)
                ),
            )
            .help(PATTERN_HELP)
            .mask(span);
            continue;
        }
        report_credentials(cx, key, value, PATTERN_HELP, |_, range| {
            // Offsets inside the value are exact only when it is written without quotes.
            let at = if value.len() == span.len() {
                Span::new(
                    span.start as usize + range.start,
                    span.start as usize + range.end,
                )
            } else {
                span
            };
            first(&mut seen, at)
        });
    }
    for entry in unit.list("Service", "SetCredential") {
        let Some((id, value)) = entry.value.split_once(':') else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        let offset = id.len() + 1;
        let span = entry.source_span(offset..entry.value.len());
        cx.report(span, format!("credential `{id}` is written in the unit"))
            .help(CREDENTIAL_HELP)
            .mask(span);
    }
    for entry in unit.exec_lines() {
        exec_line(entry, &mut seen, cx);
    }
    if positive.is_none() {
        positive = DELIVERY
            .iter()
            .find_map(|key| {
                let entry = unit.list("Service", key).into_iter().next()?;
                Some((
                    entry.key.span,
                    format!("secrets are delivered through `{key}=`"),
                ))
            })
            .or_else(|| secret_environment_file(unit, &env, cx));
    }
    if let Some((span, message)) = positive {
        cx.pass(span, message);
    }
}

/// An `EnvironmentFile=` is praised only when it is known to carry secrets: its path says so
/// (`/etc/app/secrets.env`), a command reads a sensitive variable that no `Environment=` sets
/// (`--password=${DB_PASSWORD}`), or a comment of the unit mentions secrets. Most environment
/// files hold ordinary settings (`/etc/default/app`, `/run/ignition.env`).
fn secret_environment_file(
    unit: &Unit,
    env: &[crate::formats::systemd::EnvAssignment],
    cx: &Ctx,
) -> Option<(Span, String)> {
    let entries = unit.list("Service", "EnvironmentFile");
    let first = entries.first()?;
    let secret_word = |t: &str| SECRET_WORDS.iter().any(|w| t.eq_ignore_ascii_case(w));
    let named = entries
        .iter()
        .find(|e| key_tokens(&e.value).any(secret_word));
    let read_by_command = unit.exec_lines().any(|exec| {
        interpolated_names(&exec.value)
            .into_iter()
            .any(|name| is_sensitive_key(name) && !env.iter().any(|a| a.name.value == name))
    });
    let commented = cx.source().text.lines().any(|line| {
        let line = line.trim_start();
        (line.starts_with('#') || line.starts_with(';')) && key_tokens(line).any(secret_word)
    });
    let entry = named.or((read_by_command || commented).then_some(first))?;
    Some((
        entry.key.span,
        "secrets are delivered through `EnvironmentFile=`".to_string(),
    ))
}

/// Credential patterns in a command line, and `--password=literal` style options.
fn exec_line(entry: &Entry, seen: &mut Vec<Span>, cx: &mut Ctx) {
    let key = entry.key.value.as_str();
    report_credentials(
        cx,
        &format!("{key}="),
        &entry.value,
        PATTERN_HELP,
        |_, range| first(seen, entry.source_span(range)),
    );
    let mut offset = 0;
    for word in entry.value.split(' ') {
        let start = offset;
        offset += word.len() + 1;
        let Some((flag, value)) = word.strip_prefix("--").and_then(|w| w.split_once('=')) else {
            continue;
        };
        let value_trim = value.trim_matches(['"', '\'']);
        if !is_sensitive_key(flag)
            || !matches!(
                classify_value(value_trim, cx.options()),
                Value::Literal { .. }
            )
        {
            continue;
        }
        let value_start = start + 2 + flag.len() + 1;
        let at = entry.source_span(value_start..value_start + value.len());
        if !seen.contains(&at) {
            seen.push(at);
            cx.report(
                at,
                format!("option `--{flag}` is given a literal value in `{key}=`"),
            )
            .help(PATTERN_HELP)
            .mask(at);
        }
    }
}

/// The span, the first time it is seen; `None` after.
fn first(seen: &mut Vec<Span>, at: Span) -> Option<Span> {
    if seen.contains(&at) {
        return None;
    }
    seen.push(at);
    Some(at)
}
