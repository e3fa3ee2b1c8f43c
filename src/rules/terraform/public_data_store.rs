//! Buckets, containers and databases opened to the public.
use super::policy::{document_statements, json_statements, referenced_document};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/public-data-store",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/terraform/public-data-store.md"),
    check: Check::Terraform(check),
};

const PUBLIC_ACLS: [&str; 3] = ["public-read", "public-read-write", "authenticated-read"];
const ACCESS_BLOCK_FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

fn check(module: &Module, cx: &mut Ctx) {
    for block in module.resources() {
        let body = &block.body;
        let address = block.address();
        match block.label(0).unwrap_or("") {
            "aws_s3_bucket" | "aws_s3_bucket_acl" => {
                // The legacy inline `policy` of a bucket is a bucket policy too.
                if let Some(policy) = body.get("policy") {
                    public_policy(module, policy, &address, cx);
                }
                if let Some(acl) = body.get("acl") {
                    if let Some(value) = module.resolve(acl).as_str() {
                        if PUBLIC_ACLS.contains(&value) {
                            cx.report(acl.span, format!("`{address}` sets the canned ACL `{value}`"))
                                .help("keep buckets private (`private` or no ACL, with object ownership enforced) and serve public content through a CDN");
                        }
                    }
                }
            }
            "aws_s3_bucket_public_access_block" => {
                // The provider defaults every flag to false, so unset flags are off too.
                let off: Vec<String> = ACCESS_BLOCK_FLAGS
                    .iter()
                    .filter(|flag| {
                        body.get(flag)
                            .is_none_or(|v| module.resolve(v).as_bool() == Some(false))
                    })
                    .map(|flag| format!("`{flag}`"))
                    .collect();
                if !off.is_empty() {
                    cx.report(
                        block.head,
                        format!(
                            "`{address}` leaves {} off (unset flags are `false`)",
                            off.join(", ")
                        ),
                    )
                    .help("set all four public access block flags to `true`");
                }
            }
            "aws_s3_bucket_policy" => {
                if let Some(policy) = body.get("policy") {
                    public_policy(module, policy, &address, cx);
                }
            }
            ty if ty.starts_with("google_storage_bucket_iam_") => {
                let mut members: Vec<&Expr> = Vec::new();
                if let Some(m) = body.get("member") {
                    members.push(m);
                }
                if let Some(list) = body.get("members").and_then(Expr::as_list) {
                    members.extend(list);
                }
                for member in members {
                    if let Some(who @ ("allUsers" | "allAuthenticatedUsers")) = member.as_str() {
                        cx.report(member.span, format!("`{address}` grants access to `{who}`"))
                            .help("grant the role to specific users, groups or service accounts");
                    }
                }
            }
            "azurerm_storage_container" => {
                if let Some(access) = body.get("container_access_type") {
                    if let Some(kind @ ("blob" | "container")) = module.resolve(access).as_str() {
                        cx.report(access.span, format!("`{address}` allows anonymous read access (`{kind}`)"))
                            .help("set `container_access_type = \"private\"` and share data with SAS tokens or Entra ID roles");
                    }
                }
            }
            "aws_db_instance" | "aws_rds_cluster_instance" => {
                if let Some(public) = body.get("publicly_accessible") {
                    if module.resolve(public).as_bool() == Some(true) {
                        cx.report(public.span, format!("`{address}` is publicly accessible"))
                            .help("set `publicly_accessible = false` and reach the database from inside the VPC");
                    }
                }
            }
            _ => {}
        }
    }
}

/// Statements of a bucket policy that let anyone in without a condition.
fn public_policy(module: &Module, policy: &Expr, address: &str, cx: &mut Ctx) {
    let mut statements = json_statements(policy);
    if let Some(doc) = referenced_document(module, policy) {
        statements.extend(document_statements(doc));
    }
    for st in statements {
        if st.allow && st.public_principal && !st.has_condition {
            cx.report(
                st.span,
                format!("the policy of `{address}` allows principal `*` without a condition"),
            )
            .help("name the principals that need access, or add a condition such as `aws:SourceVpce` or `aws:PrincipalOrgID`");
        }
    }
}
