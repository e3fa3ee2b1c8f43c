//! The Dockerfile model: instructions with byte spans for every keyword, flag, word, JSON
//! element and heredoc body, grouped into build stages.

pub mod context;
pub mod ignore;
mod parse;
pub mod unit;

pub use context::BuildContext;
pub use ignore::{IgnoreFile, Matcher};
pub use parse::parse;

use crate::formats::ParseError;
use crate::source::{Span, Spanned};

/// A parsed Dockerfile.
#[derive(Debug, Default)]
pub struct Dockerfile {
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) from the top of the file.
    pub directives: Vec<Directive>,
    /// The escape character: `\` unless `# escape=` says otherwise.
    pub escape: char,
    /// Every instruction in file order (ONBUILD triggers are nested in their ONBUILD).
    pub instructions: Vec<Instruction>,
    /// Build stages in file order; instructions before the first FROM are global.
    pub stages: Vec<Stage>,
    /// Problems found while parsing; parsing went on after each.
    pub errors: Vec<ParseError>,
    /// What the build context holds for the rules, read by the unit builder ([`unit::attach`]).
    pub context: BuildContext,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lowercase name.
    pub name: Spanned<String>,
    pub value: Spanned<String>,
}

/// The instructions Docker knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
}

impl Kind {
    pub fn from_keyword(word: &str) -> Option<Kind> {
        let kind = match word.to_ascii_uppercase().as_str() {
            "ADD" => Kind::Add,
            "ARG" => Kind::Arg,
            "CMD" => Kind::Cmd,
            "COPY" => Kind::Copy,
            "ENTRYPOINT" => Kind::Entrypoint,
            "ENV" => Kind::Env,
            "EXPOSE" => Kind::Expose,
            "FROM" => Kind::From,
            "HEALTHCHECK" => Kind::Healthcheck,
            "LABEL" => Kind::Label,
            "MAINTAINER" => Kind::Maintainer,
            "ONBUILD" => Kind::Onbuild,
            "RUN" => Kind::Run,
            "SHELL" => Kind::Shell,
            "STOPSIGNAL" => Kind::Stopsignal,
            "USER" => Kind::User,
            "VOLUME" => Kind::Volume,
            "WORKDIR" => Kind::Workdir,
            _ => return None,
        };
        Some(kind)
    }

    /// Instructions whose leading `--name[=value]` words are flags.
    pub fn takes_flags(self) -> bool {
        matches!(
            self,
            Kind::Add | Kind::Copy | Kind::From | Kind::Run | Kind::Healthcheck
        )
    }

    /// Instructions whose words may open heredocs.
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Kind::Add | Kind::Copy | Kind::Run)
    }
}

/// One instruction: a logical line (continuations joined) plus its heredoc bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub kind: Kind,
    /// The keyword as written (any case).
    pub keyword: Spanned<String>,
    /// From the keyword to the end of the instruction, heredoc bodies included.
    pub span: Span,
    pub flags: Vec<Flag>,
    /// Everything after the keyword and the flags.
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// The trigger instruction of an `ONBUILD`, or the command of `HEALTHCHECK CMD` (as a CMD).
    pub trigger: Option<Box<Instruction>>,
}

/// `--name` or `--name=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// Name without the leading dashes, lowercase.
    pub name: Spanned<String>,
    /// The value with quotes removed; its span covers the value as written.
    pub value: Option<Spanned<String>>,
    pub span: Span,
}

/// The arguments of an instruction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// The arguments as one logical text: continuations removed, comment lines inside the
    /// continuation dropped, surrounding whitespace trimmed.
    pub text: String,
    /// Source span from the first to the last character of `text`.
    pub span: Span,
    /// The elements, when the arguments are a JSON array of strings (exec form).
    pub json: Option<Vec<Spanned<String>>>,
    /// Whitespace-separated words of `text`, quotes respected.
    pub words: Vec<Word>,
    /// The escape character in effect (`\\` or `` ` ``).
    pub escape: char,
    /// Pieces of `text` mapped back to the source: (offset in text, offset in source).
    pub(crate) map: Vec<(u32, u32)>,
}

impl Args {
    /// The source span of a byte range of [`Args::text`].
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Span {
        map_span(&self.map, self.text.len(), range)
    }

    /// True when the arguments are in exec (JSON) form.
    pub fn is_exec(&self) -> bool {
        self.json.is_some()
    }
}

