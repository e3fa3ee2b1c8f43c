//! Just enough of Kestra's Pebble expressions for the rules: where `{{ … }}` and `{% … %}` are,
//! `secret('X')` calls, and whole-value `{{ vars.x }}` / `{{ inputs.x }}` references.

use std::ops::Range;

/// The byte ranges of the expressions (`{{ … }}`) and tags (`{% … %}`) of a text, delimiters
/// included. An unclosed one runs to the end of the text.
pub fn expressions(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(find_open) {
        let start = from + found.0;
        let close = found.1;
        let body = start + 2;
        let end = text
            .get(body..)
            .and_then(|rest| rest.find(close))
            .map_or(text.len(), |i| body + i + 2);
        out.push(start..end);
        from = end.max(start + 2);
    }
    out
}

/// The first `{{` or `{%` and its closing delimiter.
fn find_open(text: &str) -> Option<(usize, &'static str)> {
    let a = text.find("{{");
    let b = text.find("{%");
    match (a, b) {
        (Some(a), Some(b)) if b < a => Some((b, "%}")),
        (Some(a), _) => Some((a, "}}")),
        (None, Some(b)) => Some((b, "%}")),
        (None, None) => None,
    }
}

/// Whether a text holds a Pebble expression or tag.
pub fn has_expression(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// A `secret('NAME')` call inside an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretCall {
    /// The call, from `secret` to `)`.
    pub range: Range<usize>,
    pub name: String,
}

/// Every `secret('X')` / `secret("X")` call (spaces allowed inside the parentheses) within the
/// expressions of a text.
pub fn secret_calls(text: &str) -> Vec<SecretCall> {
    let mut out = Vec::new();
    for expr in expressions(text) {
        let Some(body) = text.get(expr.clone()) else {
            continue;
        };
        let mut from = 0;
        while let Some(i) = body.get(from..).and_then(|b| b.find("secret")) {
            let at = from + i;
            from = at + 6;
            let before = body.get(..at).and_then(|b| b.chars().next_back());
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            if let Some((len, name)) = call_argument(body.get(at + 6..).unwrap_or("")) {
                out.push(SecretCall {
                    range: expr.start + at..expr.start + at + 6 + len,
                    name,
                });
            }
        }
    }
    out
}

/// After a function name: `( 'X' )` with either quote; the length read and the argument.
fn call_argument(rest: &str) -> Option<(usize, String)> {
    let open = rest.len() - rest.trim_start().len();
    let after = rest.get(open..)?.strip_prefix('(')?;
    let spaces = after.len() - after.trim_start().len();
    let arg = after.get(spaces..)?;
    let quote = arg.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = arg.get(1..)?;
    let close = inner.find(quote)?;
    let name = inner.get(..close)?;
    let tail = inner.get(close + 1..)?;
    let trailing = tail.len() - tail.trim_start().len();
    tail.get(trailing..)?.strip_prefix(')')?;
    let len = open + 1 + spaces + 1 + close + 1 + trailing + 1;
    Some((len, name.to_string()))
}

/// Whether the whole value is one expression made of a `secret(…)` call, possibly piped
/// through filters (`{{ secret('X') | trim }}`).
pub fn is_secret_reference(text: &str) -> bool {
    let t = text.trim();
    let Some(inner) = t.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) else {
        return false;
    };
    let inner = inner.trim();
    inner.starts_with("secret") && !inner.contains("}}") && !secret_calls(t).is_empty()
}

/// Whether an expression of the text reads `envs.…` (environment variables).
pub fn uses_envs(text: &str) -> bool {
    in_expressions(text, |body| contains_word(body, "envs."))
}

/// Whether an expression of the text calls `kv(…)`.
pub fn uses_kv(text: &str) -> bool {
    in_expressions(text, |body| {
        contains_word(body, "kv(") || contains_word(body, "kv (")
    })
}

/// Whether an expression of the text reads `vars.…`.
pub fn uses_vars(text: &str) -> bool {
    in_expressions(text, |body| contains_word(body, "vars."))
}

/// Whether an expression of the text reads `globals.…` (server-wide variables).
pub fn uses_globals(text: &str) -> bool {
    in_expressions(text, |body| contains_word(body, "globals."))
}

fn in_expressions(text: &str, test: impl Fn(&str) -> bool) -> bool {
    expressions(text)
        .into_iter()
        .any(|r| text.get(r).is_some_and(&test))
}

/// `needle` at the start of an identifier (not `myenvs.`).
fn contains_word(body: &str, needle: &str) -> bool {
    body.match_indices(needle).any(|(i, _)| {
        body.get(..i)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
    })
}

/// The scopes a whole-value reference can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Vars,
    Inputs,
}

/// A value that is exactly `{{ vars.x }}` or `{{ inputs.x }}` (also `vars['x']`).
pub fn whole_reference(text: &str) -> Option<(Scope, &str)> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let (scope, rest) = if let Some(rest) = inner.strip_prefix("vars") {
        (Scope::Vars, rest)
    } else {
        (Scope::Inputs, inner.strip_prefix("inputs")?)
    };
    let name = if let Some(name) = rest.strip_prefix('.') {
        name
    } else {
        rest.strip_prefix('[')?
            .strip_suffix(']')?
            .trim()
            .trim_matches(|c| c == '\'' || c == '"')
    };
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then_some((scope, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secret_calls() {
        let text =
            r#"Bearer {{ secret('API_TOKEN') }} and {{secret( "DB" )}} but not mysecret('x')"#;
        let calls = secret_calls(text);
        let names: Vec<_> = calls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["API_TOKEN", "DB"]);
        assert_eq!(
            text.get(calls[0].range.clone()),
            Some("secret('API_TOKEN')")
        );
        assert!(secret_calls("echo secret('X')").is_empty());
    }

    #[test]
    fn whole_references() {
        assert_eq!(whole_reference("{{ vars.db }}"), Some((Scope::Vars, "db")));
        assert_eq!(
            whole_reference("{{inputs['tok']}}"),
            Some((Scope::Inputs, "tok"))
        );
        assert_eq!(whole_reference("x {{ vars.db }}"), None);
        assert_eq!(whole_reference("{{ vars.db | upper }}"), None);
    }

    #[test]
    fn store_references() {
        assert!(uses_envs("{{ envs.db_host }}"));
        assert!(uses_kv("{{ kv('HOST') }}"));
        assert!(!uses_envs("envs.x"));
        assert!(is_secret_reference("{{ secret('X') }}"));
        assert!(!is_secret_reference("prefix-{{ secret('X') }}"));
    }
}
