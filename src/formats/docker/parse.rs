//! A hand-written Dockerfile parser following BuildKit's rules: parser directives, escape
//! character, continuations with comment and blank lines inside, heredocs, exec (JSON) form,
//! flags and ONBUILD triggers. Every piece keeps its byte span in the source.

use super::{Args, Directive, Dockerfile, Flag, Heredoc, Instruction, Kind, Stage, Word, map_span};
use crate::formats::ParseError;
use crate::source::{Span, Spanned};

/// Parse a Dockerfile. Never fails: problems are collected in [`Dockerfile::errors`] and parsing
/// resumes at the next instruction.
pub fn parse(text: &str) -> Dockerfile {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let lines = split_lines(text, start);
    let mut p = Parser {
        text,
        lines,
        escape: '\\',
        out: Dockerfile {
            escape: '\\',
            ..Dockerfile::default()
        },
    };
    let first = p.directives();
    p.instructions(first);
    p.stages();
    if p.out.instructions.is_empty() && p.out.errors.is_empty() {
        p.error(Span::point(start), "the file has no instructions".into());
    }
    cap_errors(&mut p.out.errors);
    p.out
}

/// At most this many parse errors are kept per file; a file that is not a Dockerfile at all
/// (a template, say) would otherwise bury everything else.
const MAX_ERRORS: usize = 5;

fn cap_errors(errors: &mut Vec<ParseError>) {
    if errors.len() <= MAX_ERRORS {
        return;
    }
    let more = errors.len() - MAX_ERRORS;
    let span = errors.get(MAX_ERRORS).map_or(Span::default(), |e| e.span);
    errors.truncate(MAX_ERRORS);
    errors.push(ParseError {
        span,
        message: format!("{more} more parse errors in this file are not shown"),
    });
}

/// A physical line: `start..end` is its content without the line terminator.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
}

fn split_lines(text: &str, from: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = from;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        if b == b'\n' {
            let end = if i > start && bytes.get(i - 1) == Some(&b'\r') {
                i - 1
            } else {
                i
            };
            lines.push(Line { start, end });
            start = i + 1;
        }
    }
    if start < text.len() {
        let end = if text.ends_with('\r') {
            text.len() - 1
        } else {
            text.len()
        };
        lines.push(Line { start, end });
    }
    lines
}

/// Text assembled from pieces of the source, with the way back to the source.
#[derive(Clone, Debug, Default)]
struct Logical {
    text: String,
    /// (offset in `text`, offset in source), one entry per piece, ascending.
    map: Vec<(u32, u32)>,
}

impl Logical {
    fn push(&mut self, piece: &str, source_at: usize) {
        if piece.is_empty() {
            return;
        }
        self.map.push((to_u32(self.text.len()), to_u32(source_at)));
        self.text.push_str(piece);
    }

    fn span(&self, range: std::ops::Range<usize>) -> Span {
        map_span(&self.map, self.text.len(), range)
    }

    /// The sub-text `range`, with its own map.
    fn slice(&self, range: std::ops::Range<usize>) -> Logical {
        let Some(text) = self.text.get(range.clone()) else {
            return Logical::default();
        };
        let mut map = vec![(0, self.span(range.clone()).start)];
        for &(text_at, source_at) in &self.map {
            let text_at = text_at as usize;
            if text_at > range.start && text_at < range.end {
                map.push((to_u32(text_at - range.start), source_at));
            }
        }
        Logical {
            text: text.to_string(),
            map,
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Parser<'t> {
    text: &'t str,
    lines: Vec<Line>,
    escape: char,
    out: Dockerfile,
}

impl<'t> Parser<'t> {
    fn line(&self, i: usize) -> &'t str {
        self.lines
            .get(i)
            .and_then(|l| self.text.get(l.start..l.end))
            .unwrap_or("")
    }

    fn error(&mut self, span: Span, message: String) {
        self.out.errors.push(ParseError { span, message });
    }

    /// Read the parser directives at the top of the file; returns the first line after them.
    fn directives(&mut self) -> usize {
        let mut i = 0;
        while i < self.lines.len() {
            let Some(line) = self.lines.get(i).copied() else {
                break;
            };
            let Some((name, value)) = directive(self.line(i), line.start) else {
                break;
            };
            let lower = name.value.to_ascii_lowercase();
            if !matches!(lower.as_str(), "syntax" | "escape" | "check") {
                // An unknown directive is a comment, and ends the directive block.
                break;
            }
            if self.out.directives.iter().any(|d| d.name.value == lower) {
                self.error(
                    name.span,
                    format!("parser directive `{lower}` is set more than once"),
                );
                break;
            }
            if lower == "escape" {
                match value.value.as_str() {
                    "\\" => self.escape = '\\',
                    "`" => self.escape = '`',
                    other => self.error(
                        value.span,
                        format!("invalid escape character `{other}`: use `\\` or a backtick"),
                    ),
                }
                self.out.escape = self.escape;
            }
            self.out.directives.push(Directive {
                name: Spanned::new(lower, name.span),
                value,
            });
            i += 1;
        }
        i
    }

    fn instructions(&mut self, mut i: usize) {
        while i < self.lines.len() {
            let trimmed = self.line(i).trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                i += 1;
                continue;
            }
            let (logical, next) = self.logical_line(i);
            i = next;
            if let Some(instr) = self.instruction(&logical, &mut i, 0) {
                self.out.instructions.push(instr);
            }
        }
    }

