//! Namespaces that isolate nothing: a single segment, or a name copied from documentation.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/weak-namespace",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/kestra/weak-namespace.md"),
    check: Check::Kestra(check),
};

/// Namespaces of tutorials and examples.
const PLACEHOLDERS: &[&str] = &[
    "company.team",
    "company",
    "dev",
    "test",
    "tutorial",
    "example",
    "examples",
    "demo",
    "default",
    "my.namespace",
    "io.kestra.tests",
];

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        let Some(node) = flow.get("namespace") else {
            continue;
        };
        let Some(namespace) = node.as_str() else {
            continue;
        };
        // An empty namespace is `kestra/invalid-flow`'s.
        if namespace == "system" || namespace.trim().is_empty() {
            continue;
        }
        let placeholder = PLACEHOLDERS.contains(&namespace)
            || cx
                .options()
                .placeholder_namespaces
                .iter()
                .any(|p| p == namespace);
        if placeholder {
            cx.report(
                node.span,
                format!("namespace `{namespace}` is a placeholder from examples"),
            )
            .help("use a namespace of your organization, such as `acme.sales.reporting`");
        } else if !namespace.contains('.') {
            cx.report(
                node.span,
                format!("namespace `{namespace}` has a single segment"),
            )
            .help("use a hierarchical namespace (`<company>.<team>[.<project>]`) so access, secrets and variables can be scoped");
        } else {
            cx.pass(
                node.span,
                format!("namespace `{namespace}` is hierarchical"),
            );
        }
    }
}