/// The source span of a byte range of a text assembled from source pieces, given the pieces
/// (offset in text, offset in source) in ascending order.
pub(crate) fn map_span(map: &[(u32, u32)], text_len: usize, range: std::ops::Range<usize>) -> Span {
    let start = map_offset(map, text_len, range.start, false);
    if range.is_empty() {
        return Span::point(start);
    }
    let end = map_offset(map, text_len, range.end, true);
    Span::new(start, end.max(start))
}

/// Map an offset of an assembled text to the source. With `is_end`, an offset at the seam
/// between two pieces maps to the end of the earlier piece rather than the start of the next.
fn map_offset(map: &[(u32, u32)], text_len: usize, offset: usize, is_end: bool) -> usize {
    let offset = offset.min(text_len);
    let probe = if is_end && offset > 0 {
        offset - 1
    } else {
        offset
    };
    let index = match map.binary_search_by(|&(text_at, _)| (text_at as usize).cmp(&probe)) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    match map.get(index) {
        Some(&(text_at, source_at)) => {
            (source_at as usize + offset).saturating_sub(text_at as usize)
        }
        None => 0,
    }
}

/// A word of the arguments: `raw` as written, `value` with quotes and escapes removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub raw: String,
    pub value: String,
    pub span: Span,
    /// Byte range of the word in [`Args::text`].
    pub text_range: std::ops::Range<usize>,
}

/// A heredoc opened by a word such as `<<EOF`, `<<-EOF`, `<<"EOF"` or `3<<EOF`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter without quotes; its span is the whole opening word.
    pub delimiter: Spanned<String>,
    /// `<<-`: leading tabs are stripped from the body.
    pub strip_tabs: bool,
    /// The delimiter was quoted: no expansion inside the body.
    pub quoted: bool,
    /// The file descriptor before `<<`, if any.
    pub fd: Option<u32>,
    /// Index of the opening word in [`Args::words`].
    pub word: usize,
    /// The body, from the line after the instruction up to (not including) the closing line.
    pub body: Spanned<String>,
}

/// A command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command<'a> {
    /// Exec form: the JSON elements.
    Exec(&'a [Spanned<String>]),
    /// Shell form: the text, run through the stage's shell.
    Shell(&'a Args),
}

/// A `KEY=value` pair of ENV, ARG or LABEL (or the legacy `ENV KEY value` form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: Spanned<String>,
    /// The value with quotes and escapes removed; the span covers it as written.
    /// `None` for `ARG NAME` without a default.
    pub value: Option<Spanned<String>>,
}

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// Position among the stages, from 0.
    pub index: usize,
    /// Index of the FROM in [`Dockerfile::instructions`].
    pub from: usize,
    /// The image as written (before ARG substitution).
    pub image: Spanned<String>,
    /// `AS name`, as written.
    pub alias: Option<Spanned<String>>,
    /// Indices of this stage's instructions, the FROM excluded.
    pub body: std::ops::Range<usize>,
}

/// An instruction with the stage it belongs to and its index in [`Dockerfile::instructions`].
#[derive(Clone, Copy, Debug)]
pub struct Located<'a> {
    pub stage: &'a Stage,
    pub index: usize,
    pub instr: &'a Instruction,
}

/// The parameters of a HEALTHCHECK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Healthcheck<'a> {
    /// `HEALTHCHECK NONE`: disables any check inherited from the base image.
    None,
    Cmd(Command<'a>),
}

impl Dockerfile {
    /// Instructions before the first FROM.
    pub fn global(&self) -> &[Instruction] {
        let end = self
            .stages
            .first()
            .map_or(self.instructions.len(), |s| s.from);
        self.instructions.get(..end).unwrap_or(&[])
    }

