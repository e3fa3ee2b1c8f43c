//! AWS disks, file systems, databases and caches stored or carried without encryption.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/unencrypted-storage",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/unencrypted-storage.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    let ebs_by_default = module
        .resources_of("aws_ebs_encryption_by_default")
        .any(|b| {
            b.body
                .get("enabled")
                .is_none_or(|e| module.resolve(e).as_bool() != Some(false))
        });
    for block in module.resources() {
        let body = &block.body;
        let address = block.address();
        match block.label(0).unwrap_or("") {
            // Replicas take their encryption from the source database.
            "aws_db_instance" if body.attr("replicate_source_db").is_none() => {
                require(module, cx, block, "storage_encrypted", &address);
            }
            // Serverless v1 clusters are always encrypted.
            "aws_rds_cluster"
                if module.resolve_str(body.get("engine_mode")) != Some("serverless") =>
            {
                require(module, cx, block, "storage_encrypted", &address);
            }
            "aws_ebs_volume" if !ebs_by_default => {
                require(module, cx, block, "encrypted", &address);
            }
            "aws_efs_file_system" => require(module, cx, block, "encrypted", &address),
            "aws_elasticache_replication_group" => {
                require(module, cx, block, "at_rest_encryption_enabled", &address);
                require(module, cx, block, "transit_encryption_enabled", &address);
            }
            _ => {}
        }
        for device in body.blocks("root_block_device") {
            if let Some(value) = device.body.get("encrypted") {
                if module.resolve(value).as_bool() == Some(false) {
                    cx.report(value.span, format!("the root volume of `{address}` is not encrypted"))
                        .help("set `encrypted = true`, or enable EBS encryption by default for the account");
                }
            }
        }
    }
}

/// Report `key` when it is absent or literally false.
fn require(module: &Module, cx: &mut Ctx, block: &Block, key: &str, address: &str) {
    match block.body.get(key) {
        None => {
            cx.report(
                block.head,
                format!("`{address}` does not set `{key} = true`"),
            )
            .help(format!(
                "set `{key} = true`, with a customer-managed KMS key where the data calls for one"
            ));
        }
        Some(value) if module.resolve(value).as_bool() == Some(false) => {
            cx.report(value.span, format!("`{address}` sets `{key} = false`"))
                .help(format!("set `{key} = true`, with a customer-managed KMS key where the data calls for one"));
        }
        Some(_) => {}
    }
}
