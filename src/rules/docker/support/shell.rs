//! A small POSIX shell reader for RUN text and heredoc scripts: it splits the text into simple
//! commands (words with source spans), follows pipelines, `$(…)`, backticks, `<(…)` and
//! `sh -c '…'`, and names each command after `sudo`, `env` and assignments.

use crate::formats::docker::{Dockerfile, Instruction, Kind, ShellPiece, Stage};
use crate::source::Span;

/// Nesting deeper than this (substitutions inside substitutions) is read as plain words.
const MAX_DEPTH: usize = 8;

/// A word of a command: its value with quotes removed and its place in the source.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    /// The value with quotes and backslashes removed; substitutions are kept as written.
    pub(crate) text: String,
    pub(crate) span: Span,
    /// Byte range of the word as written in its piece's text (empty for exec-form elements).
    range: std::ops::Range<usize>,
    /// Commands run by substitutions inside the word, or by the script of `sh -c <word>`.
    pub(crate) nested: Vec<Command>,
    /// The word is nothing but one substitution (`"$(curl …)"`, `<(curl …)`).
    pub(crate) whole_substitution: bool,
}

/// A simple command: its words, where its name is, and the pipeline it belongs to.
#[derive(Clone, Debug)]
pub(crate) struct Command {
    pub(crate) words: Vec<Word>,
    /// Index of the command name in `words`, after `sudo`, `env`, `VAR=x` and keywords.
    name_at: Option<usize>,
    /// Commands joined by `|` share a number, unique within one [`commands`] result.
    pub(crate) pipeline: usize,
}

impl Command {
    /// The command name without its directory (`/usr/bin/make` → `make`).
    pub(crate) fn name(&self) -> Option<&str> {
        let word = self.words.get(self.name_at?)?;
        Some(basename(&word.text))
    }

    pub(crate) fn name_word(&self) -> Option<&Word> {
        self.words.get(self.name_at?)
    }

    /// The words after the name.
    pub(crate) fn args(&self) -> &[Word] {
        match self.name_at {
            Some(at) => self.words.get(at + 1..).unwrap_or(&[]),
            None => &[],
        }
    }

    /// The non-option arguments (not starting with `-`).
    pub(crate) fn operands(&self) -> impl Iterator<Item = &Word> {
        self.args().iter().filter(|w| !w.text.starts_with('-'))
    }

    /// Whether any argument is exactly `flag`.
    pub(crate) fn has_arg(&self, flag: &str) -> bool {
        self.args().iter().any(|w| w.text == flag)
    }

    /// From the name to the last word.
    pub(crate) fn span(&self) -> Span {
        let first = self.name_word().map(|w| w.span);
        let last = self.words.last().map(|w| w.span);
        match (first, last) {
            (Some(a), Some(b)) => a.cover(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => Span::default(),
        }
    }

    /// The span from the name through the `n`-th argument (or the name alone).
    pub(crate) fn span_through(&self, n: usize) -> Span {
        let Some(name) = self.name_word() else {
            return self.span();
        };
        match n.checked_sub(1).and_then(|i| self.args().get(i)) {
            Some(last) => name.span.cover(last.span),
            None => name.span,
        }
    }
}

/// Every command in `commands` and, depth first, in their substitutions and `sh -c` scripts.
pub(crate) fn walk(commands: &[Command]) -> Vec<&Command> {
    let mut out = Vec::new();
    for command in commands {
        out.push(command);
        for word in &command.words {
            out.extend(walk(&word.nested));
        }
    }
    out
}

/// The last component of a path.
pub(crate) fn basename(text: &str) -> &str {
    text.rsplit('/').next().unwrap_or(text)
}

/// Shells whose scripts this reader understands.
pub(crate) fn is_posix_shell(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "busybox"
    )
}

/// Whether the RUN instructions of `stage` are run by a POSIX shell: false when the last
/// `SHELL` of the stage or of the stages it descends from names PowerShell or `cmd`.
pub(crate) fn stage_uses_posix_shell(file: &Dockerfile, stage: &Stage) -> bool {
    let chain = file.chain(stage);
    let shell = chain
        .iter()
        .find_map(|s| file.body(s).iter().rev().find(|i| i.kind == Kind::Shell));
    let Some(shell) = shell else {
        return true;
    };
    let program = match &shell.args.json {
        Some(elements) => elements.first().map(|e| e.value.as_str()),
        None => shell.args.words.first().map(|w| w.value.as_str()),
    };
    let Some(program) = program else {
        return true;
    };
    let name = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    !matches!(name, "powershell" | "pwsh" | "cmd")
}

