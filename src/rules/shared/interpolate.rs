//! The Dockerfile scopes of variable substitution: global `ARG` defaults for `FROM`, stage
//! `ARG`s and inherited `ENV`s for other instructions. The substitution itself is
//! `formats::interpolate`'s.

use crate::formats::docker::{Dockerfile, Kind, Stage};
pub(crate) use crate::formats::interpolate::substitute;

/// Variables with what is known of their values: `None` when declared without a known value.
pub(crate) type Vars = Vec<(String, Option<String>)>;

/// A lookup over [`Vars`] for [`substitute`]: the last entry of a name wins.
pub(crate) fn lookup_in(vars: &[(String, Option<String>)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.clone())
    }
}

/// What `FROM` lines see: the defaults of the global `ARG`s.
pub(crate) fn from_vars(file: &Dockerfile) -> Vars {
    file.global_arg_defaults()
}

/// The image a stage's `FROM` names, global `ARG` defaults substituted.
pub(crate) fn stage_image(file: &Dockerfile, stage: &Stage) -> String {
    let vars = from_vars(file);
    substitute(&stage.image.value, lookup_in(&vars))
}

/// What an instruction of `stage` at index `until` of [`Dockerfile::instructions`] sees: the
/// `ENV`s its ancestors (through `FROM <alias>`) set, then the stage's own `ARG`s and `ENV`s
/// before it. A stage `ARG` without a default takes the global default of the same name.
pub(crate) fn stage_vars(file: &Dockerfile, stage: &Stage, until: usize) -> Vars {
    let globals = from_vars(file);
    let mut env = Vars::new();
    for ancestor in file.chain(stage).into_iter().skip(1).rev() {
        let (_, ancestor_env) = walk_stage(file, ancestor, &globals, env.clone(), usize::MAX);
        env = ancestor_env;
    }
    walk_stage(file, stage, &globals, env, until).0
}

/// Walk a stage's `ARG`s and `ENV`s before `until`, starting from the inherited `env`: all
/// variables in scope, and the `ENV`s alone (what a child stage inherits).
fn walk_stage(
    file: &Dockerfile,
    stage: &Stage,
    globals: &Vars,
    env: Vars,
    until: usize,
) -> (Vars, Vars) {
    let mut scope = env.clone();
    let mut env = env;
    for index in stage.body.clone().take_while(|i| *i < until) {
        let Some(instr) = file.instructions.get(index) else {
            continue;
        };
        match instr.kind {
            Kind::Arg => {
                for pair in instr.pairs() {
                    let value = match pair.value {
                        Some(v) => Some(substitute(&v.value, lookup_in(&scope))),
                        None => lookup_in(globals)(&pair.key.value),
                    };
                    scope.push((pair.key.value, value));
                }
            }
            Kind::Env => {
                for pair in instr.pairs() {
                    let value = pair.value.map(|v| substitute(&v.value, lookup_in(&scope)));
                    scope.push((pair.key.value.clone(), value.clone()));
                    env.push((pair.key.value, value));
                }
            }
            _ => {}
        }
    }
    (scope, env)
}
