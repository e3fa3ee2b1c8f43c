//! Secret objects whose values are written in the manifest (base64 is an encoding, not
//! encryption).
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{
    Value, classify_value, find_credentials, is_sensitive_key, key_tokens,
};

pub(crate) static RULE: Rule = Rule {
    id: "k8s/plaintext-secret-manifest",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/plaintext-secret-manifest.md"),
    check: Check::K8s(check),
};

/// Kinds whose secret material comes from a secret store or is encrypted.
const STORE_KINDS: &[&str] = &[
    "SealedSecret",
    "ExternalSecret",
    "ClusterExternalSecret",
    "SecretProviderClass",
];

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for object in &manifest.objects {
        if STORE_KINDS.contains(&object.kind()) {
            cx.pass(
                object.anchor(),
                format!(
                    "secret material of `{}` comes from a secret store",
                    object.label()
                ),
            );
            continue;
        }
        // SOPS keeps its metadata in a top-level `sops` mapping of the encrypted file.
        if object.kind() != "Secret"
            || object.api_version() != "v1"
            || object
                .root
                .get("sops")
                .is_some_and(|s| s.as_map().is_some())
        {
            continue;
        }
        let secret_type = object.root.get("type").and_then(Node::as_str).unwrap_or("");
        let mut plain: Vec<(&Node, &Node, bool)> = vec![];
        for (field, encoded) in [("data", true), ("stringData", false)] {
            for (name, key, value) in object.root.get(field).into_iter().flat_map(Node::pairs) {
                let Some(text) = value.as_str() else {
                    continue;
                };
                let decoded = if encoded { decode_base64(text) } else { None };
                // A value that does not decode to text (a keystore, a keytab) is binary key
                // material.
                let binary = encoded && decoded.is_none();
                let text = decoded.as_deref().unwrap_or(text);
                if matches!(
                    classify_value(text, cx.options()),
                    Value::Literal { .. } | Value::FilePath
                ) {
                    let credential =
                        binary || holds_credential(secret_type, name, text, cx.options());
                    plain.push((key, value, credential));
                }
            }
        }
        let Some(&(first_key, first, _)) = plain.first() else {
            continue;
        };
        // One mask over every plain value, so that no output shows the others around this one.
        let values = plain
            .iter()
            .fold(first.span, |all, (_, value, _)| all.cover(value.span));
        let help = "keep the values out of the repository: use a SealedSecret, an ExternalSecret, SOPS, or create the Secret at deploy time";
        let label = object.label();
        if let Some(&(key, value, _)) = plain.iter().find(|(_, _, credential)| *credential) {
            let name = key.as_str().unwrap_or("");
            let others = match plain.len() {
                1 => String::new(),
                2 => " and 1 other value".to_string(),
                n => format!(" and {} other values", n - 1),
            };
            cx.report(
                key.span.cover(value.span),
                format!(
                    "`{label}` stores `{name}`{others} in the manifest, readable by anyone with the file"
                ),
            )
            .help(help)
            .mask(values);
            continue;
        }
        let names: Vec<String> = plain
            .iter()
            .map(|(key, _, _)| format!("`{}`", key.as_str().unwrap_or("")))
            .collect();
        let listed = match names.as_slice() {
            [one] => one.clone(),
            [a, b] => format!("{a} and {b}"),
            [a, b, c] => format!("{a}, {b} and {c}"),
            [a, b, c, rest @ ..] => format!("{a}, {b}, {c} and {} more", rest.len()),
            [] => continue,
        };
        let finding = cx.report(
            first_key.span.cover(first.span),
            format!(
                "`{label}` writes {listed} in the manifest; none of them looks like a credential, but anyone with the file reads them"
            ),
        );
        finding
            .help("keep the Secret out of the repository as well, or move values that are not secret into a ConfigMap")
            .mask(values);
        finding.severity = Severity::Warning;
    }
}

/// Key names, or the last token of one, that hold key material or a credential in a Secret
/// (`key` for Ceph, `azurestorageaccountkey`, `.dockerconfigjson`, `ssh-privatekey`).
const CREDENTIAL_ENDINGS: &[&str] = &[
    "key",
    "token",
    "password",
    "passwd",
    "pass",
    "pwd",
    "pw",
    "secret",
    "credential",
    "credentials",
    "auth",
    "keyring",
    "keytab",
    "htpasswd",
    "dockerconfigjson",
    "dockercfg",
    "pin",
    "jks",
    "p12",
    "pfx",
];

/// Whether one value of a Secret is a credential: its key names one, the Secret's type says so,
/// the text holds a credential pattern or a line `password: …` (a configuration file), or the
/// value is a long opaque token. User names, hosts, ports and settings are not.
fn holds_credential(secret_type: &str, key: &str, text: &str, options: &Options) -> bool {
    let typed = match secret_type {
        "kubernetes.io/tls" => key == "tls.key",
        "kubernetes.io/ssh-auth" => key == "ssh-privatekey",
        "kubernetes.io/basic-auth" => key == "password",
        "kubernetes.io/dockerconfigjson" | "kubernetes.io/dockercfg" => true,
        "kubernetes.io/service-account-token" => key == "token",
        _ => false,
    };
    if typed || !find_credentials(text, options).is_empty() {
        return true;
    }
    if text.contains('\n') {
        return config_holds_credential(text, options);
    }
    let last = key_tokens(key).last().unwrap_or("");
    let lower = key.to_ascii_lowercase();
    is_sensitive_key(key)
        || CREDENTIAL_ENDINGS
            .iter()
            .any(|w| last.eq_ignore_ascii_case(w) || lower.ends_with(w))
        || is_opaque_token(text)
}

/// A long single word mixing capitals, small letters and digits (a generated token).
fn is_opaque_token(text: &str) -> bool {
    let text = text.trim();
    text.len() >= 20
        && !text.bytes().any(|b| b.is_ascii_whitespace())
        && !text.contains("://")
        && text.bytes().any(|b| b.is_ascii_uppercase())
        && text.bytes().any(|b| b.is_ascii_lowercase())
        && text.bytes().any(|b| b.is_ascii_digit())
}

/// Whether a configuration file held in a Secret sets a sensitive key to a literal
/// (`password: …`, `api_key = "…"`, `TOKEN=…`).
fn config_holds_credential(text: &str, options: &Options) -> bool {
    text.lines().any(|line| {
        let line = line.trim().trim_start_matches("- ");
        let Some(at) = line.find([':', '=']) else {
            return false;
        };
        let (key, value) = (
            line.get(..at).unwrap_or(""),
            line.get(at + 1..).unwrap_or(""),
        );
        let key = key.trim().trim_matches(['"', '\'']);
        let value = value.trim().trim_end_matches(',').trim();
        !key.contains(' ')
            && is_sensitive_key(key)
            && matches!(classify_value(value, options), Value::Literal { .. })
    })
}

/// Decode standard base64 (padding and line breaks allowed) into text; `None` when the value
/// is not base64 or not UTF-8 text.
fn decode_base64(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn decodes_padded_and_unpadded_base64() {
        assert_eq!(decode_base64("cGFzc3dvcmQ=").as_deref(), Some("password"));
        assert_eq!(decode_base64("YWRtaW4").as_deref(), Some("admin"));
        assert_eq!(decode_base64("not base64!"), None);
    }
}