/// The commands an instruction runs through the shell: the RUN text (or the script of an
/// exec-form `["sh", "-c", "…"]`, or the exec-form command itself) and the heredoc bodies that
/// are shell scripts. Heredocs fed to other programs (`python3 <<EOF`, `cat <<EOF > f`) are not.
pub(crate) fn commands(instr: &Instruction) -> Vec<Command> {
    let mut counter = 0;
    let mut out = Vec::new();
    if instr.kind != Kind::Run {
        return out;
    }
    for piece in instr.shell_pieces() {
        match piece {
            ShellPiece::Args(_) => {
                let text = piece.text();
                out.extend(Lexer::new(&piece, 0..text.len(), &mut counter, 0).run());
            }
            ShellPiece::Heredoc(body) => {
                let Some(heredoc) = instr.heredocs.iter().find(|h| std::ptr::eq(&h.body, body))
                else {
                    continue;
                };
                if !heredoc_is_script(instr, heredoc.word, &body.value) {
                    continue;
                }
                let text = piece.text();
                out.extend(Lexer::new(&piece, 0..text.len(), &mut counter, 0).run());
            }
            // Exec form is handled once, below.
            ShellPiece::Element(_) => {}
        }
    }
    if let Some(elements) = &instr.args.json {
        out.extend(exec_form(elements, &mut counter));
    }
    out
}

/// An exec-form command: a shell with `-c` runs its script; anything else is one command.
fn exec_form(elements: &[crate::source::Spanned<String>], counter: &mut usize) -> Vec<Command> {
    let words: Vec<Word> = elements
        .iter()
        .map(|e| Word {
            text: e.value.clone(),
            span: e.span,
            range: 0..0,
            nested: vec![],
            whole_substitution: false,
        })
        .collect();
    let shell = elements
        .first()
        .is_some_and(|e| is_posix_shell(basename(&e.value)));
    let script = elements
        .iter()
        .position(|e| is_c_flag(&e.value))
        .and_then(|i| elements.get(i + 1));
    if let (true, Some(script)) = (shell, script) {
        let piece = ShellPiece::Element(script);
        return Lexer::new(&piece, 0..script.value.len(), counter, 0).run();
    }
    *counter += 1;
    vec![finish(words, *counter)]
}

/// Whether a heredoc body is run as a shell script: it opens the RUN (`RUN <<EOF`) or follows a
/// shell (`RUN bash <<EOF`), and no `#!` line names another interpreter.
fn heredoc_is_script(instr: &Instruction, word: usize, body: &str) -> bool {
    if let Some(shebang) = body.strip_prefix("#!") {
        let line = shebang.lines().next().unwrap_or("");
        let mut parts = line.split_whitespace();
        let mut program = parts.next().map(basename).unwrap_or("");
        if program == "env" {
            program = parts.find(|p| !p.starts_with('-')).unwrap_or("");
        }
        return is_posix_shell(program);
    }
    let Some(opener) = instr.args.words.get(word) else {
        return false;
    };
    let before = instr.args.text.get(..opener.text_range.start).unwrap_or("");
    let trimmed = before.trim_end();
    if trimmed.is_empty() || trimmed.ends_with([';', '&', '|', '(', '\n']) {
        return true;
    }
    let piece = ShellPiece::Args(&instr.args);
    let mut counter = 0;
    let cmds = Lexer::new(&piece, 0..before.len(), &mut counter, 0).run();
    cmds.last()
        .and_then(Command::name)
        .is_some_and(is_posix_shell)
}

fn is_c_flag(text: &str) -> bool {
    text.len() > 1
        && text.starts_with('-')
        && !text.starts_with("--")
        && text.ends_with('c')
        && text.chars().skip(1).all(|c| c.is_ascii_alphabetic())
}

