//! How a Dockerfile hands text to the shell reader: the RUN text, the script of an exec-form
//! `["sh", "-c", "…"]` and the heredoc bodies that are shell scripts, each read with spans
//! mapped back to the Dockerfile, and whether a stage's `SHELL` is a POSIX shell at all.

pub(crate) use crate::formats::shell::{Command, Word, basename, is_posix_shell, walk};

use crate::formats::docker::{Dockerfile, Instruction, Kind, ShellPiece, Stage};
use crate::formats::shell::{Dialect, Reader, is_c_flag};

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
    let mut reader = Reader::new(Dialect::Posix);
    let mut out = Vec::new();
    if instr.kind != Kind::Run {
        return out;
    }
    for piece in instr.shell_pieces() {
        match piece {
            ShellPiece::Args(_) => out.extend(read(&mut reader, &piece, None)),
            ShellPiece::Heredoc(body) => {
                let Some(heredoc) = instr.heredocs.iter().find(|h| std::ptr::eq(&h.body, body))
                else {
                    continue;
                };
                if !heredoc_is_script(instr, heredoc.word, &body.value) {
                    continue;
                }
                out.extend(read(&mut reader, &piece, None));
            }
            // Exec form is handled once, below.
            ShellPiece::Element(_) => {}
        }
    }
    if let Some(elements) = &instr.args.json {
        out.extend(exec_form(elements, &mut reader));
    }
    out
}

/// The commands of a piece, or of its first `len` bytes; spans point into the Dockerfile.
fn read(reader: &mut Reader, piece: &ShellPiece, len: Option<usize>) -> Vec<Command> {
    let text = piece.text();
    let end = len.unwrap_or(text.len());
    reader.read_range(text, 0..end, &|range| piece.span(range))
}

/// An exec-form command: a shell with `-c` runs its script; anything else is one command.
fn exec_form(elements: &[crate::source::Spanned<String>], reader: &mut Reader) -> Vec<Command> {
    let shell = elements
        .first()
        .is_some_and(|e| is_posix_shell(basename(&e.value)));
    let script = elements
        .iter()
        .position(|e| is_c_flag(&e.value))
        .and_then(|i| elements.get(i + 1));
    if let (true, Some(script)) = (shell, script) {
        return read(reader, &ShellPiece::Element(script), None);
    }
    let words = elements
        .iter()
        .map(|e| Word::plain(e.value.clone(), e.span))
        .collect();
    vec![reader.command(words)]
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
    let cmds = read(&mut Reader::new(Dialect::Posix), &piece, Some(before.len()));
    cmds.last()
        .and_then(Command::name)
        .is_some_and(is_posix_shell)
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;
    use crate::formats::docker::parse;

    fn run_commands(text: &str) -> Vec<Command> {
        let file = parse(text);
        file.instructions
            .iter()
            .filter(|i| i.kind == Kind::Run)
            .flat_map(commands)
            .collect()
    }

    #[test]
    fn spans_cross_line_continuations() {
        let text =
            "FROM x\nRUN apt-get update && \\\n    # a comment\n    apt-get install -y cürl\n";
        let cmds = run_commands(text);
        let names: Vec<&str> = cmds.iter().filter_map(Command::name).collect();
        assert_eq!(names, ["apt-get", "apt-get"]);
        let install = cmds.get(1).unwrap();
        assert_eq!(&text[install.span().range()], "apt-get install -y cürl");
        let last = install.args().last().unwrap();
        assert_eq!(&text[last.span.range()], "cürl");
    }

    #[test]
    fn exec_form_and_heredoc_scripts() {
        let text = "FROM x\nRUN [\"sh\", \"-c\", \"make && make install\"]\nRUN [\"/bin/app\", \"--x\"]\nRUN <<EOF\nset -e\ncurl -o f https://x\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\n";
        let cmds = run_commands(text);
        let names: Vec<&str> = cmds.iter().filter_map(Command::name).collect();
        // The body fed to `python3` is not read as shell.
        assert_eq!(names, ["make", "make", "app", "set", "curl", "python3"]);
        let curl = cmds.get(4).unwrap();
        assert_eq!(&text[curl.span().range()], "curl -o f https://x");
        let make = cmds.get(1).unwrap();
        assert_eq!(&text[make.span().range()], "make install");
    }
}
