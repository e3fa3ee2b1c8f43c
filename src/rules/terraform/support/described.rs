//! The check shared by the rules that want every block of a kind to carry a description.
use crate::rules::prelude::*;

/// Report each `kind` block (`variable`, `output`) without a non-empty `description`, with
/// `help`; when every one has it, one positive at the first.
pub(crate) fn check_described(module: &Module, cx: &mut Ctx, kind: &str, help: &str) {
    let mut first = None;
    let mut missing = false;
    for block in module.blocks(kind) {
        first = first.or(Some(block.head));
        let described = block
            .body
            .get("description")
            .is_some_and(|d| d.as_str().is_none_or(|s| !s.trim().is_empty()));
        if !described {
            missing = true;
            cx.report(
                block.head,
                format!("{kind} `{}` has no description", block.address()),
            )
            .help(help);
        }
    }
    if let (Some(span), false) = (first, missing) {
        cx.pass(
            span,
            format!("every {kind} of the module has a description"),
        );
    }
}
