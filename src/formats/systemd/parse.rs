//! The unit-file reader: logical lines (backslash continuations joined, comment lines skipped
//! even inside a continuation, as systemd does), then `[Section]` headers and `Key=Value`.

use super::{Entry, Piece, Section, UnitFile};
use crate::formats::ParseError;
use crate::source::{Span, Spanned};

/// One logical line: its text with each continuation's backslash turned into a space, and
/// where each piece of it sits in the source.
struct Logical {
    text: String,
    pieces: Vec<Piece>,
}

impl Logical {
    /// The source offset of a byte of the logical text (the end of the text maps to the end of
    /// the last piece).
    fn offset(&self, at: usize) -> u32 {
        piece_offset(&self.pieces, at)
    }
}

pub(super) fn piece_offset(pieces: &[Piece], at: usize) -> u32 {
    let at = u32::try_from(at).unwrap_or(u32::MAX);
    let mut last = 0;
    for piece in pieces {
        if at < piece.at + piece.len {
            return piece.source + at.saturating_sub(piece.at);
        }
        last = piece.source + piece.len;
    }
    last
}

/// Whether a line (without its newline) ends in a backslash that is not itself escaped.
fn continues(line: &str) -> bool {
    line.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

fn is_comment(line: &str) -> bool {
    matches!(line.trim_start().as_bytes().first(), Some(b'#' | b';'))
}

/// The lines of a text with their terminators: `\n`, `\r\n` or a lone `\r`, which systemd also
/// reads as the end of a line.
fn raw_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\n', '\r']).map_or(rest.len(), |at| {
            if rest.get(at..at + 2) == Some("\r\n") {
                at + 2
            } else {
                at + 1
            }
        });
        let (line, tail) = rest.split_at_checked(end)?;
        rest = tail;
        Some(line)
    })
}

fn logical_lines(text: &str, base: u32) -> Vec<Logical> {
    let mut out = Vec::new();
    let mut current: Option<Logical> = None;
    let mut offset = 0usize;
    for raw in raw_lines(text) {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix(['\n', '\r']).unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if is_comment(line) || (current.is_none() && line.trim().is_empty()) {
            continue;
        }
        let logical = current.get_or_insert_with(|| Logical {
            text: String::new(),
            pieces: Vec::new(),
        });
        let at = u32::try_from(logical.text.len()).unwrap_or(u32::MAX);
        let source = base + u32::try_from(start).unwrap_or(u32::MAX);
        logical.pieces.push(Piece {
            at,
            source,
            len: u32::try_from(line.len()).unwrap_or(u32::MAX),
        });
        if continues(line) {
            let body = line.get(..line.len() - 1).unwrap_or("");
            logical.text.push_str(body);
            logical.text.push(' ');
        } else {
            logical.text.push_str(line);
            if let Some(done) = current.take() {
                out.push(done);
            }
        }
    }
    if let Some(done) = current {
        out.push(done);
    }
    out
}

/// Parse one unit file or drop-in whose text starts at `base` in the unit's offset space.
pub fn parse_file(text: &str, base: u32) -> UnitFile {
    let mut file = UnitFile::default();
    for line in logical_lines(text, base) {
        let lead = line.text.len() - line.text.trim_start().len();
        let trimmed = line.text.trim();
        if trimmed.is_empty() {
            // Only continuations and blanks (a lone `\` at the end of the file): an empty line.
            continue;
        }
        let end = lead + trimmed.len();
        let span = Span {
            start: line.offset(lead),
            end: line.offset(end.saturating_sub(1)) + u32::from(end > lead),
        };
        if trimmed.starts_with('[') {
            let Some(name) = trimmed
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .filter(|n| !n.is_empty() && !n.contains(['[', ']']))
            else {
                file.errors.push(ParseError {
                    span,
                    message: format!("invalid section header `{trimmed}`"),
                });
                continue;
            };
            file.sections.push(Section {
                name: Spanned::new(
                    name.to_string(),
                    Span {
                        start: line.offset(lead + 1),
                        end: line.offset(end - 1),
                    },
                ),
                header: span,
                entries: Vec::new(),
            });
            continue;
        }
        let Some(eq) = trimmed.find('=') else {
            file.errors.push(ParseError {
                span,
                message: "expected `Key=Value`, a `[Section]` header or a comment".into(),
            });
            continue;
        };
        let key = trimmed.get(..eq).unwrap_or("").trim_end();
        if key.is_empty() || key.contains(char::is_whitespace) {
            file.errors.push(ParseError {
                span,
                message: format!("invalid key `{key}` before `=`"),
            });
            continue;
        }
        let Some(section) = file.sections.last_mut() else {
            file.errors.push(ParseError {
                span,
                message: format!("`{key}=` is outside of any `[Section]`"),
            });
            continue;
        };
        let after = trimmed.get(eq + 1..).unwrap_or("");
        let value = after.trim();
        let value_start = lead + eq + 1 + (after.len() - after.trim_start().len());
        let value_end = value_start + value.len();
        let pieces = value_pieces(&line, value_start, value_end);
        let value_span = Span {
            start: line.offset(value_start),
            end: if value.is_empty() {
                line.offset(value_start)
            } else {
                line.offset(value_end - 1) + 1
            },
        };
        section.entries.push(Entry {
            key: Spanned::new(
                key.to_string(),
                Span {
                    start: line.offset(lead),
                    end: line.offset(lead + key.len() - 1) + 1,
                },
            ),
            value: value.to_string(),
            span: span.cover(value_span),
            value_span,
            pieces,
        });
    }
    file
}

/// The pieces of a logical line that make up `[start, end)` of its text, made relative to
/// `start`.
fn value_pieces(line: &Logical, start: usize, end: usize) -> Vec<Piece> {
    let (start, end) = (
        u32::try_from(start).unwrap_or(u32::MAX),
        u32::try_from(end).unwrap_or(u32::MAX),
    );
    line.pieces
        .iter()
        .filter_map(|p| {
            // Each piece covers its line plus the continuation space.
            let from = p.at.max(start);
            let to = (p.at + p.len).min(end);
            (from < to).then(|| Piece {
                at: from - start,
                source: p.source + (from - p.at),
                len: to - from,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    #[test]
    fn sections_keys_and_continuations() {
        let text = "# c\n[Unit]\nDescription = web app \n; x\n[Service]\nExecStart=/bin/app \\\n# inside\n  --flag\nUser=\n";
        let file = parse_file(text, 0);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.sections.len(), 2);
        let unit = &file.sections[0];
        assert_eq!(unit.name.value, "Unit");
        assert_eq!(&text[unit.name.span.range()], "Unit");
        let d = &unit.entries[0];
        assert_eq!(d.value, "web app");
        assert_eq!(&text[d.value_span.range()], "web app");
        let exec = &file.sections[1].entries[0];
        assert_eq!(exec.value, "/bin/app    --flag");
        assert_eq!(&text[exec.source_span(12..18).range()], "--flag");
        assert_eq!(&text[exec.source_span(0..8).range()], "/bin/app");
        let user = &file.sections[1].entries[1];
        assert_eq!(user.value, "");
        assert_eq!(&text[user.span.range()], "User=");
    }

    #[test]
    fn errors_are_collected() {
        let file = parse_file("Key=v\n[Unit\n[Service]\nnot an assignment\n=x\n", 10);
        assert_eq!(file.errors.len(), 4, "{:?}", file.errors);
        assert_eq!(file.errors[0].span, Span { start: 10, end: 15 });
    }
}
