//! Buckets, containers and databases opened to the public.
use super::once::Once;
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

const ACL_HELP: &str = "keep buckets private (`private` or no ACL, with object ownership enforced) and serve public content through a CDN";
const POLICY_HELP: &str = "name the principals that need access, or add a condition such as `aws:SourceVpce` or `aws:PrincipalOrgID`";

fn check(module: &Module, cx: &mut Ctx) {
    // One finding per bucket: an `aws_s3_bucket_*` resource that configures a bucket of the
    // module is reported with that bucket.
    let mut once = Once::default();
    for block in module.resources() {
        let body = &block.body;
        let address = block.address();
        let key = configured_bucket(body).unwrap_or_else(|| address.clone());
        match block.label(0).unwrap_or("") {
            "aws_s3_bucket" | "aws_s3_bucket_acl" => {
                // The legacy inline `policy` of a bucket is a bucket policy too.
                if let Some(policy) = body.get("policy") {
                    public_policy(module, policy, &key, &address, &mut once);
                }
                if let Some(acl) = body.get("acl") {
                    if let Some(value) = module.resolve(acl).as_str() {
                        if PUBLIC_ACLS.contains(&value) {
                            once.add(
                                &key,
                                acl.span,
                                &address,
                                format!("sets the canned ACL `{value}`"),
                                ACL_HELP,
                            );
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
                    // A guard left off opens nothing by itself: a warning.
                    once.add_rated(
                        &key,
                        block.head,
                        &address,
                        format!("leaves {} off (unset flags are `false`)", off.join(", ")),
                        "set all four public access block flags to `true`",
                        Some(Severity::Warning),
                    );
                }
            }
            "aws_s3_bucket_policy" => {
                if let Some(policy) = body.get("policy") {
                    public_policy(module, policy, &key, &address, &mut once);
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
                        once.add(
                            &key,
                            member.span,
                            &address,
                            format!("grants access to `{who}`"),
                            "grant the role to specific users, groups or service accounts",
                        );
                    }
                }
            }
            "azurerm_storage_container" => {
                if let Some(access) = body.get("container_access_type") {
                    if let Some(kind @ ("blob" | "container")) = module.resolve(access).as_str() {
                        once.add(
                            &key,
                            access.span,
                            &address,
                            format!("allows anonymous read access (`{kind}`)"),
                            "set `container_access_type = \"private\"` and share data with SAS tokens or Entra ID roles",
                        );
                    }
                }
            }
            "aws_db_instance" | "aws_rds_cluster_instance" => {
                if let Some(public) = body.get("publicly_accessible") {
                    if module.resolve(public).as_bool() == Some(true) {
                        // Reachable is not readable: the database still asks for credentials
                        // and its security groups still filter. A warning.
                        once.add_rated(
                            &key,
                            public.span,
                            &address,
                            "is publicly accessible",
                            "set `publicly_accessible = false` and reach the database from inside the VPC",
                            Some(Severity::Warning),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    once.report(cx);
}

/// The bucket of the module that a bucket setting configures: `bucket = aws_s3_bucket.x.id`
/// (or `.bucket`) gives `aws_s3_bucket.x`.
fn configured_bucket(body: &Body) -> Option<String> {
    match body.get("bucket")?.as_ref_path()? {
        [ty, name, attr] if ty == "aws_s3_bucket" && (attr == "id" || attr == "bucket") => {
            Some(format!("{ty}.{name}"))
        }
        _ => None,
    }
}

/// Statements of a bucket policy that let anyone in without a condition.
fn public_policy(module: &Module, policy: &Expr, key: &str, address: &str, once: &mut Once) {
    let mut statements = json_statements(policy);
    if let Some(doc) = referenced_document(module, policy) {
        statements.extend(document_statements(doc));
    }
    for st in statements {
        if st.allow && st.public_principal && !st.has_condition {
            once.add(
                key,
                st.span,
                address,
                "has a policy that allows principal `*` without a condition",
                POLICY_HELP,
            );
        }
    }
}
