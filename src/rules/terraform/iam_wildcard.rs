//! IAM statements that allow every action on every resource, or everything but a few actions.
use super::policy::{Statement, document_statements, json_statements};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/iam-wildcard",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/terraform/iam-wildcard.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    for block in &module.blocks {
        if block.is("data") && block.label(0) == Some("aws_iam_policy_document") {
            for st in document_statements(block) {
                judge(&st, &block.address(), cx);
            }
            continue;
        }
        if block.is("resource") || block.is("data") || block.is("locals") || block.is("module") {
            let owner = if block.is("locals") {
                "locals".to_string()
            } else {
                block.address()
            };
            each_value(&block.body, &mut |e| {
                for st in json_statements(e) {
                    judge(&st, &owner, cx);
                }
            });
        }
    }
}

fn each_value<'a>(body: &'a Body, f: &mut impl FnMut(&'a Expr)) {
    for attr in &body.attributes {
        f(&attr.value);
    }
    for block in &body.blocks {
        each_value(&block.body, f);
    }
}

fn judge(st: &Statement, owner: &str, cx: &mut Ctx) {
    if !st.allow {
        return;
    }
    if st.not_action {
        cx.report(
            st.span,
            format!(
                "a statement of `{owner}` allows `NotAction`, which grants every action not listed"
            ),
        )
        .help("list the actions to allow instead of the ones to leave out");
        return;
    }
    let any_action = st.actions.iter().any(|a| a == "*" || a == "*:*");
    let any_resource = st.resources.iter().any(|r| r == "*");
    if any_action && any_resource {
        cx.report(
            st.span,
            format!("a statement of `{owner}` allows action `*` on resource `*`, full administrator access"),
        )
        .help("grant only the actions and resources the role needs");
    }
}
