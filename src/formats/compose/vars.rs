//! Compose interpolation: `${VAR}`, `$VAR`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR:+r}` and
//! the `$$` escape, with the values of the `.env` file beside the compose file. Variables the
//! file does not set are taken as unset, so their defaults apply; without a default they stay as
//! written, and the value reads as unresolved.

use std::borrow::Cow;

/// Values known for interpolation (the `.env` beside the compose file).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    vars: Vec<(String, String)>,
}

impl Env {
    /// The variables of a dotenv text (later lines win).
    pub fn from_dotenv(text: &str) -> Env {
        let dotenv = super::parse_dotenv(text);
        Env {
            vars: dotenv
                .entries
                .into_iter()
                .map(|e| (e.key.value, e.value.value))
                .collect(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// The text with every variable substituted that can be: known values, then defaults. What
    /// cannot be resolved is kept as written (so it still contains `$`); `$$` becomes `$`.
    pub fn interpolate<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !text.contains('$') {
            return Cow::Borrowed(text);
        }
        Cow::Owned(self.expand(text, 0))
    }

    fn expand(&self, text: &str, depth: usize) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(dollar) = rest.find('$') {
            let (before, from_dollar) = rest.split_at(dollar);
            out.push_str(before);
            let after = from_dollar.get(1..).unwrap_or("");
            if let Some(tail) = after.strip_prefix('$') {
                // `$$` is a literal dollar; keep it visible as a dollar sign only once.
                out.push('$');
                rest = tail;
                continue;
            }
            let used = if let Some(inner) = after.strip_prefix('{') {
                self.braced(inner, depth, &mut out)
            } else {
                self.bare(after, &mut out)
            };
            match used {
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

    fn bare(&self, after: &str, out: &mut String) -> Option<usize> {
        let len = name_len(after);
        if len == 0 {
            return None;
        }
        let name = after.get(..len)?;
        match self.get(name) {
            Some(v) => out.push_str(v),
            None => {
                out.push('$');
                out.push_str(name);
            }
        }
        Some(len)
    }

    fn braced(&self, inner: &str, depth: usize, out: &mut String) -> Option<usize> {
        let close = closing_brace(inner)?;
        let body = inner.get(..close)?;
        let len = name_len(body);
        if len == 0 {
            return None;
        }
        let name = body.get(..len)?;
        let modifier = body.get(len..).unwrap_or("");
        let written = || format!("${{{body}}}");
        let word = |w: &str| {
            if depth > 8 {
                w.to_string()
            } else {
                self.expand(w, depth + 1)
            }
        };
        let value = self.get(name);
        let replacement = if modifier.is_empty() {
            value.map_or_else(written, str::to_string)
        } else if let Some(w) = modifier.strip_prefix(":-") {
            match value {
                Some(v) if !v.is_empty() => v.to_string(),
                _ => word(w),
            }
        } else if let Some(w) = modifier.strip_prefix(":+") {
            match value {
                Some(v) if !v.is_empty() => word(w),
                Some(_) => String::new(),
                None => written(),
            }
        } else if modifier.starts_with(":?") || modifier.starts_with('?') {
            match value {
                Some(v) if !(v.is_empty() && modifier.starts_with(':')) => v.to_string(),
                _ => written(),
            }
        } else if let Some(w) = modifier.strip_prefix('-') {
            value.map_or_else(|| word(w), str::to_string)
        } else if let Some(w) = modifier.strip_prefix('+') {
            value.map_or_else(written, |_| word(w))
        } else {
            written()
        };
        out.push_str(&replacement);
        Some(close + 2)
    }
}

/// Whether a value uses interpolation at all (`$$` escapes do not count).
pub fn is_interpolated(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        let after = rest.get(i + 1..).unwrap_or("");
        if let Some(tail) = after.strip_prefix('$') {
            rest = tail;
            continue;
        }
        if after.starts_with('{') || name_len(after) > 0 {
            return true;
        }
        rest = after;
    }
    false
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env::from_dotenv("TAG=1.27\nEMPTY=\nPORT=8080\n")
    }

    #[test]
    fn known_values_and_defaults() {
        let e = env();
        assert_eq!(e.interpolate("nginx:${TAG}"), "nginx:1.27");
        assert_eq!(e.interpolate("nginx:$TAG"), "nginx:1.27");
        assert_eq!(e.interpolate("${OTHER:-5432}:5432"), "5432:5432");
        assert_eq!(e.interpolate("${OTHER-x}"), "x");
        assert_eq!(e.interpolate("${EMPTY:-x}"), "x");
        assert_eq!(e.interpolate("${EMPTY-x}"), "");
        assert_eq!(e.interpolate("${TAG:-x}"), "1.27");
        assert_eq!(e.interpolate("${OTHER:-${PORT}}"), "8080");
        assert_eq!(e.interpolate("${TAG:?set it}"), "1.27");
        assert_eq!(e.interpolate("${TAG:+alt}"), "alt");
    }

    #[test]
    fn unresolved_stays_as_written() {
        let e = env();
        assert_eq!(e.interpolate("nginx:${OTHER}"), "nginx:${OTHER}");
        assert_eq!(e.interpolate("$OTHER"), "$OTHER");
        assert_eq!(e.interpolate("${OTHER:?required}"), "${OTHER:?required}");
        assert_eq!(e.interpolate("${EMPTY:?required}"), "${EMPTY:?required}");
        assert_eq!(e.interpolate("${OTHER:+alt}"), "${OTHER:+alt}");
        assert_eq!(e.interpolate("a$"), "a$");
        assert_eq!(e.interpolate("${"), "${");
    }

    #[test]
    fn double_dollar_is_a_literal() {
        let e = env();
        assert_eq!(e.interpolate("pa$$word"), "pa$word");
        assert!(!is_interpolated("pa$$word"));
        assert!(is_interpolated("${A}"));
        assert!(is_interpolated("x$A"));
        assert!(!is_interpolated("cost: 5$"));
    }
}
