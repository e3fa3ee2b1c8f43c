//! A backend that does not lock the state while Terraform writes it.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/unlocked-state",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/unlocked-state.md"),
    check: Check::Terraform(check),
};

/// Backends that lock the state by themselves.
const SELF_LOCKING: [&str; 8] = [
    "gcs",
    "azurerm",
    "pg",
    "consul",
    "kubernetes",
    "cos",
    "remote",
    "oss",
];

fn check(module: &Module, cx: &mut Ctx) {
    for backend in module.backends() {
        if backend.is("cloud") {
            cx.pass(backend.head, "HCP Terraform locks the state");
            continue;
        }
        let Some(kind) = backend.label(0) else {
            continue;
        };
        let body = &backend.body;
        // A partial configuration is completed with `-backend-config` at init time.
        let partial = body.attributes.is_empty() && body.blocks.is_empty();
        match kind {
            "s3" if !partial => {
                let lockfile = body.get("use_lockfile");
                let dynamodb = body.attr("dynamodb_table").is_some();
                match lockfile.and_then(Expr::as_bool) {
                    Some(true) => {
                        cx.pass(
                            backend.head,
                            "the `s3` backend locks the state with a lock file",
                        );
                    }
                    _ if dynamodb => {
                        cx.pass(backend.head, "the `s3` backend locks the state in DynamoDB");
                    }
                    // Set from something that is not a literal: nothing is known.
                    None if lockfile.is_some() => {}
                    _ => {
                        cx.report(
                            backend.head,
                            "the `s3` backend does not lock the state: no `use_lockfile = true` and no `dynamodb_table`",
                        )
                        .help("add `use_lockfile = true` (Terraform 1.10 or newer), or a `dynamodb_table` on older versions");
                    }
                }
            }
            "http" if !partial => {
                if body.attr("lock_address").is_some() {
                    cx.pass(backend.head, "the `http` backend locks the state");
                } else {
                    cx.report(
                        backend.head,
                        "the `http` backend has no `lock_address`, so the state is not locked",
                    )
                    .help(
                        "set `lock_address` (and `unlock_address`) to the server's lock endpoint",
                    );
                }
            }
            kind if SELF_LOCKING.contains(&kind) => {
                cx.pass(
                    backend.head,
                    format!("the `{kind}` backend locks the state"),
                );
            }
            _ => {}
        }
    }
}
