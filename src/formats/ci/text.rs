//! Scalar text that knows where each of its bytes was written, so a finding inside a `run:`
//! block or a `script:` line points at the exact characters even in block and quoted scalars.

use std::ops::Range;

use crate::formats::yaml::Node;
use crate::source::Span;

/// How far ahead in the source a character of the text is looked for: farther than any
/// indentation plus line break of a block scalar, near enough not to drift across lines when an
/// escape sequence produced the character.
const WINDOW: usize = 256;

/// A scalar's text (after YAML unescaping and folding) with the source span of any part of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// The text as a YAML reader sees it.
    pub value: String,
    /// The whole scalar as written, quotes and block header included.
    pub span: Span,
    offsets: Offsets,
}

#[derive(Clone, Debug, PartialEq)]
enum Offsets {
    /// The text is written as is, from this source offset.
    Verbatim(u32),
    /// The source offset of every byte of the text; `u32::MAX` where the byte comes from an
    /// escape or a fold and has no single place.
    Mapped(Vec<u32>),
}

impl Text {
    /// The text of a scalar node read from `source` (the whole file). `None` for collections
    /// and nulls.
    pub fn of(node: &Node, source: &str) -> Option<Text> {
        let value = node.as_str()?.to_string();
        let span = node.span;
        let written = source.get(span.range()).unwrap_or("");
        let offsets = if written == value {
            Offsets::Verbatim(span.start)
        } else if written.len() == value.len() + 2
            && written.get(1..written.len() - 1) == Some(value.as_str())
        {
            Offsets::Verbatim(span.start + 1)
        } else {
            Offsets::Mapped(align(&value, written, span.start))
        };
        Some(Text {
            value,
            span,
            offsets,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The source span of a byte range of the text; the whole scalar when the range has no
    /// place of its own (it was produced by escapes only).
    pub fn span_of(&self, range: Range<usize>) -> Span {
        let end = range.end.min(self.value.len());
        let start = range.start.min(end);
        match &self.offsets {
            Offsets::Verbatim(base) => {
                let base = *base as usize;
                Span::new(base + start, base + end)
            }
            Offsets::Mapped(map) => {
                let first = (start..end).find_map(|i| mapped(map, i));
                let last = (start..end).rev().find_map(|i| mapped(map, i));
                match (first, last) {
                    (Some(a), Some(b)) if a <= b => Span::new(a, b + 1),
                    _ => self.span,
                }
            }
        }
    }

    /// The source span of the first occurrence of `needle` in the text.
    pub fn find(&self, needle: &str) -> Option<Span> {
        let at = self.value.find(needle)?;
        Some(self.span_of(at..at + needle.len()))
    }
}

fn mapped(map: &[u32], i: usize) -> Option<usize> {
    map.get(i).filter(|&&o| o != u32::MAX).map(|&o| o as usize)
}

/// Match each character of `value`, in order, to its next occurrence in `written` (which starts
/// at source offset `base`). Block headers (`|`, `>-` and their comment) are skipped first.
fn align(value: &str, written: &str, base: u32) -> Vec<u32> {
    let mut map = vec![u32::MAX; value.len()];
    let mut j = if written.starts_with(['|', '>']) {
        written.find('\n').map_or(written.len(), |n| n + 1)
    } else {
        0
    };
    for (i, ch) in value.char_indices() {
        let mut buf = [0u8; 4];
        let needle = ch.encode_utf8(&mut buf);
        let limit = (j + WINDOW).min(written.len());
        let Some(window) = written.get(j..limit).or_else(|| written.get(j..)) else {
            break;
        };
        let Some(at) = window.find(&*needle) else {
            continue;
        };
        let from = j + at;
        for k in 0..needle.len() {
            if let Some(slot) = map.get_mut(i + k) {
                *slot = u32::try_from(from + k)
                    .ok()
                    .and_then(|o| o.checked_add(base))
                    .unwrap_or(u32::MAX);
            }
        }
        j = from + needle.len();
    }
    map
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;
    use crate::formats::yaml;

    fn texts(source: &str) -> Vec<Text> {
        let stream = yaml::parse(source);
        let root = stream.documents[0].root.clone().unwrap();
        root.pairs()
            .map(|(_, _, v)| Text::of(v, source).unwrap())
            .collect()
    }

    fn piece<'a>(source: &'a str, text: &Text, needle: &str) -> &'a str {
        &source[text.find(needle).unwrap().range()]
    }

    #[test]
    fn plain_quoted_and_block_scalars_map_back() {
        let source = concat!(
            "a: echo ${{ x }}\n",
            "b: \"echo ${{ y }}\"\n",
            "c: |\n  first line\n    echo ${{ z }} done\n  last\n",
            "d: >-\n  folded ${{ w }}\n  text\n",
            "e: 'it''s ${{ v }}'\n",
            "f: \"tab\\there ${{ u }}\"\n",
        );
        let t = texts(source);
        assert_eq!(piece(source, &t[0], "${{ x }}"), "${{ x }}");
        assert_eq!(piece(source, &t[1], "${{ y }}"), "${{ y }}");
        assert_eq!(piece(source, &t[2], "${{ z }}"), "${{ z }}");
        assert_eq!(piece(source, &t[2], "last"), "last");
        assert_eq!(piece(source, &t[3], "${{ w }}"), "${{ w }}");
        assert_eq!(piece(source, &t[4], "${{ v }}"), "${{ v }}");
        assert_eq!(piece(source, &t[5], "${{ u }}"), "${{ u }}");
    }

    #[test]
    fn crlf_blocks_map_back() {
        let source = "run: |\r\n  one\r\n  two ${{ a }}\r\n";
        let t = texts(source);
        assert_eq!(piece(source, &t[0], "${{ a }}"), "${{ a }}");
    }
}
