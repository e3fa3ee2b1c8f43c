//! Scalars read the way Compose converts them after interpolation: booleans written as strings
//! and byte sizes.
use crate::formats::compose::Env;
use crate::rules::prelude::*;

/// A boolean field: a plain YAML boolean, or a string Compose casts after interpolation
/// (`"true"`, `yes`, `on`, `y`, any case).
pub(crate) fn compose_bool(node: &Node, env: &Env) -> Option<bool> {
    if let Some(b) = node.as_bool() {
        return Some(b);
    }
    match env
        .interpolate(node.as_str()?)
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "true" | "yes" | "on" | "y" => Some(true),
        "false" | "no" | "off" | "n" => Some(false),
        _ => None,
    }
}

/// Whether a byte size (`512m`, `1g`, `1073741824`) is zero, which Docker reads as "no limit".
pub(crate) fn is_zero_size(text: &str) -> bool {
    let text = text.trim();
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !digits.is_empty()
        && digits
            .trim_end_matches('0')
            .trim_end_matches('.')
            .trim_start_matches('0')
            .is_empty()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::formats::yaml;

    fn node(text: &str) -> Node {
        yaml::parse(text).documents.remove(0).root.unwrap()
    }

    fn compose_bool_of(text: &str) -> Option<bool> {
        compose_bool(&node(text), &Env::from_dotenv("ON=yes\n"))
    }

    #[test]
    fn booleans() {
        assert_eq!(compose_bool_of("true"), Some(true));
        assert_eq!(compose_bool_of("\"true\""), Some(true));
        assert_eq!(compose_bool_of("yes"), Some(true));
        assert_eq!(compose_bool_of("'off'"), Some(false));
        assert_eq!(compose_bool_of("maybe"), None);
        assert_eq!(compose_bool_of("${ON}"), Some(true));
    }

    #[test]
    fn zero_sizes() {
        assert!(is_zero_size("0"));
        assert!(is_zero_size("0m"));
        assert!(is_zero_size("0.0g"));
        assert!(!is_zero_size("512m"));
        assert!(!is_zero_size("100"));
        assert!(!is_zero_size("1.5g"));
        assert!(!is_zero_size("m"));
    }
}
