//! `Environment=` values split the way systemd splits them: whitespace-separated words, single
//! or double quotes anywhere in a word, C escapes; each word must be `NAME=value`.

use super::Entry;
use crate::source::{Span, Spanned};

/// One `NAME=value` of an `Environment=` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvAssignment {
    pub name: Spanned<String>,
    /// The value unquoted and unescaped; its span covers it as written.
    pub value: Spanned<String>,
    /// The whole word as written, quotes included.
    pub span: Span,
}

/// A word being read: its text and, for each byte, where it came from in the value.
struct Word {
    text: String,
    origin: Vec<usize>,
    start: usize,
    end: usize,
}

impl Word {
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        self.origin.extend(std::iter::repeat_n(at, c.len_utf8()));
    }
}

/// Split an `Environment=` assignment into its words; words without `=` or with an invalid
/// name are dropped, as systemd ignores them.
pub fn split_environment(entry: &Entry) -> Vec<EnvAssignment> {
    words(&entry.value)
        .into_iter()
        .filter_map(|word| assignment(entry, word))
        .collect()
}

fn assignment(entry: &Entry, word: Word) -> Option<EnvAssignment> {
    let eq = word.text.find('=')?;
    let name = word.text.get(..eq)?;
    let valid = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        return None;
    }
    let origin = |i: usize| word.origin.get(i).copied().unwrap_or(word.end);
    let name_span = entry.source_span(origin(0)..origin(eq.saturating_sub(1)) + 1);
    let value = word.text.get(eq + 1..).unwrap_or("").to_string();
    let value_span = if value.is_empty() {
        let at = origin(eq) + 1;
        entry.source_span(at..at)
    } else {
        entry.source_span(origin(eq + 1)..origin(word.text.len() - 1) + 1)
    };
    Some(EnvAssignment {
        name: Spanned::new(name.to_string(), name_span),
        value: Spanned::new(value, value_span),
        span: entry.source_span(word.start..word.end),
    })
}

fn words(value: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = value.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut word = Word {
            text: String::new(),
            origin: Vec::new(),
            start,
            end: start,
        };
        let mut quote: Option<char> = None;
        while let Some((i, c)) = chars.next() {
            word.end = i + c.len_utf8();
            match (quote, c) {
                (None, c) if c.is_whitespace() => {
                    word.end = i;
                    break;
                }
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (_, '\\') => {
                    if let Some((j, e)) = chars.next() {
                        word.end = j + e.len_utf8();
                        let unescaped = match e {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            's' => ' ',
                            other => other,
                        };
                        word.push(unescaped, j);
                    }
                }
                (_, c) => word.push(c, i),
            }
        }
        out.push(word);
    }
    out
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use crate::formats::systemd::parse_file;

    fn split(line: &str) -> Vec<(String, String, String, String)> {
        let text = format!("[Service]\nEnvironment={line}\n");
        let file = parse_file(&text, 0);
        let entry = &file.sections[0].entries[0];
        super::split_environment(entry)
            .into_iter()
            .map(|a| {
                (
                    a.name.value,
                    a.value.value,
                    text[a.value.span.range()].to_string(),
                    text[a.span.range()].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn quotes_and_several_assignments() {
        let got = split(r#"A=1 "B=two words" C="x y" 'D=it\'s' bad-name=1 noeq E="#);
        let pairs: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|(n, v, s, _)| (n.as_str(), v.as_str(), s.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("A", "1", "1"),
                ("B", "two words", "two words"),
                ("C", "x y", "x y"),
                ("D", "it's", "it\\'s"),
                ("E", "", ""),
            ]
        );
        assert_eq!(got[1].3, "\"B=two words\"");
    }
}
