//! Shell-style variable substitution (`$VAR`, `${VAR:-default}`, …) with known values only:
//! what is not known stays as written, so the result still reads as unresolved (an image
//! reference with a `${TAG}` left in it is neither pinned nor unpinned).
//! Dockerfiles and compose files share it; they differ in how a literal dollar is escaped and
//! in whether a variable can be known to be unset.

/// What a lookup knows of a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// Set to this value.
    Set(String),
    /// Known to be unset: `${VAR:-default}` and `${VAR-default}` take their default.
    Unset,
    /// Not known either way: every form stays as written.
    Unknown,
}

/// How a literal dollar is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escape {
    /// `\$` (shells, Dockerfiles), kept as written.
    Backslash,
    /// `$$` (compose), which becomes `$`.
    Double,
}

/// Nested `${…}` words deeper than this are kept as written.
const MAX_DEPTH: usize = 8;

/// Substitute `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`,
/// `${VAR+alt}`, `${VAR:?msg}` and `${VAR?msg}` where `lookup` knows the variable. Unknown
/// variables (and `\$`) are left exactly as written.
pub fn substitute(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let lookup = |name: &str| lookup(name).map_or(Binding::Unknown, Binding::Set);
    substitute_with(text, Escape::Backslash, lookup)
}

/// [`substitute`] with a lookup that may also know a variable to be unset, and the given
/// escape for a literal dollar.
pub fn substitute_with(text: &str, escape: Escape, lookup: impl Fn(&str) -> Binding) -> String {
    expand(text, escape, &lookup, 0)
}

fn expand<F: Fn(&str) -> Binding>(text: &str, escape: Escape, lookup: &F, depth: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        let (before, from_dollar) = rest.split_at(dollar);
        out.push_str(before);
        let after = from_dollar.get(1..).unwrap_or("");
        match escape {
            Escape::Backslash if before.ends_with('\\') => {
                out.push('$');
                rest = after;
                continue;
            }
            Escape::Double => {
                if let Some(tail) = after.strip_prefix('$') {
                    out.push('$');
                    rest = tail;
                    continue;
                }
            }
            Escape::Backslash => {}
        }
        let consumed = if let Some(inner) = after.strip_prefix('{') {
            braced(inner, escape, lookup, depth, &mut out)
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
fn bare<F: Fn(&str) -> Binding>(after: &str, lookup: &F, out: &mut String) -> Option<usize> {
    let len = name_len(after);
    if len == 0 {
        return None;
    }
    let name = after.get(..len)?;
    match lookup(name) {
        Binding::Set(value) => out.push_str(&value),
        Binding::Unset | Binding::Unknown => {
            out.push('$');
            out.push_str(name);
        }
    }
    Some(len)
}

/// `${…}` with `inner` starting after the `{`: returns the bytes used after the `$`, or `None`
/// when the braces do not close or hold no name.
fn braced<F: Fn(&str) -> Binding>(
    inner: &str,
    escape: Escape,
    lookup: &F,
    depth: usize,
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
    let word = |w: &str| {
        if depth > MAX_DEPTH {
            w.to_string()
        } else {
            expand(w, escape, lookup, depth + 1)
        }
    };
    let replacement = match (modifier_kind(modifier), lookup(name)) {
        (None, _) | (_, Binding::Unknown) => written,
        (Some((op, w)), Binding::Unset) => match op {
            ":-" | "-" => word(w),
            _ => written,
        },
        (Some(("", _)), Binding::Set(v)) => v,
        (Some((op, w)), Binding::Set(v)) => match op {
            ":-" if v.is_empty() => word(w),
            "+" => word(w),
            ":+" if !v.is_empty() => word(w),
            ":+" => String::new(),
            ":?" if v.is_empty() => written,
            _ => v,
        },
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
pub fn name_len(s: &str) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(text: &str) -> String {
        let vars = [
            ("TAG", Some("1.27")),
            ("EMPTY", Some("")),
            ("NODEFAULT", None),
        ];
        substitute(text, |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| v.map(str::to_string))
        })
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