/// Words that may precede a command name without being one.
fn is_keyword(text: &str) -> bool {
    matches!(
        text,
        "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "!" | "{" | "time"
    )
}

/// Find where a command's name is, skipping assignments, keywords and wrapper programs.
fn name_index(words: &[Word]) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = words.get(i) {
        let text = word.text.as_str();
        if is_assignment(text) || is_keyword(text) {
            i += 1;
            continue;
        }
        match basename(text) {
            "sudo" | "doas" => {
                i += 1;
                i = skip_options(
                    words,
                    i,
                    &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"],
                );
            }
            "env" => {
                i += 1;
                loop {
                    i = skip_options(words, i, &["-u", "-C", "-S"]);
                    match words.get(i) {
                        Some(w) if is_assignment(&w.text) => i += 1,
                        _ => break,
                    }
                }
            }
            "nice" => {
                i += 1;
                i = skip_options(words, i, &["-n"]);
            }
            "command" => {
                // `command -v x` looks a program up rather than running it.
                if words
                    .get(i + 1)
                    .is_some_and(|w| w.text == "-v" || w.text == "-V")
                {
                    return None;
                }
                i += 1;
            }
            "exec" | "nohup" | "builtin" => {
                i += 1;
                i = skip_options(words, i, &[]);
            }
            "fi" | "done" | "}" | "esac" | ";;" => return None,
            _ => return Some(i),
        }
    }
    None
}

/// Skip option words from `i`; options in `with_value` take the next word unless attached.
fn skip_options(words: &[Word], mut i: usize, with_value: &[&str]) -> usize {
    while let Some(word) = words.get(i) {
        let text = word.text.as_str();
        if text == "--" {
            return i + 1;
        }
        if !text.starts_with('-') || text == "-" {
            break;
        }
        i += if with_value.contains(&text) { 2 } else { 1 };
    }
    i
}

fn is_assignment(text: &str) -> bool {
    let Some((name, _)) = text.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn finish(words: Vec<Word>, pipeline: usize) -> Command {
    let name_at = name_index(&words);
    Command {
        words,
        name_at,
        pipeline,
    }
}

/// Reads one range of a piece's text into commands.
struct Lexer<'p, 'a, 'c> {
    piece: &'p ShellPiece<'a>,
    text: &'a str,
    pos: usize,
    end: usize,
    counter: &'c mut usize,
    depth: usize,
}

impl<'p, 'a, 'c> Lexer<'p, 'a, 'c> {
    fn new(
        piece: &'p ShellPiece<'a>,
        range: std::ops::Range<usize>,
        counter: &'c mut usize,
        depth: usize,
    ) -> Self {
        let text = piece.text();
        Lexer {
            piece,
            text,
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

    fn run(mut self) -> Vec<Command> {
        let mut out = Vec::new();
        let mut words: Vec<Word> = Vec::new();
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
                            continue;
                        }
                        self.bump();
                    }
                    if c == ';' && self.peek() == Some(';') {
                        self.bump();
                    }
                    if !words.is_empty() {
                        out.push(self.command(std::mem::take(&mut words), pipeline));
                    }
                    if !pipe {
                        *self.counter += 1;
                        pipeline = *self.counter;
                    }
                }
                '<' | '>' if self.peek_at(1) == Some('(') => {
                    words.push(self.word());
                }
                '<' | '>' => {
                    self.redirect();
                }
                _ => {
                    let word = self.word();
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
            out.push(self.command(words, pipeline));
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
    fn command(&mut self, mut words: Vec<Word>, pipeline: usize) -> Command {
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
                            Lexer::new(self.piece, range, self.counter, self.depth + 1).run();
                    }
                }
            }
        }
        Command {
            words,
            name_at,
            pipeline,
        }
    }

    /// The text range inside a word's quotes.
    fn unquoted_range(&self, range: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
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
            span: self.piece.span(start..self.pos),
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
            nested.extend(
                Lexer::new(
                    self.piece,
                    inner_start..inner_end,
                    self.counter,
                    self.depth + 1,
                )
                .run(),
            );
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
            nested.extend(
                Lexer::new(
                    self.piece,
                    inner_start..inner_end,
                    self.counter,
                    self.depth + 1,
                )
                .run(),
            );
        }
        1
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::string_slice)]
mod tests {
    use super::*;
    use crate::source::Spanned;

