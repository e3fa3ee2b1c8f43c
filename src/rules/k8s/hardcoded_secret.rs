//! Secrets written in Kubernetes manifests: literal values of sensitive container env vars and
//! ConfigMap keys, and credential patterns in any string of any object but Secrets.
use super::names;
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{
    AWS_SECRET_ACCESS_KEY, Value, article, classify_value, find_credentials, is_access_key_id,
    is_aws_secret_value_for_key, is_same_as_user, is_sensitive_key, is_user_key_for,
};
use crate::rules::shared::yaml_credentials::scan_credentials_of;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/hardcoded-secret",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/hardcoded-secret.md"),
    check: Check::K8s(check),
};

const LITERAL_HELP: &str = "move the value into a Secret kept out of the repository (SealedSecret, ExternalSecret) and read it with `valueFrom.secretKeyRef`";
const CONFIG_MAP_HELP: &str = "move the value into a Secret kept out of the repository (SealedSecret, ExternalSecret) instead of a ConfigMap";
const PATTERN_HELP: &str =
    "revoke it, then provide it from a Secret kept out of the repository instead";

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for object in &manifest.objects {
        // Secret objects are `k8s/plaintext-secret-manifest`'s.
        if object.kind() == "Secret" {
            continue;
        }
        let mut claimed: Vec<Span> = vec![];
        if let Some(workload) = object.workload() {
            for container in workload.containers() {
                check_env(&container, &mut claimed, cx);
            }
        }
        if object.kind() == "ConfigMap"
            && let Some(data) = object.root.get("data")
        {
            let pairs: Vec<(&Node, &Node)> =
                data.pairs().map(|(_, key, value)| (key, value)).collect();
            let users = users(&pairs);
            let keys = keys(&pairs);
            let owner = names::object(object);
            for (key, value) in &pairs {
                let help = CONFIG_MAP_HELP;
                if let Some(span) = check_pair(key, value, &owner, &users, &keys, help, cx) {
                    claimed.push(span);
                }
            }
        }
        let owner = names::object(object);
        scan_credentials_of(
            &object.root,
            object.kind(),
            Some(&owner),
            &claimed,
            PATTERN_HELP,
            cx,
        );
    }
}

/// The `env` of one container: report literal values of sensitive names, and pass the first
/// sensitive name that comes from a reference.
fn check_env(container: &Container, claimed: &mut Vec<Span>, cx: &mut Ctx) {
    let pairs: Vec<(&Node, &Node)> = container
        .node
        .get("env")
        .into_iter()
        .flat_map(Node::items)
        .filter_map(|e| Some((e.get("name")?, e)))
        .collect();
    let values: Vec<(&Node, &Node)> = pairs
        .iter()
        .filter_map(|(name, e)| Some((*name, e.get("value")?)))
        .collect();
    let users = users(&values);
    let keys = keys(&pairs);
    let owner = names::container(container);
    let mut positive: Option<(Span, String)> = None;
    for (name, entry) in &pairs {
        if let Some(value) = entry.get("value") {
            if let Some(span) = check_pair(name, value, &owner, &users, &keys, LITERAL_HELP, cx) {
                claimed.push(span);
                continue;
            }
        }
        let Some(key) = name.as_str() else { continue };
        if positive.is_some() || !is_sensitive_key(key) {
            continue;
        }
        let from_secret = entry.path(&["valueFrom", "secretKeyRef"]).is_some();
        let reference = entry
            .get("value")
            .and_then(Node::as_str)
            .is_some_and(|v| classify_value(v, cx.options()) == Value::Reference);
        if from_secret || reference {
            positive = Some((name.span, key.to_string()));
        }
    }
    if let Some((span, key)) = positive {
        cx.pass(
            span,
            format!("`{key}` of {owner} comes from a secret reference"),
        );
    }
}

/// The pairs whose key is not sensitive: candidates for the user name beside a password.
fn users<'a>(pairs: &[(&'a Node, &'a Node)]) -> Vec<(&'a str, &'a str)> {
    pairs
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?, v.as_str()?)))
        .filter(|(k, _)| !is_sensitive_key(k))
        .collect()
}

