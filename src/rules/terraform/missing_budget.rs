//! Compute created without any budget alert in the run.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/missing-budget",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/terraform/missing-budget.md"),
    check: Check::Terraform(check),
};

/// Resource types that run machines billed by the hour.
const COMPUTE: [&str; 14] = [
    "aws_instance",
    "aws_spot_instance_request",
    "aws_autoscaling_group",
    "aws_eks_node_group",
    "aws_batch_compute_environment",
    "aws_emr_cluster",
    "google_container_node_pool",
    "scaleway_instance_server",
    "hcloud_server",
    "digitalocean_droplet",
    "linode_instance",
    "vultr_instance",
    "oci_core_instance",
    "exoscale_compute_instance",
];

/// Whether a resource type is a budget.
fn is_budget(ty: &str) -> bool {
    ty == "aws_budgets_budget"
        || ty == "google_billing_budget"
        || ty.starts_with("azurerm_consumption_budget_")
}

fn is_compute(ty: &str) -> bool {
    COMPUTE.contains(&ty)
        || ty.starts_with("google_compute_instance")
        || (ty.starts_with("azurerm_") && ty.contains("virtual_machine"))
}

fn check(module: &Module, cx: &mut Ctx) {
    if let Some(budget) = module
        .resources()
        .find(|b| is_budget(b.label(0).unwrap_or("")))
    {
        cx.pass(
            budget.head,
            format!("budget `{}` caps spending", budget.address()),
        );
        return;
    }
    if module.run_has_budget || module.example {
        return;
    }
    let Some(compute) = module
        .resources()
        .find(|b| is_compute(b.label(0).unwrap_or("")))
    else {
        return;
    };
    cx.report(
        compute.head,
        format!("`{}` creates compute, but no budget is defined anywhere in this configuration", compute.address()),
    )
    .help("add a budget with alerts (`aws_budgets_budget`, `google_billing_budget` or `azurerm_consumption_budget_*`)");
}
