//! `security_opt` entries read the way Compose and the Docker daemon read them: `key=value`
//! when there is an `=`, else `key:value`; a bare `no-new-privileges` means `true`.
use crate::formats::compose::Env;
use crate::rules::prelude::*;

/// One string entry of a service's `security_opt`, interpolated.
#[derive(Clone, Debug)]
pub(crate) struct SecurityOpt<'a> {
    pub node: &'a Node,
    /// The entry after interpolation.
    pub text: String,
    pub key: String,
    /// `None` for an entry without a separator (only `no-new-privileges` is valid so).
    pub value: Option<String>,
    /// Whether the separator was `=` (Compose handles `systempaths` only in that spelling).
    pub equals: bool,
}

/// The string entries of a service mapping's `security_opt`, in order.
pub(crate) fn security_opts<'a>(service: &'a Node, env: &Env) -> Vec<SecurityOpt<'a>> {
    let Some(list) = service.get("security_opt") else {
        return Vec::new();
    };
    list.items()
        .filter_map(|node| {
            let text = env.interpolate(node.as_str()?).trim().to_string();
            let (key, value, equals) = if let Some((k, v)) = text.split_once('=') {
                (k.to_string(), Some(v.to_string()), true)
            } else if let Some((k, v)) = text.split_once(':') {
                (k.to_string(), Some(v.to_string()), false)
            } else {
                (text.clone(), None, false)
            };
            Some(SecurityOpt {
                node,
                text,
                key,
                value,
                equals,
            })
        })
        .collect()
}

/// Go's `strconv.ParseBool`, which the daemon uses for `no-new-privileges=<bool>`.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}
