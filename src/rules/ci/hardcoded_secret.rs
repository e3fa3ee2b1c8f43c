//! Secrets written into CI pipelines: literal values of sensitive variables and action inputs,
//! and credential patterns anywhere, `run:` and `script:` text included.
use crate::rules::ci::expr::mask_expressions;
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{
    AWS_SECRET_ACCESS_KEY, PRIVATE_KEY, Value, article, classify_value, credential_message,
    find_credentials, is_aws_secret_value_for_key, is_same_as_user, is_sensitive_key,
    is_user_key_for, key_tokens,
};

pub(crate) static RULE: Rule = Rule {
    id: "ci/hardcoded-secret",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/ci/hardcoded-secret.md"),
    check: Check::Ci(check),
};

const GITHUB_HELP: &str =
    "store the value as an encrypted secret and reference it as `${{ secrets.NAME }}`";
const GITLAB_HELP: &str =
    "store the value as a masked, protected CI/CD variable and reference it as `$NAME`";
const GITHUB_PATTERN_HELP: &str =
    "revoke it, then store it as an encrypted secret and read it through `${{ secrets.NAME }}`";
const GITLAB_PATTERN_HELP: &str =
    "revoke it, then store it as a masked, protected CI/CD variable and read it as `$NAME`";

/// A finding waiting to be reported (the source text is borrowed while the file is read).
struct Hit {
    span: Span,
    message: String,
    /// Found by a credential pattern rather than by its key.
    pattern: bool,
}

fn check(file: &CiFile, cx: &mut Ctx) {
    let (help, pattern_help) = match file.flavor {
        Flavor::Gitlab => (GITLAB_HELP, GITLAB_PATTERN_HELP),
        Flavor::Workflow | Flavor::Action => (GITHUB_HELP, GITHUB_PATTERN_HELP),
    };
    let mut hits = Vec::new();
    let mut passes = Vec::new();
    for maps in owners(file) {
        let mut positive = None;
        for map in maps {
            check_map(map, cx.options(), &mut hits, &mut positive);
        }
        passes.extend(positive);
    }
    let claimed: Vec<Span> = hits.iter().map(|h| h.span).collect();
    if let Some(root) = &file.root {
        scan_patterns(root, &cx.source().text, cx.options(), &claimed, &mut hits);
    }
    for hit in hits {
        let help = if hit.pattern { pattern_help } else { help };
        cx.report(hit.span, hit.message).help(help).mask(hit.span);
    }
    for (span, key) in passes {
        cx.pass(span, format!("`{key}` comes from a secret reference"));
    }
}

/// The key/value mappings of the file grouped by owner (the file itself, then each job): the
/// Positive is given at most once per owner.
fn owners(file: &CiFile) -> Vec<Vec<&Node>> {
    let env_key = match file.flavor {
        Flavor::Gitlab => "variables",
        Flavor::Workflow | Flavor::Action => "env",
    };
    let mut top: Vec<&Node> = file.get(env_key).into_iter().collect();
    if let Some(root) = file.root.as_ref().filter(|_| file.flavor == Flavor::Gitlab) {
        top.extend(services_maps(root, file));
    }
    if let Some(default) = &file.default {
        top.extend(services_maps(default, file));
    }
    top.extend(file.steps.iter().flat_map(step_maps));
    let mut out = vec![top];
    for job in &file.jobs {
        let mut maps: Vec<&Node> = job.get(env_key).into_iter().collect();
        maps.extend(["with", "secrets"].iter().filter_map(|k| job.get(k)));
        maps.extend(services_maps(&job.node, file));
        maps.extend(job.steps.iter().flat_map(step_maps));
        out.push(maps);
    }
    out
}

/// Environment and credentials of a job's container and services.
fn services_maps<'a>(holder: &'a Node, file: &CiFile) -> Vec<&'a Node> {
    let mut out = Vec::new();
    let mut add = |service: &'a Node| {
        for key in ["env", "variables", "credentials"] {
            out.extend(service.get(key).filter(|n| n.as_map().is_some()));
        }
    };
    match file.flavor {
        Flavor::Gitlab => holder
            .get("services")
            .into_iter()
            .flat_map(Node::items)
            .for_each(&mut add),
        Flavor::Workflow | Flavor::Action => {
            holder.get("container").into_iter().for_each(&mut add);
            holder
                .get("services")
                .into_iter()
                .flat_map(Node::pairs)
                .for_each(|(_, _, s)| add(s));
        }
    }
    out
}

/// A step's `with` inputs and `env`.
fn step_maps(step: &Step) -> Vec<&Node> {
    step.with.iter().chain(step.get("env")).collect()
}

/// Whether a key names a secret. Beyond the shared list, inputs that only describe a token
/// (`token_format`, `token-type`) are not secrets.
fn is_secret_key(key: &str) -> bool {
    const DESCRIPTIVE: &[&str] = &["format", "kind", "scope", "scopes", "audience", "lifetime"];
    is_sensitive_key(key)
        && !key_tokens(key)
            .last()
            .is_some_and(|t| DESCRIPTIVE.iter().any(|d| t.eq_ignore_ascii_case(d)))
}

