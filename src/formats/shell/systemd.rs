//! The systemd dialect: command lines of `ExecStart=` and the other `Exec*=` settings, split
//! the way systemd splits them (systemd.service(5), "Command lines"; systemd.syntax(7)).

use std::ops::Range;

use super::{Command, Word};
use crate::source::Span;

/// The characters systemd separates words with. Other Unicode spaces belong to words.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The prefixes the first word of a command may carry (`-` ignores the exit status, `@`
/// passes argv[0], `:` skips variable expansion, `+`/`!`/`!!` change privileges, `|` runs a
/// shell): they are not part of the program's path.
const PREFIXES: [char; 6] = ['@', '-', ':', '+', '!', '|'];

pub(super) fn read(
    text: &str,
    range: Range<usize>,
    map: &dyn Fn(Range<usize>) -> Span,
    counter: &mut usize,
) -> Vec<Command> {
    let end = range.end.min(text.len());
    let mut pos = range.start.min(end);
    let mut out = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut extent: Option<Range<usize>> = None;
    let mut finish = |words: &mut Vec<Word>, extent: &mut Option<Range<usize>>| {
        if let Some(first) = words.first_mut() {
            strip_prefixes(first, map);
        }
        if let Some(extent) = extent.take() {
            *counter += 1;
            out.push(Command::new(std::mem::take(words), *counter, extent));
        }
    };
    while let Some(c) = text.get(pos..end).and_then(|r| r.chars().next()) {
        if is_separator(c) {
            pos += c.len_utf8();
            continue;
        }
        let start = pos;
        let (value, after) = word(text, pos, end);
        pos = after;
        // A lone `;` separates commands; `\;` and `";"` are a literal `;` argument.
        if text.get(start..pos) == Some(";") {
            finish(&mut words, &mut extent);
            continue;
        }
        let from = extent.as_ref().map_or(start, |e| e.start);
        extent = Some(from..pos);
        words.push(Word {
            text: value,
            span: map(start..pos),
            range: start..pos,
            nested: Vec::new(),
            whole_substitution: false,
        });
    }
    finish(&mut words, &mut extent);
    out
}

/// Drop the prefixes from the first word of a command, from its value and its range.
fn strip_prefixes(word: &mut Word, map: &dyn Fn(Range<usize>) -> Span) {
    let stripped = word.text.trim_start_matches(PREFIXES);
    let cut = word.text.len() - stripped.len();
    if cut == 0 {
        return;
    }
    word.text = stripped.to_string();
    word.range.start = (word.range.start + cut).min(word.range.end);
    word.span = map(word.range.clone());
}

/// One word from `pos`: its value and the offset after it. Quotes open and close anywhere in a
/// word, and backslash escapes are decoded inside both kinds of quotes, unlike in a POSIX shell.
fn word(text: &str, mut pos: usize, end: usize) -> (String, usize) {
    let mut value = String::new();
    let mut quote: Option<char> = None;
    while let Some(c) = text.get(pos..end).and_then(|r| r.chars().next()) {
        pos += c.len_utf8();
        match (quote, c) {
            (None, c) if is_separator(c) => {
                pos -= c.len_utf8();
                break;
            }
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (_, '\\') => pos = escape(text, pos, end, &mut value),
            (_, c) => value.push(c),
        }
    }
    (value, pos)
}

/// Decode the C-style escape whose backslash ends before `pos`; returns the offset after it.
/// An escape systemd does not know is kept as written, backslash included, as systemd does
/// when it corrects such a line.
fn escape(text: &str, pos: usize, end: usize, value: &mut String) -> usize {
    let rest = text.get(pos..end).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        value.push('\\');
        return pos;
    };
    let simple = match c {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        's' => Some(' '),
        '\\' | '"' | '\'' | ';' => Some(c),
        _ => None,
    };
    if let Some(decoded) = simple {
        value.push(decoded);
        return pos + 1;
    }
    let (skip, digits, radix) = match c {
        'x' => (1, 2, 16),
        'u' => (1, 4, 16),
        'U' => (1, 8, 16),
        '0'..='7' => (0, 3, 8),
        _ => (0, 0, 0),
    };
    let number = rest
        .get(skip..skip + digits)
        .filter(|d| radix > 0 && d.chars().all(|c| c.is_digit(radix)))
        .and_then(|d| u32::from_str_radix(d, radix).ok());
    match number.and_then(char::from_u32) {
        // systemd refuses an escaped NUL; such a text is kept as written.
        Some(decoded) if decoded != '\0' => {
            value.push(decoded);
            pos + skip + digits
        }
        _ => {
            value.push('\\');
            value.push(c);
            pos + c.len_utf8()
        }
    }
}
