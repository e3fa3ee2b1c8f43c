//! A root module keeps its state on the local disk.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/local-state",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/local-state.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    if !module.has_config() || !module.is_root() || module.example {
        return;
    }
    let backend = module.backends().next();
    match backend {
        Some(b) if b.is("backend") && b.label(0) == Some("local") => {
            cx.report(
                b.head,
                "state is kept in a local file by `backend \"local\"`",
            )
            .help("configure a remote backend such as `s3`, `gcs`, `azurerm` or HCP Terraform");
        }
        Some(b) => {
            let what = if b.is("cloud") {
                "HCP Terraform".to_string()
            } else {
                format!("the `{}` backend", b.label(0).unwrap_or("remote"))
            };
            cx.pass(b.head, format!("state is kept remotely in {what}"));
        }
        None => {
            let span = module
                .owner()
                .or_else(|| module.files.first().map(|f| f.extent.start()))
                .unwrap_or_default();
            cx.report(
                span,
                "this root module configures no backend, so its state is kept in a local file",
            )
            .help("add a `backend` block (or a `cloud` block) to the `terraform` block");
        }
    }
}
