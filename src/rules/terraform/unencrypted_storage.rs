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
        // One finding per resource, naming every setting that leaves it unencrypted.
        let gaps: Vec<Gap> = match block.label(0).unwrap_or("") {
            // Replicas take their encryption from the source database.
            "aws_db_instance" if body.attr("replicate_source_db").is_none() => {
                gap(module, block, "storage_encrypted")
                    .into_iter()
                    .collect()
            }
            // Serverless v1 clusters are always encrypted.
            "aws_rds_cluster"
                if module.resolve_str(body.get("engine_mode")) != Some("serverless") =>
            {
                gap(module, block, "storage_encrypted")
                    .into_iter()
                    .collect()
            }
            "aws_ebs_volume" if !ebs_by_default => {
                gap(module, block, "encrypted").into_iter().collect()
            }
            "aws_efs_file_system" => gap(module, block, "encrypted").into_iter().collect(),
            "aws_elasticache_replication_group" => {
                ["at_rest_encryption_enabled", "transit_encryption_enabled"]
                    .iter()
                    .filter_map(|key| gap(module, block, key))
                    .collect()
            }
            _ => body
                .blocks("root_block_device")
                .filter_map(|device| device.body.get("encrypted"))
                .filter(|value| module.resolve(value).as_bool() == Some(false))
                .map(|value| {
                    (
                        value.span,
                        "leaves its root volume unencrypted".to_string(),
                        None,
                    )
                })
                .take(1)
                .collect(),
        };
        let Some((span, _, _)) = gaps.first() else {
            continue;
        };
        let what: Vec<&str> = gaps.iter().map(|(_, g, _)| g.as_str()).collect();
        let keys: Vec<String> = gaps
            .iter()
            .filter_map(|(_, _, key)| key.map(|k| format!("`{k} = true`")))
            .collect();
        let help = if keys.is_empty() {
            "set `encrypted = true`, or enable EBS encryption by default for the account"
                .to_string()
        } else {
            format!(
                "set {}, with a customer-managed KMS key where the data calls for one",
                keys.join(" and ")
            )
        };
        cx.report(*span, format!("`{address}` {}", what.join(" and ")))
            .help(help);
    }
}

/// What is wrong with `key`: absent (pointing at the block) or literally false.
fn gap(module: &Module, block: &Block, key: &'static str) -> Option<Gap> {
    match block.body.get(key) {
        None => Some((
            block.head,
            format!("does not set `{key} = true`"),
            Some(key),
        )),
        Some(value) if module.resolve(value).as_bool() == Some(false) => {
            Some((value.span, format!("sets `{key} = false`"), Some(key)))
        }
        Some(_) => None,
    }
}

/// Where, what, and the setting to turn on (`None` for a root volume).
type Gap = (Span, String, Option<&'static str>);
