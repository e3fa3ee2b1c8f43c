//! Providers configured with long-lived keys instead of roles or federation.
use super::hardcoded_secret::is_file_name;
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{Value, classify_value};

pub(crate) static RULE: Rule = Rule {
    id: "terraform/static-cloud-credentials",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/static-cloud-credentials.md"),
    check: Check::Terraform(check),
};

/// Provider arguments that take a long-lived credential.
const KEYS: [(&str, &str); 6] = [
    ("aws", "access_key"),
    ("aws", "secret_key"),
    ("google", "credentials"),
    ("google-beta", "credentials"),
    ("azurerm", "client_secret"),
    ("azurerm", "client_certificate_password"),
];

fn check(module: &Module, cx: &mut Ctx) {
    for provider in module.blocks("provider") {
        let Some(name) = provider.label(0) else {
            continue;
        };
        for (_, key) in KEYS.iter().filter(|(p, _)| *p == name) {
            let Some(attr) = provider.body.attr(key) else {
                continue;
            };
            // A literal secret is `terraform/hardcoded-secret`'s finding.
            if let Some(text) = attr.value.as_str() {
                let literal = matches!(classify_value(text, cx.options()), Value::Literal { .. });
                let documented = text.ends_with("EXAMPLE") || text.ends_with("EXAMPLEKEY");
                let key_file = *key == "credentials" && is_file_name(text);
                if literal && !documented && !key_file {
                    continue;
                }
            }
            cx.report(
                attr.span,
                format!("provider `{name}` is configured with a long-lived `{key}`"),
            )
            .help(help(name));
        }
    }
}

fn help(provider: &str) -> &'static str {
    match provider {
        "aws" => {
            "remove the keys and let the provider use a role: an instance profile, `assume_role` or OIDC web identity in CI"
        }
        "azurerm" => {
            "use a managed identity or OIDC (`use_oidc = true`) instead of a client secret or certificate"
        }
        _ => {
            "use workload identity federation or the ambient credentials of the runner instead of a key file"
        }
    }
}
