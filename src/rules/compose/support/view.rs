//! What the compose rules share: small readers of service keys and of the spans of values.

use crate::rules::prelude::*;

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
