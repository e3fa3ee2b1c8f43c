//! The POSIX dialect: a hand-written lexer that follows quotes, escapes, line continuations,
//! comments, operators, redirections and substitutions far enough to find the simple commands
//! and their words. It never fails: unclosed quotes and substitutions end at the end of the text.

use std::ops::Range;

use super::{Command, Word, basename, is_c_flag, is_posix_shell, name_index};
use crate::source::Span;

/// Nesting deeper than this (substitutions inside substitutions) is read as plain words.
const MAX_DEPTH: usize = 8;

/// Reads one range of a text into commands.
pub(super) struct Lexer<'a, 'm, 'c> {
    text: &'a str,
    map: &'m dyn Fn(Range<usize>) -> Span,
    pos: usize,
    end: usize,
    counter: &'c mut usize,
    depth: usize,
}

impl<'a, 'm, 'c> Lexer<'a, 'm, 'c> {
    pub(super) fn new(
        text: &'a str,
        range: Range<usize>,
        map: &'m dyn Fn(Range<usize>) -> Span,
        counter: &'c mut usize,
        depth: usize,
    ) -> Self {
        Lexer {
            text,
            map,
            pos: range.start.min(text.len()),
            end: range.end.min(text.len()),
            counter,
            depth,
        }
    }

    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..self.end)?.chars().next()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.text.get(self.pos..self.end)?.chars().nth(ahead)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn rest_starts_with(&self, s: &str) -> bool {
        self.text
            .get(self.pos..self.end)
            .is_some_and(|r| r.starts_with(s))
    }

    pub(super) fn run(mut self) -> Vec<Command> {
        let mut out = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        // Where the tokens of the command being read start and end, redirections included.
        let mut extent: Option<Range<usize>> = None;
        let grow = |extent: &mut Option<Range<usize>>, from: usize, to: usize| {
            let start = extent.as_ref().map_or(from, |e| e.start);
            *extent = Some(start..to);
        };
        *self.counter += 1;
        let mut pipeline = *self.counter;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' => {
                    self.bump();
                }
                '\\' if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '|' | '&' | ';' | '\n' | '(' | ')' => {
                    let from = self.pos;
                    self.bump();
                    let pipe = c == '|' && self.peek() != Some('|');
                    if c == '|' && matches!(self.peek(), Some('|' | '&')) {
                        self.bump();
                    }
                    if c == '&' && matches!(self.peek(), Some('&' | '>')) {
                        if self.peek() == Some('>') {
                            // `&>file`: a redirection, not a separator.
                            self.bump();
                            self.skip_redirect_target();
                            grow(&mut extent, from, self.pos);
                            continue;
                        }
                        self.bump();
                    }
                    if c == ';' && self.peek() == Some(';') {
                        self.bump();
                    }
                    let range = extent.take().unwrap_or(from..from);
                    if !words.is_empty() {
                        out.push(self.command(std::mem::take(&mut words), pipeline, range));
                    }
                    if !pipe {
                        *self.counter += 1;
                        pipeline = *self.counter;
                    }
                }
                '<' | '>' if self.peek_at(1) == Some('(') => {
                    let from = self.pos;
                    words.push(self.word());
                    grow(&mut extent, from, self.pos);
                }
                '<' | '>' => {
                    let from = self.pos;
                    self.redirect();
                    grow(&mut extent, from, self.pos);
                }
                _ => {
                    let from = self.pos;
                    let word = self.word();
                    grow(&mut extent, from, self.pos);
                    let fd = !word.text.is_empty() && word.text.chars().all(|c| c.is_ascii_digit());
                    if fd && matches!(self.peek(), Some('<' | '>')) {
                        // `2>&1`: the digits belong to the redirection.
                        continue;
                    }
                    words.push(word);
                }
            }
        }
        if !words.is_empty() {
            let range = extent.unwrap_or(self.pos..self.pos);
            out.push(self.command(words, pipeline, range));
        }
        out
    }

    /// A redirection operator and its target, both dropped.
    fn redirect(&mut self) {
        let heredoc = self.rest_starts_with("<<") && !self.rest_starts_with("<<<");
        while matches!(self.peek(), Some('<' | '>' | '&' | '|')) {
            self.bump();
        }
        if heredoc && self.peek() == Some('-') {
            self.bump();
        }
        self.skip_redirect_target();
    }

    fn skip_redirect_target(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
        if self
            .peek()
            .is_some_and(|c| !matches!(c, '\n' | ';' | '|' | '&' | '(' | ')'))
        {
            self.word();
        }
    }

    /// Complete a command; the script of `sh -c '…'` is read into that word's `nested`.
    fn command(&mut self, mut words: Vec<Word>, pipeline: usize, extent: Range<usize>) -> Command {
        let name_at = name_index(&words);
        let is_shell = name_at
            .and_then(|i| words.get(i))
            .is_some_and(|w| is_posix_shell(basename(&w.text)));
        if is_shell && self.depth < MAX_DEPTH {
            let start = name_at.map_or(0, |i| i + 1);
            let flag = words
                .iter()
                .skip(start)
                .position(|w| is_c_flag(&w.text))
                .map(|p| p + start);
            if let Some(script) = flag.and_then(|f| words.get_mut(f + 1)) {
                if !script.whole_substitution && script.nested.is_empty() {
                    if let Some(range) = self.unquoted_range(script.range.clone()) {
                        script.nested =
                            Lexer::new(self.text, range, self.map, self.counter, self.depth + 1)
                                .run();
                    }
                }
            }
        }
        Command {
            words,
            name_at,
            pipeline,
            extent,
        }
    }

    /// The text range inside a word's quotes.
    fn unquoted_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        let raw = self.text.get(range.clone())?;
        let quoted = raw.len() >= 2
            && ((raw.starts_with('"') && raw.ends_with('"'))
                || (raw.starts_with('\'') && raw.ends_with('\'')));
        Some(if quoted {
            range.start + 1..range.end - 1
        } else {
            range
        })
    }

    /// One word, quotes and substitutions included.
    fn word(&mut self) -> Word {
        let start = self.pos;
        let mut text = String::new();
        let mut nested = Vec::new();
        let mut substitutions = 0;
        let mut plain = false;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | ')' => break,
                '(' if self.pos == start => break,
                '<' | '>' if !(self.pos == start && self.peek_at(1) == Some('(')) => break,
                '<' | '>' => {
                    self.bump();
                    let inner = self.substitution(&mut text, &mut nested);
                    substitutions += inner;
                }
                '\'' => {
                    self.bump();
                    while let Some(q) = self.bump() {
                        if q == '\'' {
                            break;
                        }
                        text.push(q);
                        plain = true;
                    }
                }
                '"' => {
                    self.bump();
                    while let Some(q) = self.peek() {
                        match q {
                            '"' => {
                                self.bump();
                                break;
                            }
                            '\\' => {
                                self.bump();
                                if let Some(e) = self.bump() {
                                    if !matches!(e, '"' | '\\' | '$' | '`' | '\n') {
                                        text.push('\\');
                                    }
                                    if e != '\n' {
                                        text.push(e);
                                    }
                                    plain = true;
                                }
                            }
                            '$' if self.peek_at(1) == Some('(') => {
                                substitutions += self.substitution(&mut text, &mut nested);
                            }
                            '`' => {
                                substitutions += self.backticks(&mut text, &mut nested);
                            }
                            _ => {
                                self.bump();
                                text.push(q);
                                plain = true;
                            }
                        }
                    }
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(e) => {
                            text.push(e);
                            plain = true;
                        }
                    }
                }
                '$' if self.peek_at(1) == Some('(') => {
                    substitutions += self.substitution(&mut text, &mut nested);
                }
                '$' if self.peek_at(1) == Some('{') => {
                    let from = self.pos;
                    // `skip_balanced` starts after the opening brace.
                    self.bump();
                    self.bump();
                    self.skip_balanced('{', '}');
                    text.push_str(self.text.get(from..self.pos).unwrap_or(""));
                    plain = true;
                }
                '`' => {
                    substitutions += self.backticks(&mut text, &mut nested);
                }
                _ => {
                    self.bump();
                    text.push(c);
                    plain = true;
                }
            }
        }
        Word {
            text,
            span: (self.map)(start..self.pos),
            range: start..self.pos,
            nested,
            whole_substitution: substitutions == 1 && !plain,
        }
    }

    /// `$(…)`, `<(…)` or `>(…)` at the cursor (the `$`/`<`/`>` already bumped for the latter
    /// two when called from the word reader). Arithmetic `$((…))` runs nothing.
    fn substitution(&mut self, text: &mut String, nested: &mut Vec<Command>) -> usize {
        let from = if self.peek() == Some('$') {
            self.bump();
            self.pos - 1
        } else {
            self.pos.saturating_sub(1)
        };
        let arithmetic = self.peek_at(1) == Some('(');
        self.bump();
        let inner_start = self.pos;
        self.skip_balanced('(', ')');
        let inner_end = if self.text.get(..self.pos).is_some_and(|t| t.ends_with(')')) {
            self.pos - 1
        } else {
            self.pos
        };
        text.push_str(self.text.get(from..self.pos).unwrap_or(""));
        if arithmetic {
            return 0;
        }
        if self.depth < MAX_DEPTH {
            nested.extend(self.inner(inner_start..inner_end));
        }
        1
    }

    fn backticks(&mut self, text: &mut String, nested: &mut Vec<Command>) -> usize {
        let from = self.pos;
        self.bump();
        let inner_start = self.pos;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '`' => break,
                _ => {}
            }
        }
        let inner_end = if self.text.get(..self.pos).is_some_and(|t| t.ends_with('`'))
            && self.pos > inner_start
        {
            self.pos - 1
        } else {
            self.pos
        };
        text.push_str(self.text.get(from..self.pos).unwrap_or(""));
        if self.depth < MAX_DEPTH {
            nested.extend(self.inner(inner_start..inner_end));
        }
        1
    }

    /// The commands of a substitution's text.
    fn inner(&mut self, range: Range<usize>) -> Vec<Command> {
        Lexer::new(self.text, range, self.map, self.counter, self.depth + 1).run()
    }

    /// Move past the `close` that balances the `open` just consumed, minding quotes.
    fn skip_balanced(&mut self, open: char, close: char) {
        let mut depth = 1;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '\'' => while self.bump().is_some_and(|q| q != '\'') {},
                '"' => {
                    while let Some(q) = self.bump() {
                        if q == '\\' {
                            self.bump();
                        } else if q == '"' {
                            break;
                        }
                    }
                }
                _ if c == open => depth += 1,
                _ if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}
