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

/// The source span of `part` (a byte range of a scalar's text) inside the node written at
/// `span`: exact when the text appears as written (searched from the end, where a `KEY=value`
/// item keeps its value), otherwise the whole node.
pub(crate) fn span_in(cx: &Ctx, span: Span, text: &str, part: std::ops::Range<usize>) -> Span {
    let Some(piece) = text.get(part) else {
        return span;
    };
    let written = cx.source().slice(span);
    match written.rfind(piece) {
        Some(at) if !piece.is_empty() => {
            let start = span.start as usize + at;
            Span::new(start, start + piece.len())
        }
        _ => span,
    }
}

/// The service's image reference with the `.env` values and defaults substituted.
pub(crate) fn image(node: &Node, env: &crate::formats::compose::Env) -> Option<String> {
    let raw = node.get("image")?.as_str()?;
    Some(env.interpolate(raw).trim().to_string())
}

/// Spans already reported by a rule: an anchor or merge key copies one written value into
/// several services, and the value is reported once.
#[derive(Default)]
pub(crate) struct Seen(Vec<Span>);

impl Seen {
    /// `true` the first time a span is seen.
    pub(crate) fn first(&mut self, span: Span) -> bool {
        if self.0.contains(&span) {
            return false;
        }
        self.0.push(span);
        true
    }
}