    /// Join line `i` with its continuation lines. Returns the text and the next line index.
    fn logical_line(&self, mut i: usize) -> (Logical, usize) {
        let mut logical = Logical::default();
        let mut first = true;
        while let Some(line) = self.lines.get(i).copied() {
            let content = self.line(i);
            i += 1;
            if !first {
                let trimmed = content.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
            }
            let (content, offset) = if first {
                let lead = content.len() - content.trim_start().len();
                (content.get(lead..).unwrap_or(""), line.start + lead)
            } else {
                (content, line.start)
            };
            first = false;
            match continuation(content, self.escape) {
                Some(cut) => logical.push(content.get(..cut).unwrap_or(""), offset),
                None => {
                    logical.push(content, offset);
                    return (logical, i);
                }
            }
        }
        (logical, i)
    }

    /// Parse one instruction from a logical line. Heredoc bodies are read from line `*next`
    /// onward, which advances past them. `depth` is 1 inside ONBUILD and HEALTHCHECK CMD.
    fn instruction(
        &mut self,
        logical: &Logical,
        next: &mut usize,
        depth: u8,
    ) -> Option<Instruction> {
        let text = logical.text.as_str();
        let kw_end = text.find(|c: char| c.is_whitespace()).unwrap_or(text.len());
        let keyword_text = text.get(..kw_end).unwrap_or("");
        let keyword = Spanned::new(keyword_text.to_string(), logical.span(0..kw_end));
        let Some(kind) = Kind::from_keyword(keyword_text) else {
            self.error(
                keyword.span,
                format!(
                    "unknown instruction `{}`",
                    keyword_text.to_ascii_uppercase()
                ),
            );
            return None;
        };
        let mut pos = skip_ws(text, kw_end);
        let mut flags = Vec::new();
        if kind.takes_flags() {
            while text.get(pos..).is_some_and(|r| r.starts_with("--")) {
                let end = word_end(text, pos, self.escape);
                flags.push(self.flag(logical, pos..end));
                pos = skip_ws(text, end);
            }
        }
        let end = text.trim_end().len().max(pos);
        let args = self.args(&logical.slice(pos..end));
        let mut instr = Instruction {
            kind,
            span: logical.span(0..text.trim_end().len()),
            keyword,
            flags,
            args,
            heredocs: Vec::new(),
            trigger: None,
        };
        match kind {
            Kind::Onbuild => self.onbuild(&mut instr, logical, pos..end, next, depth),
            Kind::Healthcheck => self.healthcheck(&mut instr, logical, pos..end, next, depth),
            Kind::From => self.check_from(&instr),
            _ => {}
        }
        if kind.takes_heredocs() && instr.args.json.is_none() {
            self.heredocs(&mut instr, next);
        }
        if instr.args.text.is_empty() && !matches!(kind, Kind::Healthcheck | Kind::Onbuild) {
            let name = kind_name(kind);
            self.error(instr.keyword.span, format!("`{name}` needs arguments"));
        }
        Some(instr)
    }

    fn flag(&self, logical: &Logical, range: std::ops::Range<usize>) -> Flag {
        let raw = logical.text.get(range.clone()).unwrap_or("");
        let body_start = range.start + 2;
        let (name_end, value) = match raw.find('=') {
            Some(eq) => {
                let value_range = range.start + eq + 1..range.end;
                let value_raw = logical.text.get(value_range.clone()).unwrap_or("");
                (
                    range.start + eq,
                    Some(Spanned::new(
                        unquote(value_raw, self.escape),
                        logical.span(value_range),
                    )),
                )
            }
            None => (range.end, None),
        };
        let name = logical
            .text
            .get(body_start..name_end)
            .unwrap_or("")
            .to_ascii_lowercase();
        Flag {
            name: Spanned::new(name, logical.span(body_start..name_end)),
            value,
            span: logical.span(range),
        }
    }

