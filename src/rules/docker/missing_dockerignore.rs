//! Whole-context copies without a `.dockerignore` to keep secrets and clutter out.
use crate::formats::docker::context::first_whole_context_copy;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/missing-dockerignore",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/docker/missing-dockerignore.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some((instr, source)) = first_whole_context_copy(file) else {
        return;
    };
    let at = instr.keyword.span.cover(instr.args.span);
    match &file.context.ignore {
        Some(ignore) => {
            cx.pass(at, format!("`{}` filters the build context", ignore.name));
        }
        None => {
            cx.report(
                at,
                format!(
                    "`{} {}` copies the whole build context and no `.dockerignore` applies",
                    instr.keyword.value.to_ascii_uppercase(),
                    source.value
                ),
            )
            .help("add a `.dockerignore` beside the Dockerfile that excludes `.git`, secrets and build output");
        }
    }
}
