//! Health checks that cannot fail, or that only repeat what Docker already knows.
use crate::formats::docker::{Command, Healthcheck};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/ineffective-healthcheck",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/docker/ineffective-healthcheck.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(found) = file
        .final_stage()
        .and_then(|s| file.effective(s, Kind::Healthcheck))
    else {
        return;
    };
    let Some(Healthcheck::Cmd(command)) = found.instr.healthcheck() else {
        return;
    };
    let script = match command {
        Command::Shell(args) => {
            if file.non_posix_shell(found.stage) {
                return;
            }
            args.text.clone()
        }
        Command::Exec(elements) => exec_script(elements),
    };
    let Some(verdict) = judge(&script) else {
        return;
    };
    let span = found
        .instr
        .trigger
        .as_deref()
        .map_or(found.instr.span, |t| t.args.span);
    let message = match verdict {
        Verdict::AlwaysSucceeds => format!("health check `{}` always succeeds", script.trim()),
        Verdict::Swallows(tail) => {
            format!("health check ends in `{tail}`, so it never reports failure")
        }
        Verdict::Trivial(name) => {
            format!("health check only runs `{name}`, which does not test the service")
        }
        Verdict::ProcessOnly(name) => format!(
            "health check only uses `{name}` to see that a process exists, which Docker already knows"
        ),
    };
    cx.report(span, message).help(
        "probe what the service does and fail when it cannot, such as `curl -fsS http://localhost:8080/health || exit 1`",
    );
}

