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
            .help("give every stage a distinct name")
            // BuildKit accepts the duplicate (the later stage wins); the file still builds.
            .severity = Severity::Warning;
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
                if let Some((problem, severity)) = problem(file, stage, &reference.value) {
                    cx.report(reference.span, format!("{what} {problem}"))
                        .help("refer to a stage defined above the current one")
                        .severity = severity;
                }
            }
        }
    }
}

/// What is wrong with `name` used as a stage reference inside `stage`, if anything, and how
/// bad it is. A reference to the current stage is a dependency cycle and an index past the last
/// stage does not exist: both fail the build. BuildKit resolves a reference to a later stage
/// (by name or index) as long as no cycle forms, so that is confusing, and fails only with the
/// legacy builder: a warning.
fn problem(file: &Dockerfile, stage: &Stage, name: &str) -> Option<(String, Severity)> {
    if let Ok(index) = name.parse::<usize>() {
        return if index == stage.index {
            Some((
                "refers to the current stage".to_string(),
                Severity::Critical,
            ))
        } else if index >= file.stages.len() {
            Some((
                format!("refers to stage {index}, which does not exist"),
                Severity::Critical,
            ))
        } else if index > stage.index {
            Some((
                format!("refers to stage {index}, which is not defined before this one"),
                Severity::Warning,
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
        return Some(("names the current stage".to_string(), Severity::Critical));
    }
    later_stage(file, name, stage.index).map(|later| {
        (
            format!("names stage {}, which is defined later", later.index),
            Severity::Warning,
        )
    })
}

/// The first stage after `index` named `name`.
fn later_stage<'a>(file: &'a Dockerfile, name: &str, index: usize) -> Option<&'a Stage> {
    file.stages.iter().skip(index + 1).find(|s| {
        s.alias
            .as_ref()
            .is_some_and(|a| a.value.eq_ignore_ascii_case(name))
    })
}