    fn lex(text: &str) -> Vec<Command> {
        let body = Spanned::new(text.to_string(), Span::new(0, text.len()));
        let piece = ShellPiece::Heredoc(&body);
        let mut counter = 0;
        Lexer::new(&piece, 0..text.len(), &mut counter, 0).run()
    }

    fn names(text: &str) -> Vec<String> {
        walk(&lex(text))
            .iter()
            .filter_map(|c| c.name().map(str::to_string))
            .collect()
    }

    #[test]
    fn splits_on_operators_and_skips_wrappers() {
        assert_eq!(
            names(
                "apt-get update && sudo -E apt-get install -y gcc; DEBIAN_FRONTEND=x env -i A=b make all || true"
            ),
            ["apt-get", "apt-get", "make", "true"]
        );
        assert_eq!(names("if [ -f x ]; then /usr/bin/make; fi"), ["[", "make"]);
        assert_eq!(names("command -v make && nice -n 5 cmake ."), ["cmake"]);
        assert_eq!(names("sudo -u app bash -lc 'make'"), ["bash", "make"]);
    }

    #[test]
    fn quotes_comments_and_redirections() {
        let cmds = lex("echo \"a | b\" 'c && d' > /dev/null 2>&1 # make it\nls");
        assert_eq!(cmds.len(), 2);
        let echo = cmds.first().unwrap();
        let texts: Vec<&str> = echo.args().iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["a | b", "c && d"]);
        assert_eq!(names("cat <<EOF > /x\nmake\n"), ["cat", "make"]);
    }

    #[test]
    fn pipelines_share_a_number() {
        let cmds = lex("curl -fsSL https://x | sudo bash -s -- -y && echo done");
        let [curl, bash, echo] = cmds.as_slice() else {
            panic!("{cmds:?}")
        };
        assert_eq!(curl.pipeline, bash.pipeline);
        assert_ne!(bash.pipeline, echo.pipeline);
        assert_eq!(bash.name(), Some("bash"));
        assert!(!lex("a || b").windows(2).any(|w| match w {
            [x, y] => x.pipeline == y.pipeline,
            _ => false,
        }));
    }

    #[test]
    fn substitutions_and_shell_scripts_are_nested() {
        let cmds = lex("sh -c \"$(curl -fsSL https://x)\"");
        let sh = cmds.first().unwrap();
        let arg = sh.args().get(1).unwrap();
        assert!(arg.whole_substitution);
        assert_eq!(arg.nested.first().unwrap().name(), Some("curl"));

        let cmds = lex("bash <(wget -qO- https://x)");
        let arg = cmds.first().unwrap().args().first().unwrap();
        assert!(arg.whole_substitution);
        assert_eq!(names("bash <(wget -qO- https://x)"), ["bash", "wget"]);

        assert_eq!(names("V=`uname -m` X=$((1+2)) go build"), ["go", "uname"]);
        assert!(
            !lex("echo x$(date)")
                .first()
                .unwrap()
                .args()
                .first()
                .unwrap()
                .whole_substitution
        );
        assert_eq!(
            names("bash -euo pipefail -c 'cd /src && make install'"),
            ["bash", "cd", "make"]
        );
    }

    #[test]
    fn spans_point_at_the_words() {
        let text = "cd /x && cmake ..";
        let cmds = lex(text);
        let cmake = cmds.get(1).unwrap();
        assert_eq!(&text[cmake.name_word().unwrap().span.range()], "cmake");
        assert_eq!(&text[cmake.span().range()], "cmake ..");
        let cmds = lex("sh -c 'make -j4'");
        let all = walk(&cmds);
        let make = all.get(1).unwrap();
        assert_eq!(&"sh -c 'make -j4'"[make.span().range()], "make -j4");
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        for text in [
            "echo \"abc",
            "$(curl",
            "`x",
            "a 'b",
            "x <(",
            "${a",
            "\\",
            "é $(é",
            "2>",
            "<",
            ">",
            "&>",
            "a >(",
            "$((",
            "<<-",
            "|&",
            ";;",
            "\\\n",
            "x <<<",
            "( )",
            "$(())",
            "`\\`",
            "sh -c",
            "sh -c '",
            "bash -c \"$(",
        ] {
            let _ = walk(&lex(text));
        }
    }
}