/// Every key of the pairs, for the access key beside a secret key.
fn keys<'a>(pairs: &[(&'a Node, &'a Node)]) -> Vec<&'a str> {
    pairs.iter().filter_map(|(k, _)| k.as_str()).collect()
}

/// A trailing comment on the value's line or on the line before it (`- name: ACCESS_KEY
/// # replace with your key`) that asks to replace the value: the value is a stand-in.
fn marked_for_replacement(source: &str, span: Span) -> bool {
    let start = (span.start as usize).min(source.len());
    let line_start = source
        .get(..start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let prev_start = source
        .get(..line_start.saturating_sub(1))
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = source
        .get(start..)
        .and_then(|s| s.find('\n'))
        .map_or(source.len(), |i| start + i);
    source
        .get(prev_start..line_end)
        .unwrap_or("")
        .lines()
        .filter_map(|line| line.split_once(" #").map(|(_, comment)| comment))
        .any(|comment| comment.to_ascii_lowercase().contains("replace"))
}

/// Report a sensitive key of `owner` (a container, a ConfigMap) with a literal value; returns
/// the value span when reported.
fn check_pair(
    key: &Node,
    value: &Node,
    owner: &str,
    users: &[(&str, &str)],
    keys: &[&str],
    help: &str,
    cx: &mut Ctx,
) -> Option<Span> {
    let key = key.as_str()?;
    let text = value.as_str()?;
    if !is_sensitive_key(key) {
        if is_aws_secret_value_for_key(key, text, cx.options()) {
            cx.report(
                value.span,
                format!(
                    "{} holds {}{AWS_SECRET_ACCESS_KEY}",
                    subject(key, owner, text),
                    article(AWS_SECRET_ACCESS_KEY)
                ),
            )
            .help(help)
            .mask(value.span);
            return Some(value.span);
        }
        return None;
    }
    let Value::Literal { well_known } = classify_value(text, cx.options()) else {
        return None;
    };
    if names_its_key(key, text)
        || is_access_key_id(key, keys.iter().copied())
        || marked_for_replacement(&cx.source().text, value.span)
    {
        return None;
    }
    let same_user = users
        .iter()
        .find(|(user_key, user)| is_user_key_for(user_key, key) && is_same_as_user(text, user))
        .map(|(user_key, _)| *user_key);
    let detector = find_credentials(text, cx.options())
        .first()
        .map(|c| c.detector);
    let subject = subject(key, owner, text);
    let message = match (same_user, detector) {
        (Some(user_key), _) => {
            format!("{subject} is set to the same value as `{user_key}`")
        }
        (None, Some(detector)) => {
            format!("{subject} holds {}{detector}", article(detector))
        }
        (None, None) if well_known => {
            format!("{subject} is set to a well-known default value")
        }
        (None, None) => format!("{subject} is set to a literal value"),
    };
    cx.report(value.span, message).help(help).mask(value.span);
    Some(value.span)
}

/// `` `DB_PASSWORD` of container `api` of `Deployment/api` ``; only the key when the names
/// contain the value (a password `wordpress` in `Deployment/wordpress`): the message must not
/// give the secret away.
fn subject(key: &str, owner: &str, value: &str) -> String {
    let value = value.to_ascii_lowercase();
    if value.is_empty() || owner.to_ascii_lowercase().contains(&value) {
        format!("`{key}`")
    } else {
        format!("`{key}` of {owner}")
    }
}

/// A value that spells out its own key (`GOOGLE_API_KEY_VAL`, `INSERT_DISCOVERY_TOKEN`) is a
/// stand-in that a deployment script replaces, not a secret.
fn names_its_key(key: &str, value: &str) -> bool {
    key.len() >= 4
        && value
            .to_ascii_lowercase()
            .contains(&key.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::subject;

    #[test]
    fn a_name_that_holds_the_value_is_left_out() {
        let owner = "container `mysql` of `StatefulSet/wordpress-mysql`";
        assert_eq!(
            subject("MYSQL_PASSWORD", owner, "s3cr3t-pw"),
            format!("`MYSQL_PASSWORD` of {owner}")
        );
        assert_eq!(
            subject("MYSQL_PASSWORD", owner, "WordPress"),
            "`MYSQL_PASSWORD`"
        );
    }
}