/// The literal secrets of one mapping (GitLab's `{value: …}` form read through its `value`),
/// and the first sensitive key that comes from a reference.
fn check_map(
    map: &Node,
    options: &Options,
    hits: &mut Vec<Hit>,
    positive: &mut Option<(Span, String)>,
) {
    let pairs: Vec<(&str, &Node, &Node)> = map
        .pairs()
        .map(|(k, key, v)| (k, key, v.get("value").unwrap_or(v)))
        .collect();
    let users: Vec<(&str, String)> = pairs
        .iter()
        .filter(|(k, _, _)| !is_secret_key(k))
        .filter_map(|(k, _, v)| Some((*k, v.as_str()?.to_string())))
        .collect();
    for (key, key_node, value) in pairs {
        let Some(text) = value.as_str() else {
            continue;
        };
        let masked = mask_expressions(text);
        if !is_secret_key(key) {
            if is_aws_secret_value_for_key(key, &masked, options) {
                hits.push(Hit {
                    span: value.span,
                    message: format!(
                        "`{key}` holds {}{AWS_SECRET_ACCESS_KEY}",
                        article(AWS_SECRET_ACCESS_KEY)
                    ),
                    pattern: false,
                });
            }
            continue;
        }
        let well_known = match classify_value(&masked, options) {
            Value::Literal { well_known } => well_known,
            Value::Reference => {
                if positive.is_none() {
                    *positive = Some((key_node.span, key.to_string()));
                }
                continue;
            }
            Value::Empty | Value::Flag | Value::Placeholder | Value::FilePath => continue,
        };
        if names_its_key(key, text) {
            continue;
        }
        let same_user = users
            .iter()
            .find(|(user_key, user)| is_user_key_for(user_key, key) && is_same_as_user(text, user))
            .map(|(user_key, _)| *user_key);
        let detector = find_credentials(&masked, options)
            .first()
            .map(|c| c.detector)
            .or_else(|| {
                // A 40-character value under `DJANGO_SECRET_KEY` is a secret, not an AWS one.
                let aws = key_tokens(key).any(|t| t.eq_ignore_ascii_case("aws"))
                    || key
                        .to_ascii_lowercase()
                        .replace(['-', '_'], "")
                        .ends_with("secretaccesskey");
                (aws && is_aws_secret_value_for_key(key, &masked, options))
                    .then_some(AWS_SECRET_ACCESS_KEY)
            });
        let message = match (same_user, detector) {
            (Some(user_key), _) => format!("`{key}` is set to the same value as `{user_key}`"),
            (None, Some(detector)) => format!("`{key}` holds {}{detector}", article(detector)),
            (None, None) if well_known => format!("`{key}` is set to a well-known default value"),
            (None, None) => format!("`{key}` is set to a literal value"),
        };
        hits.push(Hit {
            span: value.span,
            message,
            pattern: false,
        });
    }
}

/// A value that spells out its own key (`API_TOKEN: api_token_here`) is a stand-in.
fn names_its_key(key: &str, value: &str) -> bool {
    key.len() >= 4
        && value
            .to_ascii_lowercase()
            .contains(&key.to_ascii_lowercase())
}

/// Credential patterns in every string of the file, outside the values
/// already reported; each is reported at the match, named after the nearest key.
fn scan_patterns(
    root: &Node,
    source: &str,
    options: &Options,
    claimed: &[Span],
    hits: &mut Vec<Hit>,
) {
    let mut stack: Vec<(&Node, &str)> = vec![(root, "file")];
    let mut seen: Vec<Span> = Vec::new();
    while let Some((node, place)) = stack.pop() {
        if let Some(entries) = node.as_map() {
            for e in entries.iter().rev() {
                stack.push((&e.value, e.key.as_str().unwrap_or(place)));
            }
            continue;
        }
        if node.as_seq().is_some() {
            stack.extend(
                node.as_seq()
                    .unwrap_or(&[])
                    .iter()
                    .rev()
                    .map(|i| (i, place)),
            );
            continue;
        }
        if claimed.contains(&node.span) || seen.contains(&node.span) {
            continue;
        }
        seen.push(node.span);
        let Some(text) = Text::of(node, source) else {
            continue;
        };
        let masked = mask_expressions(text.as_str());
        for found in find_credentials(&masked, options) {
            // `-----BEGIN PRIVATE KEY-----\n${KEY}\n-----END…` writes a secret out to a file.
            let templated = found.detector == PRIVATE_KEY
                && masked
                    .get(found.range.clone())
                    .is_some_and(|b| b.contains('$'));
            if templated {
                continue;
            }
            let span = text.span_of(found.range.clone());
            if hits.iter().any(|h| h.span == span) {
                continue;
            }
            hits.push(Hit {
                span,
                message: credential_message(place, found.detector),
                pattern: true,
            });
        }
    }
}
