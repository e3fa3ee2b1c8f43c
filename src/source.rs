//! Source files as the parsers and reporters see them: text, byte spans, and a line index
//! used only when a location has to be shown to a person or a machine.

use std::path::PathBuf;

/// A byte range `[start, end)` into [`SourceFile::text`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// An empty span at `at`.
    pub fn point(at: usize) -> Span {
        Span::new(at, at)
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A value together with the place in the source it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// One file to lint: its display path (relative to the current directory, with `/`), the path
/// to read siblings from, and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown in reports.
    pub name: String,
    /// Path on disk, when the file came from disk.
    pub path: Option<PathBuf>,
    pub text: String,
    line_starts: Vec<u32>,
}

/// 1-based line and column; columns count characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// `offset`, clamped into `text` and moved back to the start of the character it falls in.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceFile {
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, mut text: String) -> SourceFile {
        // A run keeps the texts of the files with findings until it reports: no spare capacity.
        text.shrink_to_fit();
        // An empty text needs no line start (the lookups below answer line 1, column 1 without
        // one), and a run keeps one empty text for every file without findings.
        let mut line_starts = if text.is_empty() {
            Vec::new()
        } else {
            vec![0u32]
        };
        let bytes = text.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            let next = match b {
                b'\n' => Some(i + 1),
                // A lone CR ends a line too; CRLF is handled by the LF.
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
                _ => None,
            };
            if let Some(n) = next {
                line_starts.push(clamp(n));
            }
        }
        line_starts.shrink_to_fit();
        SourceFile {
            name: name.into(),
            path,
            text,
            line_starts,
        }
    }

    /// Number of lines (a final line without newline counts).
    pub fn line_count(&self) -> usize {
        let n = self.line_starts.len();
        if self.text.is_empty() || self.text.ends_with('\n') || self.text.ends_with('\r') {
            n.saturating_sub(1).max(1)
        } else {
            n
        }
    }

    /// Line and column of a byte offset (clamped into the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(clamp(self.text.len()));
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        // The line's start is a boundary, so the floor never moves before it.
        let end = floor_char_boundary(&self.text, offset as usize);
        let column = self.text.get(start..end).map_or(0, |s| s.chars().count()) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte range of a 1-based line, without its line terminator.
    pub fn line_span(&self, line: usize) -> Span {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return Span::point(self.text.len());
        };
        let mut end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e as usize);
        let bytes = self.text.as_bytes();
        while end > start as usize && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Span::new(start as usize, end)
    }

    /// The text of a span, or "" when the span does not fall on character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The directory the file lives in, when it came from disk.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.path.as_deref().and_then(|p| p.parent())
    }
}

/// A span clamped into the text and onto character boundaries, so any consumer can slice it.
pub(crate) fn clamp_span(source: &SourceFile, span: Span) -> Span {
    let text = &source.text;
    let start = floor_char_boundary(text, span.start as usize);
    let mut end = (span.end as usize).clamp(start, text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// Where one file's text lies in the offset space of several files read as one (a systemd unit
/// with its drop-ins, a Terraform module): the files are joined in order with one separator
/// byte between them, so file `i` starts after the files before it and `i` separators.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extent {
    /// Where the file's text starts in the joined text.
    pub base: u32,
    pub len: u32,
}

impl Extent {
    /// The extents of texts joined with one separator byte each, in order.
    pub fn of_joined<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Extent> {
        let mut base = 0u32;
        texts
            .into_iter()
            .map(|text| {
                let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
                let extent = Extent { base, len };
                base = base.saturating_add(len).saturating_add(1);
                extent
            })
            .collect()
    }

    /// Whether a span of the joined text starts in this file (its end included, for a finding
    /// at the very end of the file).
    pub fn contains(&self, span: Span) -> bool {
        self.base <= span.start && span.start <= self.base.saturating_add(self.len)
    }

    /// A span of the joined text as a span of this file, clamped to it.
    pub fn to_local(&self, span: Span) -> Span {
        let start = span.start.saturating_sub(self.base).min(self.len);
        let end = span.end.saturating_sub(self.base).clamp(start, self.len);
        Span { start, end }
    }

    /// The empty span at the file's first byte, in the joined text.
    pub fn start(&self) -> Span {
        Span {
            start: self.base,
            end: self.base,
        }
    }
}

/// Texts joined with one newline between each, the offset space that [`Extent`] describes.
pub fn join_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let texts: Vec<&str> = texts.into_iter().collect();
    texts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extents_map_a_joined_span_back_to_its_file() {
        let texts = ["ab", "", "cdef"];
        let joined = join_texts(texts);
        assert_eq!(joined, "ab\n\ncdef");
        let extents = Extent::of_joined(texts);
        assert_eq!(
            extents,
            [
                Extent { base: 0, len: 2 },
                Extent { base: 3, len: 0 },
                Extent { base: 4, len: 4 }
            ]
        );
        let third = extents.get(2).copied().unwrap_or_default();
        let span = Span { start: 5, end: 7 };
        assert!(third.contains(span));
        assert_eq!(third.to_local(span), Span { start: 1, end: 3 });
        // A span running past the file is clamped to it; one before it is not in it.
        assert_eq!(
            third.to_local(Span { start: 6, end: 20 }),
            Span { start: 2, end: 4 }
        );
        assert!(!third.contains(Span { start: 1, end: 2 }));
        assert_eq!(third.start(), Span { start: 4, end: 4 });
    }

    #[test]
    fn line_col_counts_characters_and_line_endings() {
        let f = SourceFile::new("x", None, "ab\r\nçd\rz\n".to_string());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 2, column: 1 });
        // `ç` is two bytes; `d` is the second character.
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_col(8), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_count(), 3);
        assert_eq!(f.slice(f.line_span(2)), "çd");
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let f = SourceFile::new("x", None, "a\nb".to_string());
        assert_eq!(f.line_col(99), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_count(), 2);
    }

    #[test]
    fn an_empty_text_has_one_empty_line() {
        let f = SourceFile::new("x", None, String::new());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(7), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_count(), 1);
        assert_eq!(f.line_span(1), Span::point(0));
        assert_eq!(f.line_span(2), Span::point(0));
    }
}
