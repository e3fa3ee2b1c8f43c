//! Taggable cloud resources without tags, and no provider-level default tags.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/untagged-resources",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/terraform/untagged-resources.md"),
    check: Check::Terraform(check),
};

/// Resource types that take `tags` (AWS, Azure) or `labels` (Google) and that cost money or
/// hold data, so that an owner and a purpose matter.
const TAGGABLE: [&str; 48] = [
    "aws_instance",
    "aws_launch_template",
    "aws_autoscaling_group",
    "aws_ebs_volume",
    "aws_s3_bucket",
    "aws_efs_file_system",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_elasticache_replication_group",
    "aws_vpc",
    "aws_subnet",
    "aws_nat_gateway",
    "aws_eip",
    "aws_lb",
    "aws_alb",
    "aws_security_group",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_ecs_cluster",
    "aws_ecs_service",
    "aws_ecr_repository",
    "aws_lambda_function",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_kms_key",
    "aws_secretsmanager_secret",
    "aws_cloudwatch_log_group",
    "aws_iam_role",
    "aws_opensearch_domain",
    "aws_kinesis_stream",
    "aws_redshift_cluster",
    "google_compute_instance",
    "google_compute_disk",
    "google_storage_bucket",
    "google_container_cluster",
    "google_container_node_pool",
    "google_sql_database_instance",
    "azurerm_resource_group",
    "azurerm_virtual_network",
    "azurerm_storage_account",
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_kubernetes_cluster",
    "azurerm_postgresql_flexible_server",
    "azurerm_mssql_server",
    "azurerm_key_vault",
    "azurerm_public_ip",
];

fn check(module: &Module, cx: &mut Ctx) {
    if module.child {
        return;
    }
    let aws_defaults = module
        .blocks("provider")
        .find(|p| p.label(0) == Some("aws") && p.body.block("default_tags").is_some());
    let google_defaults = module.blocks("provider").find(|p| {
        matches!(p.label(0), Some("google" | "google-beta"))
            && p.body.attr("default_labels").is_some()
    });
    let mut untagged = Vec::new();
    for block in module.resources() {
        let ty = block.label(0).unwrap_or("");
        if !TAGGABLE.contains(&ty) {
            continue;
        }
        let (key, covered) = if ty.starts_with("aws_") {
            ("tags", aws_defaults.is_some())
        } else if ty.starts_with("google_") {
            ("labels", google_defaults.is_some())
        } else {
            ("tags", false)
        };
        let tagged = block.body.attr(key).is_some()
            || (ty == "aws_autoscaling_group" && block.body.block("tag").is_some())
            || (ty == "google_compute_instance" && block.body.attr("labels").is_some())
            || (ty == "google_sql_database_instance"
                && block
                    .body
                    .block("settings")
                    .is_some_and(|s| s.body.attr("user_labels").is_some()));
        if !tagged && !covered {
            untagged.push(block);
        }
    }
    if let Some(first) = untagged.first() {
        let names: Vec<String> = untagged
            .iter()
            .take(3)
            .map(|b| format!("`{}`", b.address()))
            .collect();
        let more = untagged.len().saturating_sub(names.len());
        let list = if more > 0 {
            format!("{} and {more} more", names.join(", "))
        } else {
            names.join(", ")
        };
        let count = untagged.len();
        let noun = if count == 1 {
            "resource has"
        } else {
            "resources have"
        };
        cx.report(
            first.head,
            format!("{count} taggable {noun} no tags or labels: {list}"),
        )
        .help("set `default_tags` on the AWS provider (`default_labels` on Google), or `tags`/`labels` on each resource");
    } else if let Some(provider) = aws_defaults.or(google_defaults) {
        cx.pass(
            provider.head,
            "the provider sets default tags for every resource",
        );
    }
}
