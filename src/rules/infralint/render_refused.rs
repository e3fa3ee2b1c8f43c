//! `--render` refused to run a tool on a chart or a kustomization: what it would render reaches
//! outside the repository or executes something.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "infralint/render-refused",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/infralint/render-refused.md"),
    check: Check::Engine,
};
