//! References to stages that do not exist yet, to the current stage, or to a duplicated name.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/invalid-stage-reference",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/docker/invalid-stage-reference.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    for stage in &file.stages {
        if let Some(alias) = &stage.alias
            && let Some(earlier) = file.stage_named(&alias.value, stage.index)
        {
            cx.report(
                alias.span,
                format!(
                    "stage name `{}` is already used by stage {}",
                    alias.value, earlier.index
                ),
            )
            .help("give every stage a distinct name");
        }
        if file.parent(stage).is_none()
            && let Some(later) = later_stage(file, &stage.image.value, stage.index)
        {
            cx.report(
                stage.image.span,
                format!(
                    "`FROM {}` names stage {}, which is defined later",
                    stage.image.value, later.index
                ),
            )
            .help("move the named stage above this one");
        }
        for index in stage.body.clone() {
            let Some(instr) = file.instructions.get(index) else {
                continue;
            };
            let references: Vec<(String, Spanned<String>)> = match instr.kind {
                Kind::Copy => instr
                    .flag("from")
                    .and_then(|f| f.value.clone())
                    .map(|v| (format!("`COPY --from={}`", v.value), v))
                    .into_iter()
                    .collect(),
                Kind::Run => instr
                    .mount_options("from")
                    .into_iter()
                    .map(|v| (format!("`from={}` of `RUN --mount`", v.value), v))
                    .collect(),
                _ => vec![],
            };
            for (what, reference) in references {
                if let Some(problem) = problem(file, stage, &reference.value) {
                    cx.report(reference.span, format!("{what} {problem}"))
                        .help("refer to a stage defined above the current one");
                }
            }
        }
    }
}

/// What is wrong with `name` used as a stage reference inside `stage`, if anything.
fn problem(file: &Dockerfile, stage: &Stage, name: &str) -> Option<String> {
    if let Ok(index) = name.parse::<usize>() {
        return if index == stage.index {
            Some("refers to the current stage".to_string())
        } else if index > stage.index {
            Some(format!(
                "refers to stage {index}, which is not defined before this one"
            ))
        } else {
            None
        };
    }
    if file.stage_named(name, stage.index).is_some() {
        return None;
    }
    if stage
        .alias
        .as_ref()
        .is_some_and(|a| a.value.eq_ignore_ascii_case(name))
    {
        return Some("names the current stage".to_string());
    }
    later_stage(file, name, stage.index)
        .map(|later| format!("names stage {}, which is defined later", later.index))
}

/// The first stage after `index` named `name`.
fn later_stage<'a>(file: &'a Dockerfile, name: &str, index: usize) -> Option<&'a Stage> {
    file.stages.iter().skip(index + 1).find(|s| {
        s.alias
            .as_ref()
            .is_some_and(|a| a.value.eq_ignore_ascii_case(name))
    })
}