    fn args(&self, logical: &Logical) -> Args {
        let text = logical.text.as_str();
        let json = if text.starts_with('[') {
            parse_json_array(text).map(|elements| {
                elements
                    .into_iter()
                    .map(|(value, range)| Spanned::new(value, logical.span(range)))
                    .collect()
            })
        } else {
            None
        };
        let words = split_words(text, self.escape)
            .into_iter()
            .map(|range| {
                let raw = text.get(range.clone()).unwrap_or("");
                Word {
                    raw: raw.to_string(),
                    value: unquote(raw, self.escape),
                    span: logical.span(range.clone()),
                    text_range: range,
                }
            })
            .collect();
        Args {
            text: logical.text.clone(),
            span: logical.span(0..text.len()),
            json,
            words,
            escape: self.escape,
            map: logical.map.clone(),
        }
    }

    fn onbuild(
        &mut self,
        instr: &mut Instruction,
        logical: &Logical,
        range: std::ops::Range<usize>,
        next: &mut usize,
        depth: u8,
    ) {
        if range.is_empty() {
            self.error(instr.keyword.span, "`ONBUILD` needs an instruction".into());
            return;
        }
        if depth > 0 {
            self.error(instr.keyword.span, "`ONBUILD` cannot be nested".into());
            return;
        }
        let inner = logical.slice(range);
        let Some(trigger) = self.instruction(&inner, next, depth + 1) else {
            return;
        };
        if matches!(trigger.kind, Kind::Onbuild | Kind::From | Kind::Maintainer) {
            let name = kind_name(trigger.kind);
            self.error(
                trigger.keyword.span,
                format!("`{name}` is not allowed as an ONBUILD trigger"),
            );
        }
        instr.heredocs = trigger.heredocs.clone();
        if let Some(end) = trigger.heredocs.last().map(|h| h.body.span.end) {
            instr.span = instr.span.cover(Span::new(end as usize, end as usize));
        }
        instr.trigger = Some(Box::new(trigger));
    }

    fn healthcheck(
        &mut self,
        instr: &mut Instruction,
        logical: &Logical,
        range: std::ops::Range<usize>,
        next: &mut usize,
        depth: u8,
    ) {
        let Some(first) = instr.args.words.first() else {
            self.error(
                instr.keyword.span,
                "`HEALTHCHECK` needs `NONE` or `CMD <command>`".into(),
            );
            return;
        };
        if first.value.eq_ignore_ascii_case("NONE") {
            if instr.args.words.len() > 1 {
                self.error(
                    instr.args.span,
                    "`HEALTHCHECK NONE` takes no arguments".into(),
                );
            }
            return;
        }
        if !first.value.eq_ignore_ascii_case("CMD") || depth > 0 {
            self.error(
                first.span,
                format!(
                    "`HEALTHCHECK` expects `NONE` or `CMD`, found `{}`",
                    first.value
                ),
            );
            return;
        }
        // The command after `CMD` is parsed as a CMD instruction of its own.
        let cmd_start = range.start + first.text_range.start;
        let inner = logical.slice(cmd_start..range.end);
        if let Some(cmd) = self.instruction(&inner, next, depth + 1) {
            instr.trigger = Some(Box::new(cmd));
        }
    }

    fn check_from(&mut self, instr: &Instruction) {
        let words = &instr.args.words;
        let ok = match words.len() {
            1 => true,
            3 => words
                .get(1)
                .is_some_and(|w| w.value.eq_ignore_ascii_case("AS")),
            _ => false,
        };
        if !ok && !words.is_empty() {
            self.error(
                instr.args.span,
                "`FROM` takes an image and an optional `AS <name>`".into(),
            );
        }
    }

