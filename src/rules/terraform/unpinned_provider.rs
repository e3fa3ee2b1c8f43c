//! Root modules whose providers and Terraform version are not pinned and locked.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/unpinned-provider",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/unpinned-provider.md"),
    check: Check::Terraform(check),
};

/// Resource type prefixes that are not providers to install.
const BUILT_IN: [&str; 1] = ["terraform"];

fn check(module: &Module, cx: &mut Ctx) {
    if !module.has_config() || !module.is_root() || module.example {
        return;
    }
    let mut used: Vec<&str> = Vec::new();
    for block in &module.blocks {
        let name = if block.is("provider") {
            block.label(0)
        } else if block.is("resource") || block.is("data") {
            block.label(0).and_then(|t| t.split('_').next())
        } else {
            None
        };
        if let Some(name) = name {
            if !BUILT_IN.contains(&name) && !used.contains(&name) {
                used.push(name);
            }
        }
    }
    let mut versioned: Vec<&str> = Vec::new();
    let mut required_version = false;
    for terraform in module.blocks("terraform") {
        required_version |= terraform.body.attr("required_version").is_some();
        for required in terraform.body.blocks("required_providers") {
            for entry in &required.body.attributes {
                let has_version = match &entry.value.kind {
                    ExprKind::Object(_) => entry.value.field("version").is_some(),
                    // The legacy form `aws = "~> 5.0"`.
                    ExprKind::Text(_) => true,
                    _ => false,
                };
                if has_version {
                    versioned.push(&entry.key.value);
                }
            }
        }
    }
    let mut gaps = Vec::new();
    let unpinned: Vec<String> = used
        .iter()
        .filter(|p| !versioned.contains(p))
        .map(|p| format!("`{p}`"))
        .collect();
    if !unpinned.is_empty() {
        gaps.push(format!("no version constraint for {}", unpinned.join(", ")));
    }
    if !required_version {
        gaps.push("no `required_version`".to_string());
    }
    if !module.lock_file {
        gaps.push("no `.terraform.lock.hcl`".to_string());
    }
    let span = module
        .owner()
        .or_else(|| module.files.first().map(|f| f.extent.start()))
        .unwrap_or_default();
    if gaps.is_empty() {
        cx.pass(
            span,
            "providers and Terraform are pinned, and the lock file is committed",
        );
    } else {
        cx.report(span, format!("this root module is not pinned: {}", gaps.join("; ")))
            .help("add `required_version` and a `version` per entry of `required_providers`, and commit `.terraform.lock.hcl`");
    }
}
