//! Variable defaults that open things up unless every caller overrides them.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/unsafe-variable-default",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/unsafe-variable-default.md"),
    check: Check::Terraform(check),
};

/// Name fragments whose `true` default is unsafe.
const UNSAFE_TRUE: [&str; 4] = [
    "public",
    "skip_final_snapshot",
    "force_destroy",
    "allow_all",
];
/// Name fragments whose `false` default is unsafe.
const UNSAFE_FALSE: [&str; 4] = ["deletion_protection", "encrypt", "versioning", "logging"];

fn check(module: &Module, cx: &mut Ctx) {
    for var in module.blocks("variable") {
        let Some(label) = var.labels.first() else {
            continue;
        };
        let name = label.value.to_ascii_lowercase();
        let Some(default) = var.body.get("default") else {
            continue;
        };
        let shown = &label.value;
        match &default.kind {
            ExprKind::Bool(true)
                if UNSAFE_TRUE.iter().any(|f| name.contains(f)) && !is_tier_name(&name) =>
            {
                cx.report(
                    default.span,
                    format!("variable `{shown}` defaults to `true`"),
                )
                .help("default to `false` and let the callers that need it opt in");
            }
            ExprKind::Bool(false) if UNSAFE_FALSE.iter().any(|f| name.contains(f)) => {
                cx.report(
                    default.span,
                    format!("variable `{shown}` defaults to `false`"),
                )
                .help("default to `true` and let the callers that need it opt out");
            }
            ExprKind::Number(_)
                if name.contains("backup_retention") && default.as_int() == Some(0) =>
            {
                cx.report(
                    default.span,
                    format!("variable `{shown}` defaults to `0`, which turns backups off"),
                )
                .help("default to a retention of at least 7 days");
            }
            // Traffic leaving, and routes to, anywhere do not open anything. Network ACL rules
            // that allow everything are what AWS gives every default network ACL: the
            // filtering is left to security groups.
            _ if [
                "outbound",
                "egress",
                "destination",
                "network_acl",
                "acl_rules",
            ]
            .iter()
            .any(|w| name.contains(w)) => {}
            _ => {
                // One finding per variable, however many elements of the default are open.
                let mut first = None;
                let mut open: Vec<String> = Vec::new();
                for (text, span) in default.literals() {
                    if let Some(cidr) = open_cidr(text) {
                        first = first.or(Some(span));
                        let cidr = format!("`{cidr}`");
                        if !open.contains(&cidr) {
                            open.push(cidr);
                        }
                    }
                }
                if let Some(span) = first {
                    cx.report(
                        span,
                        format!(
                            "variable `{shown}` defaults to {}, the whole internet",
                            open.join(" and ")
                        ),
                    )
                    .help("default to no ranges, or to a private range, and make callers choose");
                }
            }
        }
    }
}

/// `public` naming a network tier or a key rather than exposure: `public_subnet_*`,
/// `public_route_table_*`, `public_key`.
fn is_tier_name(name: &str) -> bool {
    [
        "public_subnet",
        "public_route",
        "public_key",
        "public_acl",
        "public_dedicated",
    ]
    .iter()
    .any(|t| name.contains(t))
        && !name.contains("publicly")
}

fn open_cidr(text: &str) -> Option<&'static str> {
    match text.trim() {
        "0.0.0.0/0" => Some("0.0.0.0/0"),
        "::/0" => Some("::/0"),
        _ => None,
    }
}
