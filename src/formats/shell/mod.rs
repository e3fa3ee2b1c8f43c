//! Shell text as a list of simple commands: words with their unquoted values and byte ranges,
//! split at `;`, `&&`, `||`, `|`, `&`, parentheses and line ends. One reader serves `RUN`
//! instructions and heredoc scripts of Dockerfiles, the `run:`/`script:` text of CI pipelines
//! and the `Exec*=` lines of systemd units.
//!
//! POSIX shell and systemd command lines look alike but are read differently, so the reader
//! takes a [`Dialect`]; everything else (the word and command types, span mapping, the naming
//! of a command after its wrappers) is shared.

mod lexer;
mod systemd;

use std::ops::Range;

use crate::source::Span;

/// How the text is quoted and split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// A POSIX shell (`sh`, `bash`, …): operators, redirections, comments, `$(…)` and
    /// backquote substitutions, `sh -c '…'` scripts; backslashes are literal inside single
    /// quotes.
    Posix,
    /// A systemd command line (`ExecStart=` and friends): only whitespace separates words and a
    /// lone `;` word separates commands. There are no operators, redirections, comments or
    /// substitutions, quotes may open anywhere in a word, C-style escapes (`\n`, `\x41`, `\;`)
    /// are decoded inside single quotes too, and the first word of each command may carry the
    /// `@-:+!|` prefixes, which are not part of the program's path.
    Systemd,
}

/// A word of a command: its value with quotes removed and its place in the source.
#[derive(Clone, Debug)]
pub struct Word {
    /// The value with quotes and escapes removed. Substitutions and variables (`$(…)`,
    /// `${X}`, `$X`) are kept as written: their values are not known when linting.
    pub text: String,
    /// Where the word is in the file, through the map the reader was given.
    pub span: Span,
    /// Byte range of the word as written in the text that was read (empty for words made
    /// without reading, such as the elements of a Dockerfile exec form).
    pub range: Range<usize>,
    /// Commands run by substitutions inside the word, or by the script of `sh -c <word>`.
    pub nested: Vec<Command>,
    /// The word is nothing but one substitution (`"$(curl …)"`, `<(curl …)`).
    pub whole_substitution: bool,
}

impl Word {
    /// A word that was not read from text (its value and span are known already).
    pub fn plain(text: String, span: Span) -> Word {
        Word {
            text,
            span,
            range: 0..0,
            nested: Vec::new(),
            whole_substitution: false,
        }
    }
}

/// A simple command: its words, where its name is, and the pipeline it belongs to.
#[derive(Clone, Debug)]
pub struct Command {
    /// Every word, assignments and wrappers included; redirections are left out.
    pub words: Vec<Word>,
    /// Index of the command name in `words`, after `sudo`, `env`, `VAR=x` and keywords.
    name_at: Option<usize>,
    /// Commands joined by `|` share a number, unique within one [`Reader`].
    pub pipeline: usize,
    /// Byte range from the first to the last token of the command as written, redirections
    /// included.
    pub extent: Range<usize>,
}

impl Command {
    fn new(words: Vec<Word>, pipeline: usize, extent: Range<usize>) -> Command {
        let name_at = name_index(&words);
        Command {
            words,
            name_at,
            pipeline,
            extent,
        }
    }

    /// The command name without its directory (`/usr/bin/make` → `make`).
    pub fn name(&self) -> Option<&str> {
        let word = self.words.get(self.name_at?)?;
        Some(basename(&word.text))
    }

    pub fn name_word(&self) -> Option<&Word> {
        self.words.get(self.name_at?)
    }

    /// The words after the name.
    pub fn args(&self) -> &[Word] {
        match self.name_at {
            Some(at) => self.words.get(at + 1..).unwrap_or(&[]),
            None => &[],
        }
    }

    /// The non-option arguments (not starting with `-`).
    pub fn operands(&self) -> impl Iterator<Item = &Word> {
        self.args().iter().filter(|w| !w.text.starts_with('-'))
    }

    /// Whether any argument is exactly `flag`.
    pub fn has_arg(&self, flag: &str) -> bool {
        self.args().iter().any(|w| w.text == flag)
    }

    /// From the name to the last word.
    pub fn span(&self) -> Span {
        let first = self.name_word().map(|w| w.span);
        let last = self.words.last().map(|w| w.span);
        match (first, last) {
            (Some(a), Some(b)) => a.cover(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => Span::default(),
        }
    }

    /// The span from the name through the `n`-th argument (or the name alone).
    pub fn span_through(&self, n: usize) -> Span {
        let Some(name) = self.name_word() else {
            return self.span();
        };
        match n.checked_sub(1).and_then(|i| self.args().get(i)) {
            Some(last) => name.span.cover(last.span),
            None => name.span,
        }
    }
}

/// Reads texts into commands. Pipeline numbers stay unique across the texts one reader reads,
/// so the pieces of one instruction (its text and its heredocs) can be read by one reader.
pub struct Reader {
    dialect: Dialect,
    pipelines: usize,
}

impl Reader {
    pub fn new(dialect: Dialect) -> Reader {
        Reader {
            dialect,
            pipelines: 0,
        }
    }

    /// The commands of `text`; spans are byte offsets in `text`.
    pub fn read(&mut self, text: &str) -> Vec<Command> {
        self.read_range(text, 0..text.len(), &|r| Span::new(r.start, r.end))
    }

    /// The commands of a range of `text`; `map` turns a byte range of `text` into the span of
    /// the file it came from (for texts assembled from several lines of a file).
    pub fn read_range(
        &mut self,
        text: &str,
        range: Range<usize>,
        map: &dyn Fn(Range<usize>) -> Span,
    ) -> Vec<Command> {
        match self.dialect {
            Dialect::Posix => lexer::Lexer::new(text, range, map, &mut self.pipelines, 0).run(),
            Dialect::Systemd => systemd::read(text, range, map, &mut self.pipelines),
        }
    }

    /// A command of words that were not read from text, in a pipeline of its own.
    pub fn command(&mut self, words: Vec<Word>) -> Command {
        self.pipelines += 1;
        Command::new(words, self.pipelines, 0..0)
    }
}

/// The commands of a POSIX shell text, spans as byte offsets in it.
pub fn read(text: &str, dialect: Dialect) -> Vec<Command> {
    Reader::new(dialect).read(text)
}

/// Every command in `commands` and, depth first, in their substitutions and `sh -c` scripts.
pub fn walk(commands: &[Command]) -> Vec<&Command> {
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
pub fn basename(text: &str) -> &str {
    text.rsplit('/').next().unwrap_or(text)
}

/// Shells whose scripts this reader understands.
pub fn is_posix_shell(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "busybox"
    )
}

/// An option that ends in `c` and is made of letters only (`-c`, `-lc`, `-euxc`): the next
/// word is the script a shell runs.
pub fn is_c_flag(text: &str) -> bool {
    text.len() > 1
        && text.starts_with('-')
        && !text.starts_with("--")
        && text.ends_with('c')
        && text.chars().skip(1).all(|c| c.is_ascii_alphabetic())
}

/// `NAME=value` with a valid shell variable name.
pub fn is_assignment(text: &str) -> bool {
    let Some((name, _)) = text.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
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

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests;
