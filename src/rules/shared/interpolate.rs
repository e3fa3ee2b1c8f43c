//! Shell-style variable substitution with known values only: what is not known stays as
//! written, so the result still reads as unresolved (catalog §1.5). Also the Dockerfile scopes:
//! global `ARG` defaults for `FROM`, stage `ARG`s and inherited `ENV`s for other instructions.

use crate::formats::docker::{Dockerfile, Kind, Stage};

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

/// Substitute `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`,
/// `${VAR+alt}`, `${VAR:?msg}` and `${VAR?msg}` where `lookup` knows the variable. Unknown
/// variables (and `\$`) are left exactly as written.
pub(crate) fn substitute(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    expand(text, &lookup)
}

fn expand<F: Fn(&str) -> Option<String>>(text: &str, lookup: &F) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        let (before, from_dollar) = rest.split_at(dollar);
        out.push_str(before);
        if before.ends_with('\\') {
            out.push('$');
            rest = from_dollar.get(1..).unwrap_or("");
            continue;
        }
        let after = from_dollar.get(1..).unwrap_or("");
        let consumed = if let Some(inner) = after.strip_prefix('{') {
            braced(inner, lookup, &mut out)
        } else {
            bare(after, lookup, &mut out)
        };
        match consumed {
            // `consumed` counts bytes after the `$`.
            Some(n) => rest = after.get(n..).unwrap_or(""),
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `$NAME`: returns the bytes used after the `$`, or `None` when no name follows.
fn bare<F: Fn(&str) -> Option<String>>(after: &str, lookup: &F, out: &mut String) -> Option<usize> {
    let len = name_len(after);
    if len == 0 {
        return None;
    }
    let name = after.get(..len)?;
    match lookup(name) {
        Some(value) => out.push_str(&value),
        None => {
            out.push('$');
            out.push_str(name);
        }
    }
    Some(len)
}

/// `${…}` with `inner` starting after the `{`: returns the bytes used after the `$`, or `None`
/// when the braces do not close or hold no name.
fn braced<F: Fn(&str) -> Option<String>>(
    inner: &str,
    lookup: &F,
    out: &mut String,
) -> Option<usize> {
    let close = closing_brace(inner)?;
    let body = inner.get(..close)?;
    let written = inner.get(..=close).map(|b| format!("${{{b}"))?;
    let len = name_len(body);
    if len == 0 {
        return None;
    }
    let name = body.get(..len)?;
    let modifier = body.get(len..).unwrap_or("");
    let value = lookup(name);
    let replacement = match (modifier_kind(modifier), value) {
        (_, None) => written,
        (Some(("", _)), Some(v)) => v,
        (Some((op, word)), Some(v)) => match op {
            ":-" if v.is_empty() => expand(word, lookup),
            "+" => expand(word, lookup),
            ":+" if !v.is_empty() => expand(word, lookup),
            ":+" => String::new(),
            ":?" if v.is_empty() => written,
            _ => v,
        },
        (None, Some(_)) => written,
    };
    out.push_str(&replacement);
    // `{`, the body and `}`.
    Some(close + 2)
}

/// Split what follows the name in `${NAME…}` into its operator and word.
fn modifier_kind(modifier: &str) -> Option<(&str, &str)> {
    if modifier.is_empty() {
        return Some(("", ""));
    }
    for op in [":-", ":+", ":?", "-", "+", "?"] {
        if let Some(word) = modifier.strip_prefix(op) {
            return Some((op, word));
        }
    }
    None
}

/// Length of the variable name at the start of `s`: `[A-Za-z_][A-Za-z0-9_]*`.
fn name_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    match bytes.first() {
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' => bytes
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count(),
        _ => 0,
    }
}

/// Offset of the `}` closing a `${` whose body starts `s`, nested `${…}` skipped.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = s.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes.get(i - 1) == Some(&b'$') => depth += 1,
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        vec![
            ("TAG".into(), Some("1.27".into())),
            ("EMPTY".into(), Some(String::new())),
            ("NODEFAULT".into(), None),
        ]
    }

    fn sub(text: &str) -> String {
        let vars = vars();
        substitute(text, lookup_in(&vars))
    }

    #[test]
    fn plain_and_braced() {
        assert_eq!(sub("nginx:$TAG"), "nginx:1.27");
        assert_eq!(sub("nginx:${TAG}-alpine"), "nginx:1.27-alpine");
        assert_eq!(sub("$TAG$TAG"), "1.271.27");
    }

    #[test]
    fn unknown_stays_as_written() {
        assert_eq!(sub("nginx:$OTHER"), "nginx:$OTHER");
        assert_eq!(sub("${NODEFAULT}"), "${NODEFAULT}");
        assert_eq!(sub("${OTHER:-x}"), "${OTHER:-x}");
        assert_eq!(sub("${OTHER+x}"), "${OTHER+x}");
        assert_eq!(sub("a$"), "a$");
        assert_eq!(sub("$1 ${"), "$1 ${");
        assert_eq!(sub("\\$TAG"), "\\$TAG");
    }

    #[test]
    fn defaults_and_alternatives() {
        assert_eq!(sub("${TAG:-x}"), "1.27");
        assert_eq!(sub("${EMPTY:-x}"), "x");
        assert_eq!(sub("${EMPTY-x}"), "");
        assert_eq!(sub("${TAG-x}"), "1.27");
        assert_eq!(sub("${TAG:+alt}"), "alt");
        assert_eq!(sub("${EMPTY:+alt}"), "");
        assert_eq!(sub("${EMPTY+alt}"), "alt");
        assert_eq!(sub("${TAG:?missing}"), "1.27");
        assert_eq!(sub("${EMPTY:?missing}"), "${EMPTY:?missing}");
    }

    #[test]
    fn nested_words_are_substituted() {
        assert_eq!(sub("${EMPTY:-${TAG}}"), "1.27");
        assert_eq!(sub("${EMPTY:-v$TAG}"), "v1.27");
        assert_eq!(sub("${TAG:+${OTHER}}"), "${OTHER}");
    }

    #[test]
    fn malformed_modifiers_are_kept() {
        assert_eq!(sub("${TAG/x/y}"), "${TAG/x/y}");
    }
}
