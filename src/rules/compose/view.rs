//! What the compose rules share: the project view (extends, the default override file and the
//! `.env` beside the file, read through the siblings) and small readers of service keys.

use crate::formats::compose::{DEFAULT_FILE_NAMES, Env, OVERRIDE_FILE_NAMES, Project, parse};
use crate::rules::prelude::*;

/// The linted file as `docker compose` would load it by default: with the `.env` values, and,
/// when the file is the directory's default compose file, the first override file found.
pub(crate) fn project<'a>(file: &'a Compose, cx: &Ctx) -> Project<'a> {
    let siblings = cx.siblings();
    let env = siblings
        .read(".env")
        .map(|text| Env::from_dotenv(&text))
        .unwrap_or_default();
    let name = cx.source().name.rsplit('/').next().unwrap_or_default();
    // Compose reads the first default name it finds; only that file gets the override.
    let is_default = DEFAULT_FILE_NAMES
        .iter()
        .take_while(|n| **n != name)
        .all(|n| !siblings.exists(n))
        && DEFAULT_FILE_NAMES.contains(&name);
    let over = is_default
        .then(|| {
            OVERRIDE_FILE_NAMES
                .iter()
                .find_map(|n| Some((*n, siblings.read(n)?)))
        })
        .flatten()
        .and_then(|(n, text)| match parse(n, &text) {
            ComposeFile::Yaml(c) if c.errors.is_empty() => Some((n, c)),
            _ => None,
        });
    Project::new(file, env, over.as_ref().map(|(n, c)| (*n, c)))
}

/// The words of a `command` or `entrypoint`: a list as written, a string split at whitespace.
pub(crate) fn words(node: Option<&Node>) -> Vec<&str> {
    let Some(node) = node else {
        return Vec::new();
    };
    match node.as_str() {
        Some(text) => text.split_whitespace().collect(),
        None => node.items().filter_map(Node::as_str).collect(),
    }
}
