//! Code fetched over the network and run, or downloads that skip verification.
use super::no_multi_stage_build::is_python;
use super::shell::{self, Command, Word};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/unverified-remote-code",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/docker/unverified-remote-code.md"),
    check: Check::Docker(check),
};

const RUN_HELP: &str = "download to a file, check its published checksum or signature, then run it";

fn check(file: &Dockerfile, cx: &mut Ctx) {
    for stage in &file.stages {
        let posix = shell::stage_uses_posix_shell(file, stage);
        for instr in file.body(stage) {
            match instr.kind {
                Kind::Add => check_add(instr, cx),
                Kind::Run if posix => check_run(instr, cx),
                _ => {}
            }
        }
    }
}

/// `ADD <url>` without `--checksum=`.
fn check_add(instr: &Instruction, cx: &mut Ctx) {
    if instr.flag("checksum").is_some() {
        return;
    }
    for source in instr.copy_sources().0 {
        let url = source.value.to_ascii_lowercase();
        if url.starts_with("http://") || url.starts_with("https://") {
            cx.report(
                source.span,
                format!("`ADD` downloads `{}` without `--checksum`", source.value),
            )
            .help("add `--checksum=sha256:<digest>` so the build fails when the file changes");
        }
    }
}

fn check_run(instr: &Instruction, cx: &mut Ctx) {
    let commands = shell::commands(instr);
    let all = shell::walk(&commands);
    for (i, cmd) in all.iter().enumerate() {
        let Some(name) = cmd.name() else {
            continue;
        };
        // `curl … | sh`: a downloader earlier in the same pipeline.
        if is_interpreter(name) {
            let source = all
                .get(..i)
                .unwrap_or(&[])
                .iter()
                .find(|c| c.pipeline == cmd.pipeline && c.name().is_some_and(is_downloader));
            if let Some(source) = source {
                let fetch = source.name().unwrap_or("");
                let span = source
                    .name_word()
                    .map_or(cmd.span(), |w| w.span.cover(cmd.span_through(0)));
                cx.report(
                    span,
                    format!("`{fetch}` output is piped into `{name}` without verification"),
                )
                .help(RUN_HELP);
                continue;
            }
        }
        // `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget -O- …)"`.
        if is_interpreter(name) || matches!(name, "eval" | "source" | ".") {
            let fetched = cmd.args().iter().find_map(downloaded_by);
            if let Some(fetch) = fetched {
                cx.report(
                    cmd.span(),
                    format!("`{name}` runs a script downloaded by `{fetch}` without verification"),
                )
                .help(RUN_HELP);
                continue;
            }
        }
        if let Some(flag) = insecure_flag(cmd) {
            cx.report(
                flag.span,
                format!(
                    "`{}` turns off TLS certificate verification of `{name}`",
                    flag.text
                ),
            )
            .help("remove the flag and install the CA certificate the server needs");
        }
    }
}

/// The downloader inside a word that is nothing but a substitution.
fn downloaded_by(word: &Word) -> Option<&str> {
    if !word.whole_substitution {
        return None;
    }
    shell::walk(&word.nested)
        .into_iter()
        .filter_map(Command::name)
        .find(|n| is_downloader(n))
}

fn is_downloader(name: &str) -> bool {
    matches!(name, "curl" | "wget")
}

fn is_interpreter(name: &str) -> bool {
    shell::is_posix_shell(name)
        || is_python(name)
        || matches!(name, "perl" | "ruby" | "node" | "nodejs")
}

/// `curl -k`/`--insecure` (also inside a cluster such as `-fsSLk`), `wget
/// --no-check-certificate`.
fn insecure_flag(cmd: &Command) -> Option<&Word> {
    match cmd.name()? {
        "curl" => cmd.args().iter().find(|w| {
            let text = w.text.as_str();
            text == "--insecure" || (!text.starts_with("--") && short_cluster_has_k(text))
        }),
        "wget" => cmd
            .args()
            .iter()
            .find(|w| w.text == "--no-check-certificate"),
        _ => None,
    }
}

/// Whether a curl short-option cluster (`-fsSLk`) contains `-k`. Letters after an option that
/// takes a value (`-o`, `-H`, `-u` …) are that value, not options.
fn short_cluster_has_k(text: &str) -> bool {
    let Some(letters) = text.strip_prefix('-') else {
        return false;
    };
    for c in letters.chars() {
        if c == 'k' {
            return true;
        }
        if "AbcCdDeEFHKmoPQrtTuUwxXyYz".contains(c) || !c.is_ascii_alphanumeric() {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_clusters() {
        assert!(short_cluster_has_k("-k"));
        assert!(short_cluster_has_k("-fsSLk"));
        assert!(!short_cluster_has_k("-fsSL"));
        assert!(!short_cluster_has_k("-ok"));
        assert!(!short_cluster_has_k("-Hk"));
        assert!(!short_cluster_has_k("k"));
    }
}