    /// Defaults of the global ARGs, last one wins (the scope FROM lines see).
    pub fn global_arg_defaults(&self) -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        for instr in self.global().iter().filter(|i| i.kind == Kind::Arg) {
            for pair in instr.pairs() {
                let value = pair.value.map(|v| v.value);
                match out.iter_mut().find(|(k, _)| *k == pair.key.value) {
                    Some(slot) => slot.1 = value,
                    None => out.push((pair.key.value, value)),
                }
            }
        }
        out
    }

    /// The instructions of a stage, its FROM excluded.
    pub fn body(&self, stage: &Stage) -> &[Instruction] {
        self.instructions.get(stage.body.clone()).unwrap_or(&[])
    }

    /// The FROM instruction of a stage.
    pub fn from_instruction(&self, stage: &Stage) -> Option<&Instruction> {
        self.instructions.get(stage.from)
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage an image name refers to, if it names an earlier stage (case-insensitive),
    /// looking only at stages before `before`.
    pub fn stage_named(&self, name: &str, before: usize) -> Option<&Stage> {
        self.stages
            .get(..before.min(self.stages.len()))
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|s| {
                s.alias
                    .as_ref()
                    .is_some_and(|a| a.value.eq_ignore_ascii_case(name))
            })
    }

    /// The parent stage of `stage` when its FROM names an earlier stage.
    pub fn parent(&self, stage: &Stage) -> Option<&Stage> {
        self.stage_named(&stage.image.value, stage.index)
    }

    /// The stage followed by its ancestors through `FROM <alias>`, nearest first.
    pub fn chain(&self, stage: &Stage) -> Vec<&Stage> {
        let mut out = vec![];
        let mut current = self.stages.get(stage.index);
        while let Some(s) = current {
            if out.iter().any(|seen: &&Stage| seen.index == s.index) {
                break;
            }
            out.push(s);
            current = self.parent(s);
        }
        out
    }

    /// The stage whose FROM names an external image at the root of `stage`'s alias chain.
    pub fn root(&self, stage: &Stage) -> Option<&Stage> {
        self.chain(stage).last().copied()
    }

    /// The last instruction of `kind` in `stage`, or else in its ancestors through
    /// `FROM <alias>`, nearest first: the setting the stage's image ends up with.
    pub fn effective(&self, stage: &Stage, kind: Kind) -> Option<Located<'_>> {
        self.chain(stage).into_iter().find_map(|s| {
            s.body.clone().rev().find_map(|index| {
                let instr = self.instructions.get(index)?;
                (instr.kind == kind).then_some(Located {
                    stage: s,
                    index,
                    instr,
                })
            })
        })
    }

    /// Whether some stage, earlier or later, is named `name` (case-insensitive).
    pub fn is_stage_alias(&self, name: &str) -> bool {
        self.stages.iter().any(|s| {
            s.alias
                .as_ref()
                .is_some_and(|a| a.value.eq_ignore_ascii_case(name))
        })
    }

    /// Whether the `SHELL` in effect for `stage` is PowerShell or `cmd`, whose command text
    /// the POSIX-shell readings of the rules do not apply to.
    pub fn non_posix_shell(&self, stage: &Stage) -> bool {
        let Some(shell) = self.effective(stage, Kind::Shell) else {
            return false;
        };
        let Some(program) = shell.instr.args.json.as_ref().and_then(|j| j.first()) else {
            return false;
        };
        let base = program
            .value
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let base = base.strip_suffix(".exe").unwrap_or(&base);
        matches!(base, "powershell" | "pwsh" | "cmd")
    }
}

