//! Secret objects whose values are written in the manifest (base64 is an encoding, not
//! encryption).
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{Value, classify_value};

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
        let mut plain: Vec<(&Node, &Node)> = vec![];
        for (field, encoded) in [("data", true), ("stringData", false)] {
            for (_, key, value) in object.root.get(field).into_iter().flat_map(Node::pairs) {
                let Some(text) = value.as_str() else {
                    continue;
                };
                let decoded = if encoded { decode_base64(text) } else { None };
                let text = decoded.as_deref().unwrap_or(text);
                if matches!(classify_value(text), Value::Literal { .. }) {
                    plain.push((key, value));
                }
            }
        }
        let Some((key, first)) = plain.first() else {
            continue;
        };
        let name = key.as_str().unwrap_or("");
        let others = match plain.len() {
            1 => String::new(),
            2 => " and 1 other value".to_string(),
            n => format!(" and {} other values", n - 1),
        };
        // One mask over every plain value, so that no output shows the others around this one.
        let values = plain
            .iter()
            .fold(first.span, |all, (_, value)| all.cover(value.span));
        cx.report(
            key.span.cover(values),
            format!(
                "`{}` stores `{name}`{others} in the manifest, readable by anyone with the file",
                object.label()
            ),
        )
        .help("keep the values out of the repository: use a SealedSecret, an ExternalSecret, SOPS, or create the Secret at deploy time")
        .mask(values);
    }
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
