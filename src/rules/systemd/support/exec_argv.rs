//! The words of an `Exec*=` command line, split as systemd splits them (quotes, backslash
//! escapes, the `@-:+!|` prefixes), each with its range in the entry's value.

use std::ops::Range;

/// One word of a command line: its unquoted text and where it is in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
    pub range: Range<usize>,
}

/// Splits a command line into words. The special prefixes of the first word are dropped.
/// A `;` word separates several commands on one line in old units; it stays a word.
pub(crate) fn words(value: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = value.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut text = String::new();
        let mut end = start;
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = chars.peek() {
            match quote {
                None if c.is_whitespace() => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                Some(q) if c == q => quote = None,
                _ if c == '\\' => {
                    chars.next();
                    end = i + c.len_utf8();
                    if let Some(&(j, next)) = chars.peek() {
                        text.push(next);
                        end = j + next.len_utf8();
                        chars.next();
                    }
                    continue;
                }
                _ => text.push(c),
            }
            end = i + c.len_utf8();
            chars.next();
        }
        out.push(Word {
            text,
            range: start..end,
        });
    }
    if let Some(first) = out.first_mut() {
        let stripped = first
            .text
            .trim_start_matches(['@', '-', ':', '+', '!', '|']);
        let cut = first.text.len() - stripped.len();
        first.text = stripped.to_string();
        first.range.start += cut;
    }
    out
}

/// The program's base name (`/usr/bin/docker` → `docker`).
pub(crate) fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(value: &str) -> Vec<String> {
        words(value).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn splits_quotes_escapes_and_prefixes() {
        assert_eq!(
            texts(r#"-/usr/bin/rclone mount "a b" 'c d' e\ f"#),
            ["/usr/bin/rclone", "mount", "a b", "c d", "e f"]
        );
        assert_eq!(texts("  "), Vec::<String>::new());
        let w = words("@+/bin/x y");
        assert_eq!(w.first().map(|w| w.range.clone()), Some(2..8));
    }
}
