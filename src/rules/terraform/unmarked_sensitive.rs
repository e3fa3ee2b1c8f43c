//! Variables and outputs that carry secrets without `sensitive = true`.
use crate::rules::prelude::*;
use crate::rules::shared::secrets::is_sensitive_key;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/unmarked-sensitive",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/unmarked-sensitive.md"),
    check: Check::Terraform(check),
};

/// Attributes of resources that hold secrets: (resource type, attribute), `*` for any type.
const SECRET_ATTRIBUTES: [(&str, &str); 6] = [
    ("random_password", "result"),
    ("tls_private_key", "private_key_pem"),
    ("tls_private_key", "private_key_openssh"),
    ("aws_iam_access_key", "secret"),
    ("aws_iam_access_key", "ses_smtp_password_v4"),
    ("*", "password"),
];

fn check(module: &Module, cx: &mut Ctx) {
    for block in &module.blocks {
        let kind = if block.is("variable") {
            "variable"
        } else if block.is("output") {
            "output"
        } else {
            continue;
        };
        let Some(name) = block.label(0) else {
            continue;
        };
        if block.body.bool("sensitive") == Some(true)
            || block
                .body
                .attr("sensitive")
                .is_some_and(|s| s.value.as_bool().is_none())
        {
            continue;
        }
        if is_sensitive_key(name) {
            cx.report(
                block.head,
                format!("{kind} `{name}` has a secret's name but is not marked `sensitive`"),
            )
            .help("add `sensitive = true` so Terraform keeps the value out of plans and logs");
            continue;
        }
        if kind == "output" {
            if let Some(secret) = block.body.get("value").and_then(secret_reference) {
                cx.report(
                    block.head,
                    format!("output `{name}` exposes `{secret}` but is not marked `sensitive`"),
                )
                .help("add `sensitive = true` so Terraform keeps the value out of plans and logs");
            }
        }
    }
}

/// The first reference to a known secret attribute inside an expression.
fn secret_reference(expr: &Expr) -> Option<String> {
    let mut found = None;
    expr.walk(&mut |e| {
        if found.is_some() {
            return;
        }
        let Some(path) = e.as_ref_path() else {
            return;
        };
        let ty = path.first().map(String::as_str).unwrap_or("");
        if matches!(
            ty,
            "var" | "local" | "data" | "module" | "each" | "count" | "self"
        ) {
            return;
        }
        let Some(attr) = path.iter().skip(2).find(|s| *s != "[]" && *s != "*") else {
            return;
        };
        let hit = SECRET_ATTRIBUTES
            .iter()
            .any(|(t, a)| (*t == "*" || *t == ty) && a == attr);
        if hit {
            found = Some(path.join(".").replace(".[]", "[…]").replace(".*", "[*]"));
        }
    });
    found
}
