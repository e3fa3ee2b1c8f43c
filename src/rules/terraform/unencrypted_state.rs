//! An S3 backend that does not ask for the state object to be encrypted.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/unencrypted-state",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/unencrypted-state.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    for backend in module.backends() {
        if !backend.is("backend") || backend.label(0) != Some("s3") {
            continue;
        }
        let body = &backend.body;
        // A partial configuration is completed with `-backend-config` at init time.
        if body.attributes.is_empty() && body.blocks.is_empty() {
            continue;
        }
        match body.get("encrypt") {
            Some(value) if value.as_bool() == Some(true) => {}
            Some(value) if value.as_bool() == Some(false) => {
                cx.report(value.span, "the `s3` backend turns state encryption off")
                    .help("set `encrypt = true`, and `kms_key_id` to use your own key");
            }
            Some(_) => {}
            None => {
                cx.report(
                    backend.head,
                    "the `s3` backend does not set `encrypt = true`",
                )
                .help("set `encrypt = true`, and `kms_key_id` to use your own key");
            }
        }
    }
}
