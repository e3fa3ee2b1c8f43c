//! Variables without a type, or without validation where the name implies a narrow domain.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/missing-variable-validation",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/terraform/missing-variable-validation.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    let mut first = None;
    let mut missing = false;
    for var in module.blocks("variable") {
        first = first.or(Some(var.head));
        let name = var.address();
        let typed = var.body.attr("type").is_some();
        let domain = implied_domain(&name.to_ascii_lowercase());
        let validated = var.body.block("validation").is_some();
        let message = match (typed, domain) {
            (false, Some(domain)) if !validated => format!(
                "variable `{name}` has no `type` and no `validation` block, though it takes {domain}"
            ),
            (false, _) => format!("variable `{name}` has no `type`"),
            (true, Some(domain)) if !validated => {
                format!("variable `{name}` takes {domain} but has no `validation` block")
            }
            (true, _) => continue,
        };
        missing = true;
        cx.report(var.head, message).help(if typed {
            "add a `validation` block that rejects values outside the domain"
        } else {
            "add a `type` constraint, and a `validation` block where the values are constrained"
        });
    }
    if let (Some(span), false) = (first, missing) {
        cx.pass(
            span,
            "every variable is typed, and validated where its name implies a domain",
        );
    }
}

/// What a variable's name says it holds, when that is a constrained domain.
fn implied_domain(name: &str) -> Option<&'static str> {
    if name.contains("cidr") {
        Some("a CIDR range")
    } else if name == "env" || name == "environment" {
        Some("an environment name")
    } else if name == "region" {
        Some("a region")
    } else if name.ends_with("_port") {
        Some("a port number")
    } else if name == "instance_type" {
        Some("an instance type")
    } else if name.ends_with("_count") {
        Some("a count")
    } else if name.contains("email") {
        Some("an email address")
    } else if name.ends_with("_arn") {
        Some("an ARN")
    } else if name.ends_with("_days") {
        Some("a number of days")
    } else {
        None
    }
}
