//! Secrets passed as build arguments, or copied from one into `ENV`, in the stages the final
//! image is built from.
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{Value, classify_value, interpolated_names, is_sensitive_key};

pub(crate) static RULE: Rule = Rule {
    id: "docker/secret-build-arg",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/docker/secret-build-arg.md"),
    check: Check::Docker(check),
};

/// A sensitive `ARG`, or an `ENV` set from an `ARG`, in the final stage or its alias chain.
/// `docker/hardcoded-secret` leaves these places to this rule.
pub(super) struct BuildArgSecret {
    pub(super) key: Spanned<String>,
    pub(super) value: Option<Spanned<String>>,
    /// For an `ENV`, the build argument it copies.
    pub(super) from_arg: Option<String>,
}

/// Every place this rule reports, in file order.
pub(super) fn build_arg_secrets(file: &Dockerfile) -> Vec<BuildArgSecret> {
    let Some(last) = file.final_stage() else {
        return vec![];
    };
    let mut out = vec![];
    let mut chain = file.chain(last);
    chain.reverse();
    for stage in chain {
        // ARGs are scoped to their stage: a stage sees only those it declares itself.
        let mut args: Vec<String> = vec![];
        for instr in file.body(stage) {
            match instr.kind {
                Kind::Arg => {
                    for pair in instr.pairs() {
                        args.push(pair.key.value.clone());
                        if is_sensitive_key(&pair.key.value) {
                            out.push(BuildArgSecret {
                                key: pair.key,
                                value: pair.value,
                                from_arg: None,
                            });
                        }
                    }
                }
                Kind::Env => {
                    for pair in instr.pairs() {
                        if !is_sensitive_key(&pair.key.value) {
                            continue;
                        }
                        let Some(value) = &pair.value else {
                            continue;
                        };
                        let from_arg = interpolated_names(&value.value)
                            .into_iter()
                            .find(|name| args.iter().any(|a| a == name))
                            .map(str::to_string);
                        if from_arg.is_some() {
                            out.push(BuildArgSecret {
                                key: pair.key,
                                value: pair.value,
                                from_arg,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn check(file: &Dockerfile, cx: &mut Ctx) {
    for secret in build_arg_secrets(file) {
        let key = &secret.key.value;
        let value = secret.value.as_ref().filter(|v| !v.span.is_empty());
        let span = value.map_or(secret.key.span, |v| secret.key.span.cover(v.span));
        let finding = match &secret.from_arg {
            Some(arg) if arg == key => cx
                .report(
                    span,
                    format!("`ENV {key}` copies the build argument of the same name into the image"),
                )
                .help("read the secret from `RUN --mount=type=secret` in the steps that need it instead of setting it with `ENV`"),
            Some(arg) => cx
                .report(
                    span,
                    format!("`ENV {key}` copies the build argument `{arg}` into the image"),
                )
                .help("read the secret from `RUN --mount=type=secret` in the steps that need it instead of setting it with `ENV`"),
            None => {
                let literal = value
                    .is_some_and(|v| matches!(classify_value(&v.value, cx.options()), Value::Literal { .. }));
                let message = if literal {
                    format!("secret `{key}` is a build argument with a default written in the Dockerfile")
                } else {
                    format!("secret `{key}` is a build argument, which the image history records")
                };
                cx.report(span, message)
                    .help("pass the secret with `RUN --mount=type=secret` instead of a build argument")
            }
        };
        if let Some(v) = value {
            finding.mask(v.span);
        }
    }
    if let Some(mount) = secret_mount(file) {
        cx.pass(
            mount,
            "`RUN --mount=type=secret` keeps the secret out of the image",
        );
    }
}

/// The first `--mount=type=secret` of a `RUN` in the final stage or its alias chain.
fn secret_mount(file: &Dockerfile) -> Option<Span> {
    let last = file.final_stage()?;
    let mut chain = file.chain(last);
    chain.reverse();
    chain
        .into_iter()
        .flat_map(|stage| file.body(stage))
        .filter(|instr| instr.kind == Kind::Run)
        .flat_map(|instr| &instr.flags)
        .find(|flag| {
            flag.name.value == "mount"
                && flag.value.as_ref().is_some_and(|v| {
                    v.value
                        .split(',')
                        .any(|part| part.trim().eq_ignore_ascii_case("type=secret"))
                })
        })
        .map(|flag| flag.span)
}
