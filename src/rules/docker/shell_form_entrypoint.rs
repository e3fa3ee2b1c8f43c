//! The container's main process is started through `/bin/sh -c`.
use crate::formats::docker::Command;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/shell-form-entrypoint",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/docker/shell-form-entrypoint.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(last) = file.final_stage() else {
        return;
    };
    // An ENTRYPOINT decides how the container starts; CMD only matters without one.
    let Some(found) = file
        .effective(last, Kind::Entrypoint)
        .or_else(|| file.effective(last, Kind::Cmd))
    else {
        return;
    };
    let keyword = match found.instr.kind {
        Kind::Entrypoint => "ENTRYPOINT",
        _ => "CMD",
    };
    let args = match found.instr.command() {
        Command::Exec(_) => {
            cx.pass(
                found.instr.span,
                format!("`{keyword}` uses the exec form, so the process receives signals"),
            );
            return;
        }
        Command::Shell(args) => args,
    };
    if file.non_posix_shell(found.stage) || args.text.trim().is_empty() {
        return;
    }
    let first = args.words.first().map_or("", |w| w.value.as_str());
    if first == "exec" {
        cx.pass(
            found.instr.span,
            format!("shell-form `{keyword}` starts with `exec`, so the command replaces the shell"),
        );
        return;
    }
    report(cx, found.instr, keyword, &args.text);
}

fn report(cx: &mut Ctx, instr: &Instruction, keyword: &str, text: &str) {
    let help = match exec_form(text) {
        Some(exec) => format!("use the exec form: `{keyword} {exec}`"),
        None => format!(
            "use the exec form, `{keyword} [\"program\", \"arg\"]`, or start the command with `exec`"
        ),
    };
    cx.report(
        instr.span,
        format!("`{keyword}` in shell form runs under `/bin/sh -c`, which does not pass `SIGTERM` on to the process"),
    )
    .help(help);
}

/// The exec form of a plain command line, when it has no shell syntax to lose.
fn exec_form(text: &str) -> Option<String> {
    let shell_syntax = |c: char| "$`\"'\\|&;<>(){}*?[]~#=".contains(c);
    if text.contains(shell_syntax) {
        return None;
    }
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| format!("[{}]", words.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_exec_form_for_plain_commands() {
        assert_eq!(
            exec_form("node server.js").as_deref(),
            Some(r#"["node", "server.js"]"#)
        );
        assert_eq!(exec_form("node $APP"), None);
        assert_eq!(exec_form("a && b"), None);
    }
}
