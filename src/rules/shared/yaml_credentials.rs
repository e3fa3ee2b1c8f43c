//! Credential patterns in YAML trees (Kubernetes objects, Kestra flows): every string is
//! scanned, and each match is reported at its exact place in the source.

use crate::formats::yaml::{Node, Value};
use crate::rules::Ctx;
use crate::rules::shared::secrets::{article, credential_message, find_credentials};
use crate::source::{SourceFile, Span};

/// Report the credential patterns (vendor tokens, private keys, URLs with a password) in every
/// string below `root`, outside the
/// values already reported (`claimed`). Each finding names the nearest key (`label` at the top),
/// masks the match and carries `help`.
pub(crate) fn scan_credentials(
    root: &Node,
    label: &str,
    claimed: &[Span],
    help: &'static str,
    cx: &mut Ctx,
) {
    scan_credentials_of(root, label, None, claimed, help, cx);
}

/// [`scan_credentials`], with each message naming `owner` after the key (`` `token` of
/// `Deployment/web` contains a GitHub token ``): a Kubernetes stream holds many objects, and the
/// key alone does not say which one holds the credential.
pub(crate) fn scan_credentials_of(
    root: &Node,
    label: &str,
    owner: Option<&str>,
    claimed: &[Span],
    help: &'static str,
    cx: &mut Ctx,
) {
    let mut stack: Vec<(&Node, &str)> = vec![(root, label)];
    let mut hits: Vec<(Span, String)> = vec![];
    while let Some((node, place)) = stack.pop() {
        match &node.value {
            Value::Map(entries) => {
                for e in entries.iter().rev() {
                    stack.push((&e.value, e.key.as_str().unwrap_or(place)));
                }
            }
            Value::Seq(items) => {
                stack.extend(items.iter().rev().map(|i| (i, place)));
            }
            Value::Scalar(_) => {
                let Some(text) = node.as_str() else { continue };
                if claimed.contains(&node.span) {
                    continue;
                }
                for found in find_credentials(text, cx.options()) {
                    let piece = text.get(found.range.clone()).unwrap_or("");
                    let span = span_in(cx.source(), node, found.range.start, piece);
                    if hits.iter().any(|(s, _)| *s == span) {
                        continue;
                    }
                    // A name that contains the credential would give it away.
                    let owner = owner.filter(|o| !contains_ignoring_case(o, piece));
                    let message = match owner {
                        Some(owner) => format!(
                            "`{place}` of {owner} contains {}{}",
                            article(found.detector),
                            found.detector
                        ),
                        None => credential_message(place, found.detector),
                    };
                    hits.push((span, message));
                }
            }
        }
    }
    for (span, message) in hits {
        cx.report(span, message).help(help).mask(span);
    }
}

/// Whether `text` contains `piece`, ignoring ASCII case; an empty piece is in every text.
fn contains_ignoring_case(text: &str, piece: &str) -> bool {
    text.to_ascii_lowercase()
        .contains(&piece.to_ascii_lowercase())
}

/// The source span of `piece`, found at byte `at` of a scalar's text. Plain one-line scalars
/// are their source; quoted and block scalars are searched for the piece; the whole scalar is
/// the fallback.
fn span_in(source: &SourceFile, node: &Node, at: usize, piece: &str) -> Span {
    let start = node.span.start as usize;
    let written = source.slice(node.span);
    let text = node.as_str().unwrap_or("");
    if written == text {
        return Span::new(start + at, start + at + piece.len());
    }
    match written.find(piece) {
        Some(offset) if !piece.is_empty() => {
            Span::new(start + offset, start + offset + piece.len())
        }
        _ => node.span,
    }
}
