//! IAM statements that allow every action on every resource, or everything but a few actions.
use super::once::Once;
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
    // One finding per resource, data source, module call or `locals` block.
    let mut once = Once::default();
    for block in &module.blocks {
        if block.is("data") && block.label(0) == Some("aws_iam_policy_document") {
            let owner = block.address();
            for st in document_statements(block) {
                judge(&st, &owner, &mut once);
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
                    judge(&st, &owner, &mut once);
                }
            });
        }
    }
    once.report(cx);
}

fn each_value<'a>(body: &'a Body, f: &mut impl FnMut(&'a Expr)) {
    for attr in &body.attributes {
        f(&attr.value);
    }
    for block in &body.blocks {
        each_value(&block.body, f);
    }
}

fn judge(st: &Statement, owner: &str, once: &mut Once) {
    if !st.allow {
        return;
    }
    if st.not_action {
        once.add(
            owner,
            st.span,
            owner,
            "has a statement that allows `NotAction`, which grants every action not listed",
            "list the actions to allow instead of the ones to leave out",
        );
        return;
    }
    let any_action = st.actions.iter().any(|a| a == "*" || a == "*:*");
    let any_resource = st.resources.iter().any(|r| r == "*");
    if any_action && any_resource {
        once.add(
            owner,
            st.span,
            owner,
            "has a statement that allows action `*` on resource `*`, full administrator access",
            "grant only the actions and resources the role needs",
        );
    }
}