impl Instruction {
    /// The flag with this (lowercase) name.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.value == name)
    }

    /// The values of option `key` in every `--mount` flag (`from` in
    /// `--mount=type=cache,from=builder,target=/x`). A value's span is exact when the flag
    /// value is written unquoted, the whole flag value otherwise.
    pub fn mount_options(&self, key: &str) -> Vec<Spanned<String>> {
        let mut out = vec![];
        for value in self
            .flags
            .iter()
            .filter(|f| f.name.value == "mount")
            .filter_map(|f| f.value.as_ref())
        {
            let mut offset = 0;
            for option in value.value.split(',') {
                let start = offset;
                offset += option.len() + 1;
                let Some((name, found)) = option.split_once('=') else {
                    continue;
                };
                if !name.trim().eq_ignore_ascii_case(key) {
                    continue;
                }
                let span = if value.span.len() == value.value.len() {
                    let at = value.span.start as usize + start + name.len() + 1;
                    Span::new(at, at + found.len())
                } else {
                    value.span
                };
                out.push(Spanned::new(found.trim().to_string(), span));
            }
        }
        out
    }

    /// The command of RUN, CMD and ENTRYPOINT.
    pub fn command(&self) -> Command<'_> {
        match &self.args.json {
            Some(elements) => Command::Exec(elements),
            None => Command::Shell(&self.args),
        }
    }

    /// HEALTHCHECK's NONE or CMD. `None` when this is not a well-formed HEALTHCHECK.
    pub fn healthcheck(&self) -> Option<Healthcheck<'_>> {
        if self.kind != Kind::Healthcheck {
            return None;
        }
        let first = self.args.words.first()?;
        if first.value.eq_ignore_ascii_case("NONE") {
            return Some(Healthcheck::None);
        }
        if first.value.eq_ignore_ascii_case("CMD") {
            return self
                .trigger
                .as_deref()
                .map(|cmd| Healthcheck::Cmd(cmd.command()));
        }
        None
    }

    /// ENV, ARG and LABEL pairs.
    pub fn pairs(&self) -> Vec<Pair> {
        let words = &self.args.words;
        // Legacy `ENV KEY value with spaces`: the first word has no `=`.
        if self.kind == Kind::Env
            && words.first().is_some_and(|w| !w.raw.contains('='))
            && words.len() > 1
        {
            let Some(key) = words.first() else {
                return vec![];
            };
            let rest_start = words
                .get(1)
                .map_or(key.text_range.end, |w| w.text_range.start);
            let rest = self.args.text.get(rest_start..).unwrap_or("");
            return vec![Pair {
                key: Spanned::new(key.value.clone(), key.span),
                value: Some(Spanned::new(
                    parse::unquote(rest, self.escape_char()),
                    self.args.source_span(rest_start..self.args.text.len()),
                )),
            }];
        }
        words
            .iter()
            .map(|w| match w.raw.find('=') {
                Some(eq) => {
                    let key_raw = w.raw.get(..eq).unwrap_or("");
                    let value_raw = w.raw.get(eq + 1..).unwrap_or("");
                    let key_range = w.text_range.start..w.text_range.start + eq;
                    let value_range = w.text_range.start + eq + 1..w.text_range.end;
                    Pair {
                        key: Spanned::new(
                            parse::unquote(key_raw, self.escape_char()),
                            self.args.source_span(key_range),
                        ),
                        value: Some(Spanned::new(
                            parse::unquote(value_raw, self.escape_char()),
                            self.args.source_span(value_range),
                        )),
                    }
                }
                None => Pair {
                    key: Spanned::new(w.value.clone(), w.span),
                    value: None,
                },
            })
            .collect()
    }

    /// The escape character the words were split with.
    fn escape_char(&self) -> char {
        self.args.escape
    }

    /// COPY/ADD sources and destination: every non-heredoc word but the last, and the last.
    /// Heredoc sources are in [`Instruction::heredocs`].
    pub fn copy_sources(&self) -> (Vec<Spanned<String>>, Option<Spanned<String>>) {
        let mut items: Vec<Spanned<String>> = match &self.args.json {
            Some(elements) => elements.clone(),
            None => self
                .args
                .words
                .iter()
                .enumerate()
                .filter(|(i, _)| !self.heredocs.iter().any(|h| h.word == *i))
                .map(|(_, w)| Spanned::new(w.value.clone(), w.span))
                .collect(),
        };
        let dest = items.pop();
        (items, dest)
    }

    /// The shell text of a RUN (or shell-form CMD/ENTRYPOINT), heredoc bodies appended: the
    /// pieces a rule scans for commands, each with a way back to the source.
    pub fn shell_pieces(&self) -> Vec<ShellPiece<'_>> {
        let mut out = vec![];
        match &self.args.json {
            Some(elements) => out.extend(elements.iter().map(ShellPiece::Element)),
            None => out.push(ShellPiece::Args(&self.args)),
        }
        out.extend(self.heredocs.iter().map(|h| ShellPiece::Heredoc(&h.body)));
        out
    }
}

/// A piece of command text and how to find a range of it in the source.
#[derive(Clone, Copy, Debug)]
pub enum ShellPiece<'a> {
    Args(&'a Args),
    Element(&'a Spanned<String>),
    Heredoc(&'a Spanned<String>),
}

impl<'a> ShellPiece<'a> {
    pub fn text(&self) -> &'a str {
        match self {
            ShellPiece::Args(a) => &a.text,
            ShellPiece::Element(s) | ShellPiece::Heredoc(s) => &s.value,
        }
    }

    /// Source span of a byte range of [`ShellPiece::text`]. For JSON elements with escapes the
    /// span is the whole element.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        match self {
            ShellPiece::Args(a) => a.source_span(range),
            ShellPiece::Heredoc(s) => Span::new(
                s.span.start as usize + range.start,
                s.span.start as usize + range.end,
            ),
            ShellPiece::Element(s) => {
                // The element's span includes its quotes; map when the text is unescaped.
                if s.span.len() == s.value.len() + 2 {
                    Span::new(
                        s.span.start as usize + 1 + range.start,
                        s.span.start as usize + 1 + range.end,
                    )
                } else {
                    s.span
                }
            }
        }
    }
}