    /// Find heredoc openers among the words and read their bodies from line `*next` on.
    fn heredocs(&mut self, instr: &mut Instruction, next: &mut usize) {
        for (index, word) in instr.args.words.iter().enumerate() {
            let Some((fd, strip_tabs, name, quoted)) = heredoc_opener(&word.raw) else {
                continue;
            };
            let body_start = self.lines.get(*next).map_or(self.text.len(), |l| l.start);
            let mut body_end = None;
            while let Some(line) = self.lines.get(*next).copied() {
                let content = self.line(*next);
                *next += 1;
                let candidate = if strip_tabs {
                    content.trim_start_matches('\t')
                } else {
                    content
                };
                if candidate == name {
                    body_end = Some((line.start, line.end));
                    break;
                }
            }
            let (end, instr_end) = match body_end {
                Some((end, line_end)) => (end, line_end),
                None => {
                    self.error(
                        word.span,
                        format!("heredoc `{name}` is not terminated: add a line `{name}`"),
                    );
                    (self.text.len(), self.text.len())
                }
            };
            let body = self.text.get(body_start..end).unwrap_or("").to_string();
            instr.heredocs.push(Heredoc {
                delimiter: Spanned::new(name, word.span),
                strip_tabs,
                quoted,
                fd,
                word: index,
                body: Spanned::new(body, Span::new(body_start, end)),
            });
            instr.span = instr.span.cover(Span::new(instr_end, instr_end));
            if body_end.is_none() {
                return;
            }
        }
    }

    /// Group instructions into stages and check what may come before the first FROM.
    fn stages(&mut self) {
        let mut stages: Vec<Stage> = Vec::new();
        let mut errors = Vec::new();
        for (i, instr) in self.out.instructions.iter().enumerate() {
            if instr.kind == Kind::From {
                if let Some(last) = stages.last_mut() {
                    last.body.end = i;
                }
                let words = &instr.args.words;
                let image = words.first().map_or_else(
                    || Spanned::new(String::new(), instr.args.span),
                    |w| Spanned::new(w.value.clone(), w.span),
                );
                let alias = match (words.get(1), words.get(2)) {
                    (Some(as_kw), Some(name)) if as_kw.value.eq_ignore_ascii_case("AS") => {
                        Some(Spanned::new(name.value.clone(), name.span))
                    }
                    _ => None,
                };
                stages.push(Stage {
                    index: stages.len(),
                    from: i,
                    image,
                    alias,
                    body: i + 1..i + 1,
                });
            } else if stages.is_empty() && instr.kind != Kind::Arg {
                let name = kind_name(instr.kind);
                errors.push(ParseError {
                    span: instr.keyword.span,
                    message: format!("`{name}` comes before the first `FROM`"),
                });
            }
        }
        if let Some(last) = stages.last_mut() {
            last.body.end = self.out.instructions.len();
        }
        if stages.is_empty()
            && let Some(first) = self.out.instructions.first()
        {
            errors.push(ParseError {
                span: first.keyword.span,
                message: "the file has no `FROM` instruction".into(),
            });
        }
        self.out.errors.extend(errors);
        self.out.stages = stages;
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Add => "ADD",
        Kind::Arg => "ARG",
        Kind::Cmd => "CMD",
        Kind::Copy => "COPY",
        Kind::Entrypoint => "ENTRYPOINT",
        Kind::Env => "ENV",
        Kind::Expose => "EXPOSE",
        Kind::From => "FROM",
        Kind::Healthcheck => "HEALTHCHECK",
        Kind::Label => "LABEL",
        Kind::Maintainer => "MAINTAINER",
        Kind::Onbuild => "ONBUILD",
        Kind::Run => "RUN",
        Kind::Shell => "SHELL",
        Kind::Stopsignal => "STOPSIGNAL",
        Kind::User => "USER",
        Kind::Volume => "VOLUME",
        Kind::Workdir => "WORKDIR",
    }
}

/// `# name=value` at the top of the file.
fn directive(line: &str, line_start: usize) -> Option<(Spanned<String>, Spanned<String>)> {
    let lead = line.len() - line.trim_start().len();
    let rest = line.get(lead..)?.strip_prefix('#')?;
    let name_start = lead + 1 + (rest.len() - rest.trim_start().len());
    let after = line.get(name_start..)?;
    let name_len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after.len());
    if name_len == 0 {
        return None;
    }
    let after_name = after.get(name_len..)?;
    let eq_rest = after_name.trim_start().strip_prefix('=')?;
    let value = eq_rest.trim();
    let value_start = line.len() - eq_rest.len() + (eq_rest.len() - eq_rest.trim_start().len());
    let name = Spanned::new(
        after.get(..name_len)?.to_string(),
        Span::new(line_start + name_start, line_start + name_start + name_len),
    );
    let value = Spanned::new(
        value.to_string(),
        Span::new(
            line_start + value_start,
            line_start + value_start + value.len(),
        ),
    );
    Some((name, value))
}

/// When `content` ends with the escape character (and optional blanks), the length to keep.
fn continuation(content: &str, escape: char) -> Option<usize> {
    let trimmed = content.trim_end_matches([' ', '\t']);
    trimmed.strip_suffix(escape).map(str::len)
}

