//! Compose interpolation: `${VAR}`, `$VAR`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR:+r}` and
//! the `$$` escape, with the values of the `.env` file beside the compose file. Variables the
//! file does not set are taken as unset, so their defaults apply; without a default they stay as
//! written, and the value reads as unresolved.

use crate::formats::interpolate::{Binding, Escape, name_len, substitute_with};
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
        let lookup = |name: &str| {
            self.get(name)
                .map_or(Binding::Unset, |v| Binding::Set(v.to_string()))
        };
        Cow::Owned(substitute_with(text, Escape::Double, lookup))
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
