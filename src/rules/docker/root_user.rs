//! The final stage runs as root because of an explicit `USER`.
use crate::rules::prelude::*;
use crate::rules::shared::interpolate::{lookup_in, stage_vars, substitute};

pub(crate) static RULE: Rule = Rule {
    id: "docker/root-user",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/docker/root-user.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(last) = file.final_stage() else {
        return;
    };
    // Without a USER the image runs as its base image's user: `docker/missing-user`.
    let Some(user) = file.effective(last, Kind::User) else {
        return;
    };
    let written = user.instr.args.text.trim();
    let vars = stage_vars(file, user.stage, user.index);
    let resolved = substitute(written, lookup_in(&vars));
    if resolved.contains('$') || resolved.is_empty() {
        return;
    }
    let name = resolved.split(':').next().unwrap_or("");
    let inherited = match (user.stage.index == last.index, &user.stage.alias) {
        (false, Some(alias)) => format!(", inherited from stage `{}`", alias.value),
        _ => String::new(),
    };
    if is_root(name) {
        let who = if name == "root" {
            "`root`".to_string()
        } else {
            format!("UID `{name}`, which is root")
        };
        let via = if resolved == written {
            String::new()
        } else {
            format!(" (from `{written}`)")
        };
        let drops = drops_privileges(file, last);
        let finding = cx.report(
            user.instr.span,
            format!("the final stage runs as {who}{via}{inherited}"),
        );
        finding
            .help("end the final stage with `USER` naming a non-root user, such as `USER 10001`");
        if let Some(tool) = drops {
            // The entrypoint starts as root only to switch to another user: a deliberate design.
            finding.message.push_str(&format!(
                ", though its command switches users with `{tool}`"
            ));
            finding.severity = Severity::Warning;
        }
    } else {
        cx.pass(
            user.instr.span,
            format!("runs as non-root user `{name}`{inherited}"),
        );
    }
}

/// Programs that start a process as another user: an entrypoint that runs one starts as root
/// only to drop to an unprivileged user (`/init` is s6-overlay's, which drops per service).
const PRIVILEGE_DROPPERS: &[&str] = &[
    "gosu",
    "su-exec",
    "setpriv",
    "s6-setuidgid",
    "runuser",
    "chpst",
    "setuidgid",
    "/init",
];

/// The privilege-dropping program the final stage's `ENTRYPOINT` or `CMD` runs, if any.
fn drops_privileges(file: &Dockerfile, last: &Stage) -> Option<&'static str> {
    [Kind::Entrypoint, Kind::Cmd]
        .into_iter()
        .filter_map(|kind| file.effective(last, kind))
        .find_map(|found| {
            found
                .instr
                .args
                .text
                .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '"' | '\'' | ','))
                .find_map(|word| {
                    PRIVILEGE_DROPPERS.iter().copied().find(|tool| {
                        word == *tool
                            || (!tool.starts_with('/') && word.rsplit('/').next() == Some(*tool))
                    })
                })
        })
}

/// `root` or UID 0 (written `0`, `00`, …).
fn is_root(user: &str) -> bool {
    user == "root" || (!user.is_empty() && user.bytes().all(|b| b == b'0'))
}
