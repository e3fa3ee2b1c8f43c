//! `security_opt` entries read the way Compose and the Docker daemon read them: `key=value`
//! when there is an `=`, else `key:value`; a bare `no-new-privileges` means `true`.
use crate::rules::prelude::*;

/// One string entry of a service's `security_opt`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SecurityOpt<'a> {
    pub node: &'a Node,
    pub key: &'a str,
    /// `None` for an entry without a separator (only `no-new-privileges` is valid so).
    pub value: Option<&'a str>,
    /// Whether the separator was `=` (Compose handles `systempaths` only in that spelling).
    pub equals: bool,
}

/// The string entries of `service`'s `security_opt`, in order.
pub(crate) fn security_opts<'a>(service: &Service<'a>) -> Vec<SecurityOpt<'a>> {
    let Some(list) = service.get("security_opt") else {
        return Vec::new();
    };
    list.items()
        .filter_map(|node| {
            let text = node.as_str()?;
            let opt = if let Some((key, value)) = text.split_once('=') {
                SecurityOpt {
                    node,
                    key,
                    value: Some(value),
                    equals: true,
                }
            } else if let Some((key, value)) = text.split_once(':') {
                SecurityOpt {
                    node,
                    key,
                    value: Some(value),
                    equals: false,
                }
            } else {
                SecurityOpt {
                    node,
                    key: text,
                    value: None,
                    equals: false,
                }
            };
            Some(opt)
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