fn skip_ws(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or("");
    from + (rest.len() - rest.trim_start().len())
}

/// End of the word starting at `from`: whitespace ends it outside quotes.
fn word_end(text: &str, from: usize, escape: char) -> usize {
    let mut quote: Option<char> = None;
    let mut chars = text.get(from..).unwrap_or("").char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('\'') => {}
            Some(q) if c == q => quote = None,
            _ if c == escape => {
                chars.next();
            }
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() => return from + i,
            None => {}
        }
    }
    text.len()
}

/// Byte ranges of the whitespace-separated words of `text`, quotes respected.
fn split_words(text: &str, escape: char) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut pos = skip_ws(text, 0);
    while pos < text.len() {
        let end = word_end(text, pos, escape);
        if end <= pos {
            break;
        }
        out.push(pos..end);
        pos = skip_ws(text, end);
    }
    out
}

/// Remove quotes and escapes from a word, as the Dockerfile frontend does for ENV, ARG,
/// LABEL values and flags. Variables are left as written.
pub(crate) fn unquote(raw: &str, escape: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote: Option<char> = None;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                } else {
                    out.push(c);
                }
            }
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == escape {
                    // Inside double quotes only `"`, the escape character and `$` are escaped.
                    match chars.peek() {
                        Some(&n) if n == q || n == escape || n == '$' => {
                            out.push(n);
                            chars.next();
                        }
                        _ => out.push(c),
                    }
                } else {
                    out.push(c);
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                } else if c == escape {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<'EOF'`: (fd, strip tabs, name, quoted).
fn heredoc_opener(word: &str) -> Option<(Option<u32>, bool, String, bool)> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let fd = if digits > 0 {
        word.get(..digits).and_then(|d| d.parse().ok())
    } else {
        None
    };
    let rest = word.get(digits..)?.strip_prefix("<<")?;
    let (strip_tabs, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (name, quoted) = match rest.chars().next()? {
        q @ ('"' | '\'') => (rest.strip_prefix(q)?.strip_suffix(q)?, true),
        _ => (rest, false),
    };
    let valid = !name.is_empty()
        && !name.chars().any(|c| {
            c.is_whitespace() || matches!(c, '<' | '>' | '|' | ';' | '&' | '(' | ')' | '"' | '\'')
        });
    valid.then(|| (fd, strip_tabs, name.to_string(), quoted))
}

/// Parse `text` as a JSON array of strings: each decoded element and its byte range (quotes
/// included). `None` when it is anything else, in which case the text is shell form.
fn parse_json_array(text: &str) -> Option<Vec<(String, std::ops::Range<usize>)>> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let skip = |pos: &mut usize| {
        while bytes.get(*pos).is_some_and(|b| b.is_ascii_whitespace()) {
            *pos += 1;
        }
    };
    if bytes.first() != Some(&b'[') {
        return None;
    }
    pos += 1;
    let mut out = Vec::new();
    skip(&mut pos);
    if bytes.get(pos) == Some(&b']') {
        pos += 1;
        skip(&mut pos);
        return (pos == bytes.len()).then_some(out);
    }
    loop {
        skip(&mut pos);
        if bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let start = pos;
        pos += 1;
        let mut value = String::new();
        loop {
            let c = text.get(pos..)?.chars().next()?;
            match c {
                '"' => {
                    pos += 1;
                    break;
                }
                '\\' => {
                    let e = *bytes.get(pos + 1)?;
                    pos += 2;
                    match e {
                        b'"' => value.push('"'),
                        b'\\' => value.push('\\'),
                        b'/' => value.push('/'),
                        b'b' => value.push('\u{8}'),
                        b'f' => value.push('\u{c}'),
                        b'n' => value.push('\n'),
                        b'r' => value.push('\r'),
                        b't' => value.push('\t'),
                        b'u' => {
                            let hex = text.get(pos..pos + 4)?;
                            let code = u32::from_str_radix(hex, 16).ok()?;
                            pos += 4;
                            value.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        }
                        _ => return None,
                    }
                }
                c if (c as u32) < 0x20 => return None,
                c => {
                    value.push(c);
                    pos += c.len_utf8();
                }
            }
        }
        out.push((value, start..pos));
        skip(&mut pos);
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => {
                pos += 1;
                skip(&mut pos);
                return (pos == bytes.len()).then_some(out);
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    fn only(text: &str) -> Instruction {
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        d.instructions.into_iter().last().unwrap()
    }

    #[test]
    fn simple_instructions_keep_keyword_and_word_spans() {
        let text = "FROM alpine:3.20 AS base\nrun echo hi\n";
        let d = parse(text);
        assert!(d.errors.is_empty());
        assert_eq!(d.instructions.len(), 2);
        let from = &d.instructions[0];
        assert_eq!(from.kind, Kind::From);
        assert_eq!(slice(text, from.keyword.span), "FROM");
        assert_eq!(slice(text, from.args.words[0].span), "alpine:3.20");
        assert_eq!(d.stages[0].alias.as_ref().unwrap().value, "base");
        let run = &d.instructions[1];
        assert_eq!(run.kind, Kind::Run);
        assert_eq!(slice(text, run.keyword.span), "run");
        assert_eq!(run.args.text, "echo hi");
        assert_eq!(slice(text, run.span), "run echo hi");
    }

    #[test]
    fn bom_and_crlf() {
        let text = "\u{feff}FROM a\r\nUSER app\r\n";
        let d = parse(text);
        assert!(d.errors.is_empty());
        let user = &d.instructions[1];
        assert_eq!(user.args.text, "app");
        assert_eq!(slice(text, user.args.words[0].span), "app");
        assert_eq!(slice(text, d.instructions[0].keyword.span), "FROM");
    }

    #[test]
    fn continuations_skip_comments_and_blank_lines() {
        let text = "FROM a\nRUN apt-get update \\\n  # a comment\n\n  && apt-get install -y curl\n";
        let run = only(text);
        assert_eq!(run.args.text, "apt-get update   && apt-get install -y curl");
        let curl = run.args.words.iter().find(|w| w.value == "curl").unwrap();
        assert_eq!(slice(text, curl.span), "curl");
        let and = run.args.words.iter().find(|w| w.value == "&&").unwrap();
        assert_eq!(slice(text, and.span), "&&");
        // A range that crosses the seam maps to both ends in the source.
        let span = run.args.source_span(0..run.args.text.len());
        assert_eq!(
            slice(text, span),
            "apt-get update \\\n  # a comment\n\n  && apt-get install -y curl"
        );
    }

    #[test]
    fn escape_directive_switches_to_backtick() {
        let text =
            "# escape=`\nFROM mcr.microsoft.com/windows\nCOPY . C:\\app\\\nRUN dir `\n  c:\\\n";
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.escape, '`');
        assert_eq!(d.directives[0].name.value, "escape");
        // The backslash at the end of the COPY line is not a continuation.
        assert_eq!(d.instructions[1].args.words[1].raw, "C:\\app\\");
        assert_eq!(d.instructions[2].args.text, "dir   c:\\");
    }

    #[test]
    fn directives_only_before_the_first_instruction() {
        let text =
            "# syntax=docker/dockerfile:1\n# check=skip=all\nFROM a\n# escape=`\nRUN x \\\n y\n";
        let d = parse(text);
        assert_eq!(d.directives.len(), 2);
        assert_eq!(d.directives[0].value.value, "docker/dockerfile:1");
        assert_eq!(slice(text, d.directives[1].value.span), "skip=all");
        assert_eq!(d.escape, '\\');
        assert_eq!(d.instructions[1].args.text, "x  y");
    }

    #[test]
    fn a_comment_ends_the_directive_block() {
        let d = parse("# hello\n# escape=`\nFROM a\n");
        assert!(d.directives.is_empty());
        assert_eq!(d.escape, '\\');
    }

    #[test]
    fn flags_are_parsed_with_values() {
        let text = "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nRUN --mount=type=cache,target=/root/.cache --network=none go build\nCOPY --link --chown=\"app:app\" --from=build /out /usr/bin/\n";
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let from = &d.instructions[0];
        assert_eq!(from.flags[0].name.value, "platform");
        assert_eq!(
            from.flags[0].value.as_ref().unwrap().value,
            "$BUILDPLATFORM"
        );
        assert_eq!(d.stages[0].image.value, "golang:1.23");
        let run = &d.instructions[1];
        assert_eq!(run.flags.len(), 2);
        let mount = run.flag("mount").unwrap();
        assert_eq!(
            slice(text, mount.value.as_ref().unwrap().span),
            "type=cache,target=/root/.cache"
        );
        assert_eq!(run.args.text, "go build");
        let copy = &d.instructions[2];
        assert_eq!(copy.flags.len(), 3);
        assert!(copy.flag("link").unwrap().value.is_none());
        assert_eq!(
            copy.flag("chown").unwrap().value.as_ref().unwrap().value,
            "app:app"
        );
        let (sources, dest) = copy.copy_sources();
        assert_eq!(sources[0].value, "/out");
        assert_eq!(dest.unwrap().value, "/usr/bin/");
    }

    #[test]
    fn json_form_with_spans() {
        let text = "FROM a\nCMD [\"node\", \"server.js\", \"a\\\"b\"]\n";
        let cmd = only(text);
        let json = cmd.args.json.as_ref().unwrap();
        assert_eq!(json.len(), 3);
        assert_eq!(json[0].value, "node");
        assert_eq!(slice(text, json[1].span), "\"server.js\"");
        assert_eq!(json[2].value, "a\"b");
        // Not JSON: shell form.
        let shell = only("FROM a\nCMD [ -f x ] && run\n");
        assert!(shell.args.json.is_none());
        let single = only("FROM a\nCMD ['node']\n");
        assert!(single.args.json.is_none());
    }

    #[test]
    fn json_form_across_continuations() {
        let text = "FROM a\nENTRYPOINT [\"tini\", \\\n  \"--\"]\n";
        let e = only(text);
        let json = e.args.json.as_ref().unwrap();
        assert_eq!(slice(text, json[1].span), "\"--\"");
    }

    #[test]
    fn heredocs() {
        let text = "FROM a\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER app\n";
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let run = &d.instructions[1];
        assert_eq!(run.heredocs.len(), 1);
        let h = &run.heredocs[0];
        assert_eq!(h.delimiter.value, "EOF");
        assert_eq!(h.body.value, "apt-get update\napt-get install -y curl\n");
        assert_eq!(slice(text, h.body.span), h.body.value);
        assert!(slice(text, run.span).ends_with("EOF"));
        assert_eq!(d.instructions[2].kind, Kind::User);
    }

    #[test]
    fn heredoc_variants() {
        let text = "FROM a\nCOPY <<-\"A\" 3<<'B' /dest/\n\tone\n\tA\ntwo\nB\nRUN python3 <<PY > out.txt\nprint(1)\nPY\n";
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let copy = &d.instructions[1];
        assert_eq!(copy.heredocs.len(), 2);
        assert!(copy.heredocs[0].strip_tabs && copy.heredocs[0].quoted);
        assert_eq!(copy.heredocs[0].body.value, "\tone\n");
        assert_eq!(copy.heredocs[1].fd, Some(3));
        assert_eq!(copy.heredocs[1].body.value, "two\n");
        let (sources, dest) = copy.copy_sources();
        assert!(sources.is_empty());
        assert_eq!(dest.unwrap().value, "/dest/");
        let run = &d.instructions[2];
        assert_eq!(run.heredocs[0].word, 1);
        assert_eq!(run.heredocs[0].body.value, "print(1)\n");
    }

    #[test]
    fn unterminated_heredoc_is_an_error() {
        let text = "FROM a\nRUN <<EOF\necho hi\n";
        let d = parse(text);
        assert_eq!(d.errors.len(), 1);
        assert!(d.errors[0].message.contains("not terminated"));
        assert_eq!(slice(text, d.errors[0].span), "<<EOF");
    }

    #[test]
    fn herestrings_are_not_heredocs() {
        let run = only("FROM a\nRUN cat <<<\"text\"\n");
        assert!(run.heredocs.is_empty());
    }

    #[test]
    fn unknown_instruction_is_an_error_and_parsing_goes_on() {
        let text = "FROM a\nFOO bar\nUSER app\n";
        let d = parse(text);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(slice(text, d.errors[0].span), "FOO");
        assert_eq!(d.instructions.len(), 2);
    }

    #[test]
    fn onbuild_holds_its_trigger() {
        let text = "FROM a\nONBUILD RUN make install\nonbuild copy . /src\n";
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let t = d.instructions[1].trigger.as_ref().unwrap();
        assert_eq!(t.kind, Kind::Run);
        assert_eq!(slice(text, t.keyword.span), "RUN");
        assert_eq!(t.args.text, "make install");
        let c = d.instructions[2].trigger.as_ref().unwrap();
        assert_eq!(c.kind, Kind::Copy);
        assert_eq!(slice(text, c.args.words[0].span), ".");
        assert!(!parse("FROM a\nONBUILD ONBUILD RUN x\n").errors.is_empty());
    }

    #[test]
    fn healthcheck_forms() {
        let text = "FROM a\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"curl\", \"-f\", \"http://localhost/\"]\nHEALTHCHECK NONE\nHEALTHCHECK CMD curl -f http://x/ || exit 1\n";
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let h = &d.instructions[1];
        assert_eq!(
            h.flag("interval").unwrap().value.as_ref().unwrap().value,
            "30s"
        );
        match h.healthcheck().unwrap() {
            super::super::Healthcheck::Cmd(super::super::Command::Exec(e)) => {
                assert_eq!(e[0].value, "curl")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            d.instructions[2].healthcheck(),
            Some(super::super::Healthcheck::None)
        );
        match d.instructions[3].healthcheck().unwrap() {
            super::super::Healthcheck::Cmd(super::super::Command::Shell(a)) => {
                assert_eq!(a.text, "curl -f http://x/ || exit 1");
                assert_eq!(slice(text, a.span), "curl -f http://x/ || exit 1");
            }
            other => panic!("{other:?}"),
        }
        assert!(!parse("FROM a\nHEALTHCHECK curl x\n").errors.is_empty());
    }

    #[test]
    fn env_arg_label_pairs() {
        let text = "FROM a\nENV A=1 B=\"two words\" C=three\\ four\nENV LEGACY some value\nARG NAME\nARG V=1.0\nLABEL \"com.x\"=\"y\"\n";
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let env = d.instructions[1].pairs();
        assert_eq!(env.len(), 3);
        assert_eq!(env[1].key.value, "B");
        assert_eq!(env[1].value.as_ref().unwrap().value, "two words");
        assert_eq!(
            slice(text, env[1].value.as_ref().unwrap().span),
            "\"two words\""
        );
        assert_eq!(env[2].value.as_ref().unwrap().value, "three four");
        let legacy = d.instructions[2].pairs();
        assert_eq!(legacy[0].key.value, "LEGACY");
        assert_eq!(legacy[0].value.as_ref().unwrap().value, "some value");
        assert!(d.instructions[3].pairs()[0].value.is_none());
        assert_eq!(
            d.instructions[4].pairs()[0].value.as_ref().unwrap().value,
            "1.0"
        );
        let label = d.instructions[5].pairs();
        assert_eq!(label[0].key.value, "com.x");
        assert_eq!(label[0].value.as_ref().unwrap().value, "y");
    }

    #[test]
    fn stages_and_globals() {
        let text = "ARG BASE=alpine:3.20\nFROM $BASE AS build\nRUN make\nFROM build\nUSER app\n";
        let d = parse(text);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.global().len(), 1);
        assert_eq!(
            d.global_arg_defaults(),
            vec![("BASE".into(), Some("alpine:3.20".into()))]
        );
        assert_eq!(d.stages.len(), 2);
        let last = d.final_stage().unwrap();
        assert_eq!(d.body(last).len(), 1);
        assert_eq!(d.chain(last).len(), 2);
        assert_eq!(d.root(last).unwrap().index, 0);
    }

    #[test]
    fn instructions_before_from_and_empty_files() {
        assert!(!parse("RUN x\nFROM a\n").errors.is_empty());
        assert!(!parse("").errors.is_empty());
        assert!(!parse("# only a comment\n").errors.is_empty());
        assert!(!parse("ARG X=1\n").errors.is_empty());
        assert!(!parse("FROM a b\n").errors.is_empty());
    }

    #[test]
    fn errors_are_capped() {
        let text = "FROM a\n".to_string() + &"FOO\n".repeat(20);
        let d = parse(&text);
        assert_eq!(d.errors.len(), MAX_ERRORS + 1);
        assert_eq!(
            d.errors[MAX_ERRORS].message,
            "15 more parse errors in this file are not shown"
        );
    }

    #[test]
    fn lone_keyword_needs_arguments() {
        let d = parse("FROM a\nRUN\n");
        assert_eq!(d.errors.len(), 1);
    }

    #[test]
    fn unquote_rules() {
        assert_eq!(unquote("\"a b\"", '\\'), "a b");
        assert_eq!(unquote("'a\\b'", '\\'), "a\\b");
        assert_eq!(unquote("a\\ b", '\\'), "a b");
        assert_eq!(unquote("\"a\\\"b\"", '\\'), "a\"b");
        assert_eq!(unquote("\"C:\\path\"", '`'), "C:\\path");
    }

    #[test]
    fn cut_anywhere_never_panics() {
        let text = "# escape=\\\nFROM a AS b\nRUN <<EOF \\\n  x\nline\nEOF\nCMD [\"a\", \"é\"]\nONBUILD HEALTHCHECK CMD x\n";
        for i in 0..=text.len() {
            if text.is_char_boundary(i) {
                let _ = parse(&text[..i]);
            }
        }
    }
}