/// The script an exec-form command runs: the `-c` argument of a shell, or the words joined.
fn exec_script(elements: &[Spanned<String>]) -> String {
    let words: Vec<&str> = elements.iter().map(|e| e.value.as_str()).collect();
    if let [program, flag, script, ..] = words.as_slice()
        && matches!(basename(program), "sh" | "bash" | "ash" | "dash")
        && *flag == "-c"
    {
        return (*script).to_string();
    }
    words.join(" ")
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    AlwaysSucceeds,
    /// The separator and the command that turns any failure into success.
    Swallows(String),
    Trivial(&'static str),
    ProcessOnly(&'static str),
}

/// How two commands of a list are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    Start,
    And,
    Or,
    Seq,
    Pipe,
}

/// What a single command does, as far as a health check goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// `true`, `:`, `exit 0`.
    Success,
    /// `exit` with a non-zero status: keeps the failure of what came before.
    Fail,
    Trivial(&'static str),
    Process(&'static str),
    /// Text filters at the end of a pipeline.
    Filter,
    Other,
}

/// Whether a health check script can fail, and why not (shared with the compose rule).
pub(crate) fn judge(script: &str) -> Option<Verdict> {
    let commands: Vec<(Sep, &str)> = split(script)
        .into_iter()
        .filter(|(_, c)| !c.trim().is_empty())
        .collect();
    let &(last_sep, last) = commands.last()?;
    if commands.len() > 1 && matches!(last_sep, Sep::Or | Sep::Seq) && role(last) == Role::Success {
        let sep = if last_sep == Sep::Or { "|| " } else { "; " };
        return Some(Verdict::Swallows(format!("{sep}{}", last.trim())));
    }
    let mut verdict = None;
    for &(sep, command) in &commands {
        match role(command) {
            Role::Other => return None,
            Role::Filter if sep == Sep::Pipe => {}
            Role::Filter => return None,
            Role::Fail => {}
            Role::Success => {
                verdict.get_or_insert(Verdict::AlwaysSucceeds);
            }
            Role::Trivial(name) => {
                if matches!(verdict, None | Some(Verdict::AlwaysSucceeds)) {
                    verdict = Some(Verdict::Trivial(name));
                }
            }
            Role::Process(name) => {
                if !matches!(verdict, Some(Verdict::ProcessOnly(_))) {
                    verdict = Some(Verdict::ProcessOnly(name));
                }
            }
        }
    }
    verdict
}

fn role(command: &str) -> Role {
    let words: Vec<&str> = command
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
        .collect();
    let Some(&first) = words.first() else {
        return Role::Other;
    };
    let second = words.get(1).copied();
    match (basename(first), second) {
        ("true" | ":", _) => Role::Success,
        ("exit", Some("0")) => Role::Success,
        ("exit", _) => Role::Fail,
        ("echo", _) => Role::Trivial("echo"),
        ("ls", _) => Role::Trivial("ls"),
        ("test" | "[" | "[[", Some("-e")) => Role::Trivial("test -e"),
        ("pgrep", _) => Role::Process("pgrep"),
        ("pidof", _) => Role::Process("pidof"),
        ("ps", _) => Role::Process("ps"),
        ("kill", Some("-0")) => Role::Process("kill -0"),
        ("grep" | "egrep" | "fgrep" | "wc" | "head" | "tail" | "awk" | "sed" | "sort", _) => {
            Role::Filter
        }
        _ => Role::Other,
    }
}

/// Split a shell list at `&&`, `||`, `;`, `|`, `&` and newlines outside quotes. Command
/// substitutions make a script too dynamic to judge: they yield one `Other` command.
fn split(script: &str) -> Vec<(Sep, &str)> {
    if script.contains("$(") || script.contains('`') {
        return vec![(Sep::Start, script), (Sep::Seq, "$(…)")];
    }
    let bytes = script.as_bytes();
    let mut out = vec![];
    let mut sep = Sep::Start;
    let mut start = 0;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(q) = quote {
            if b == q {
                quote = None;
            } else if b == b'\\' && q == b'"' {
                i += 1;
            }
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let found = match (b, next) {
            (b'\'' | b'"', _) => {
                quote = Some(b);
                None
            }
            (b'\\', _) => {
                i += 1;
                None
            }
            (b'&', Some(b'&')) => Some((Sep::And, 2)),
            (b'|', Some(b'|')) => Some((Sep::Or, 2)),
            (b'|', _) => Some((Sep::Pipe, 1)),
            (b';' | b'\n' | b'&', _) => Some((Sep::Seq, 1)),
            _ => None,
        };
        match found {
            Some((next_sep, len)) => {
                out.push((sep, script.get(start..i).unwrap_or("")));
                sep = next_sep;
                i += len;
                start = i;
            }
            None => i += 1,
        }
    }
    out.push((sep, script.get(start..).unwrap_or("")));
    out
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_checks_that_cannot_fail() {
        assert_eq!(judge("true"), Some(Verdict::AlwaysSucceeds));
        assert_eq!(judge(":"), Some(Verdict::AlwaysSucceeds));
        assert_eq!(judge("exit 0"), Some(Verdict::AlwaysSucceeds));
        assert_eq!(
            judge("curl -f http://localhost/ || true"),
            Some(Verdict::Swallows("|| true".into()))
        );
        assert_eq!(
            judge("curl -f http://localhost/ || exit 0"),
            Some(Verdict::Swallows("|| exit 0".into()))
        );
        assert_eq!(
            judge("curl -f http://localhost/; exit 0"),
            Some(Verdict::Swallows("; exit 0".into()))
        );
    }

    #[test]
    fn flags_checks_that_test_nothing() {
        assert_eq!(judge("echo ok"), Some(Verdict::Trivial("echo")));
        assert_eq!(judge("ls /app"), Some(Verdict::Trivial("ls")));
        assert_eq!(
            judge("test -e /app/ready"),
            Some(Verdict::Trivial("test -e"))
        );
        assert_eq!(
            judge("[ -e /app/ready ]"),
            Some(Verdict::Trivial("test -e"))
        );
        assert_eq!(
            judge("pgrep nginx || exit 1"),
            Some(Verdict::ProcessOnly("pgrep"))
        );
        assert_eq!(
            judge("ps aux | grep -q app"),
            Some(Verdict::ProcessOnly("ps"))
        );
        assert_eq!(judge("kill -0 1"), Some(Verdict::ProcessOnly("kill -0")));
        assert_eq!(
            judge("/usr/bin/pidof java"),
            Some(Verdict::ProcessOnly("pidof"))
        );
    }

    #[test]
    fn real_probes_are_fine() {
        assert_eq!(
            judge("curl -fsS http://localhost:8080/health || exit 1"),
            None
        );
        assert_eq!(judge("pgrep app && curl -f http://localhost/"), None);
        assert_eq!(judge("wget -qO- http://localhost/ | grep ok"), None);
        assert_eq!(judge("echo \"$(curl -s localhost)\""), None);
        assert_eq!(judge("grep ok /tmp/status"), None);
        assert_eq!(judge("exit 1"), None);
        assert_eq!(judge("test -f /tmp/healthy"), None);
        assert_eq!(judge("echo 'a || true' | nc -z localhost 80"), None);
    }

    #[test]
    fn exec_form_scripts() {
        let el = |s: &str| Spanned::new(s.to_string(), Span::default());
        assert_eq!(exec_script(&[el("/bin/sh"), el("-c"), el("true")]), "true");
        assert_eq!(exec_script(&[el("pgrep"), el("nginx")]), "pgrep nginx");
    }
}
