//! GitHub workflows whose token may write more than the jobs need: `write-all`, or no
//! `permissions` block where the default token is risky.
use super::activity::{Command, Place, commands};
use crate::rules::prelude::*;
use crate::source::Span;

pub(crate) static RULE: Rule = Rule {
    id: "ci/excessive-permissions",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/ci/excessive-permissions.md"),
    check: Check::Ci(check),
};

/// Events that run untrusted input (comments, forks' pull requests, their artifacts) with a
/// token that can write.
const PRIVILEGED: &[&str] = &["pull_request_target", "issue_comment", "workflow_run"];

/// Events whose token is read-only for forks, or set by the caller.
const NOT_WRITE_TOKEN: &[&str] = &[
    "pull_request",
    "pull_request_review",
    "pull_request_review_comment",
    "workflow_call",
];

/// Actions that write to the repository, its releases, issues, pull requests, packages or
/// code-scanning alerts with the token they are given (the job's by default).
const WRITING_ACTIONS: &[&str] = &[
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "actions/create-release",
    "actions/upload-release-asset",
    "svenstaro/upload-release-action",
    "peter-evans/create-pull-request",
    "peter-evans/create-or-update-comment",
    "peter-evans/commit-comment",
    "marocchino/sticky-pull-request-comment",
    "thollander/actions-comment-pull-request",
    "mshick/add-pr-comment",
    "stefanzweifel/git-auto-commit-action",
    "endbug/add-and-commit",
    "ad-m/github-push-action",
    "jamesives/github-pages-deploy-action",
    "peaceiris/actions-gh-pages",
    "actions/labeler",
    "actions/stale",
    "actions/first-interaction",
    "actions/deploy-pages",
    "actions/add-to-project",
    "dessant/lock-threads",
    "release-drafter/release-drafter",
    "googleapis/release-please-action",
    "google-github-actions/release-please-action",
    "changesets/action",
    "goreleaser/goreleaser-action",
    "mathieudutour/github-tag-action",
    "rickstaa/action-create-tag",
    "github/codeql-action",
];

fn check(file: &CiFile, cx: &mut Ctx) {
    if file.flavor != Flavor::Workflow {
        return;
    }
    if let Some(perms) = &file.permissions {
        if matches!(perms.kind, PermissionsKind::WriteAll) {
            write_all(perms, "every job", cx);
        } else if !matches!(perms.kind, PermissionsKind::Other) {
            let at = file
                .root
                .as_ref()
                .and_then(|r| r.entry("permissions"))
                .map_or(perms.node.span, |e| e.key.span);
            cx.pass(
                at,
                format!("the workflow's token is limited to {}", describe(perms)),
            );
        }
    }
    for job in &file.jobs {
        let Some(perms) = &job.permissions else {
            continue;
        };
        match perms.kind {
            PermissionsKind::WriteAll => {
                write_all(perms, &format!("job `{}`", job.id.value), cx);
            }
            PermissionsKind::Other => {}
            _ if file.permissions.is_none() => {
                let at = job
                    .node
                    .entry("permissions")
                    .map_or(perms.node.span, |e| e.key.span);
                cx.pass(
                    at,
                    format!(
                        "job `{}` limits its token to {}",
                        job.id.value,
                        describe(perms)
                    ),
                );
            }
            _ => {}
        }
    }
    if file.permissions.is_some() {
        return;
    }
    let open: Vec<&Job> = file
        .jobs
        .iter()
        .filter(|j| j.permissions.is_none())
        .collect();
    if open.is_empty() {
        return;
    }
    if let Some(trigger) = PRIVILEGED.iter().find_map(|e| file.trigger(e)) {
        let names: Vec<String> = open.iter().map(|j| format!("`{}`", j.id.value)).collect();
        let subject = if names.len() == 1 { "job" } else { "jobs" };
        let verb = if names.len() == 1 { "runs" } else { "run" };
        cx.report(
            trigger.event.span,
            format!(
                "no `permissions` block: {subject} {} {verb} with the default token permissions on `{}`",
                names.join(", "),
                trigger.event.value
            ),
        )
        .help("add `permissions: {}` (or `contents: read`) at the top of the workflow and grant writes per job");
        return;
    }
    let write_token = file
        .triggers
        .iter()
        .any(|t| !NOT_WRITE_TOKEN.contains(&t.event.value.as_str()));
    if !write_token {
        return;
    }
    for job in open {
        if let Some((at, what)) = job.steps.iter().find_map(|s| writes(file, job, s)) {
            cx.report(
                at,
                format!(
                    "job `{}` has no `permissions` block and writes with the default token ({what})",
                    job.id.value
                ),
            )
            .help("declare only the scopes the job needs (such as `contents: write`) in a job-level `permissions` block");
        }
    }
}

fn write_all(perms: &Permissions, owner: &str, cx: &mut Ctx) {
    cx.report(
        perms.node.span,
        format!("`write-all` gives the token of {owner} write access to every scope"),
    )
    .help(
        "list only the scopes the jobs need (such as `contents: read`) and grant `write` per job",
    );
}

/// The scopes of a permissions value, for messages.
fn describe(perms: &Permissions) -> String {
    match &perms.kind {
        PermissionsKind::ReadAll => "`read-all`".to_string(),
        PermissionsKind::Scopes(scopes) if scopes.is_empty() => "no scope at all".to_string(),
        PermissionsKind::Scopes(scopes) => {
            let mut parts: Vec<String> = scopes
                .iter()
                .take(3)
                .map(|s| format!("`{}: {}`", s.name.value, s.value.as_str().unwrap_or("")))
                .collect();
            if scopes.len() > 3 {
                parts.push(format!("{} more", scopes.len() - 3));
            }
            parts.join(", ")
        }
        PermissionsKind::WriteAll | PermissionsKind::Other => String::new(),
    }
}

/// What a step writes with the job's token, for the message; `None` when it only reads or
/// brings its own token.
fn writes(file: &CiFile, job: &Job, step: &Step) -> Option<(Span, String)> {
    if let Some(uses) = &step.uses {
        let own_token = ["token", "github-token", "repo-token", "github_token"]
            .iter()
            .filter_map(|k| step.input(k).and_then(Node::as_str))
            .any(|t| !is_default_token(t));
        if own_token {
            return None;
        }
        let action = uses.slug()?;
        if WRITING_ACTIONS.contains(&action.as_str()) {
            return Some((step.anchor(), format!("`{}`", uses.action())));
        }
        if action == "actions/github-script" {
            let script = step.input("script").and_then(Node::as_str).unwrap_or("");
            let mutates = [
                ".create", ".update", ".add", ".remove", ".delete", ".merge", ".lock",
            ]
            .iter()
            .any(|m| script.contains(m));
            return mutates.then(|| (step.anchor(), "`actions/github-script`".to_string()));
        }
        if action == "docker/login-action" {
            let registry = step.input("registry").and_then(Node::as_str).unwrap_or("");
            let password = step.input("password").and_then(Node::as_str).unwrap_or("");
            return (registry.contains("ghcr.io") && is_default_token(password))
                .then(|| (step.anchor(), "a login to `ghcr.io`".to_string()));
        }
        return None;
    }
    let run = step.run.as_ref()?;
    let place = Place {
        step: Some(step),
        text: Some(run),
        via: None,
    };
    let gh_token = token_env(file, job, step);
    commands(run.as_str()).iter().find_map(|cmd| {
        let what =
            if is_git_push(cmd) || (cmd.program() == "mkdocs" && cmd.sub() == Some("gh-deploy")) {
                checkout_keeps_default_token(job)
            } else {
                gh_token && is_gh_write(cmd)
            };
        what.then(|| {
            let shown: Vec<&str> = cmd.words.iter().take(3).map(String::as_str).collect();
            (place.span_of(cmd), format!("`{}`", shown.join(" ")))
        })
    })
}

fn is_default_token(value: &str) -> bool {
    let v = value.replace(' ', "");
    v.contains("secrets.GITHUB_TOKEN") || v.contains("github.token")
}

/// Whether `gh` gets the job's token: `GH_TOKEN` or `GITHUB_TOKEN` set to it in the step, job
/// or workflow environment.
fn token_env(file: &CiFile, job: &Job, step: &Step) -> bool {
    step.env
        .iter()
        .chain(&job.env)
        .chain(&file.env)
        .find(|v| v.name() == "GH_TOKEN" || v.name() == "GITHUB_TOKEN")
        .and_then(Var::text)
        .is_some_and(is_default_token)
}

fn is_git_push(cmd: &Command) -> bool {
    cmd.program() == "git" && cmd.sub() == Some("push")
}

/// Whether the job's checkout leaves the job's token in the git configuration (the default).
fn checkout_keeps_default_token(job: &Job) -> bool {
    job.steps
        .iter()
        .find(|s| s.uses.as_ref().is_some_and(|u| u.is("actions/checkout")))
        .is_some_and(|s| {
            let token = s.input("token").and_then(Node::as_str);
            let persist = s.input("persist-credentials");
            let persists =
                persist.is_none_or(|p| p.as_bool() != Some(false) && p.as_str() != Some("false"));
            persists && token.is_none_or(is_default_token)
        })
}

fn is_gh_write(cmd: &Command) -> bool {
    if cmd.program() != "gh" {
        return false;
    }
    let ops: Vec<&str> = cmd.operands().collect();
    match ops.as_slice() {
        ["release", verb, ..] => matches!(*verb, "create" | "upload" | "edit" | "delete"),
        ["pr", verb, ..] => matches!(*verb, "create" | "merge" | "comment" | "edit" | "review" | "close" | "reopen"),
        ["issue", verb, ..] => matches!(*verb, "create" | "comment" | "edit" | "close" | "reopen" | "delete"),
        ["label", verb, ..] => matches!(*verb, "create" | "edit" | "delete"),
        ["workflow", "run", ..] | ["run", "rerun" | "cancel", ..] => true,
        ["api", ..] => cmd.args().windows(2).any(|w| {
            matches!(w, [flag, method] if (*flag == "-X" || *flag == "--method") && !method.eq_ignore_ascii_case("GET"))
        }) || cmd.args().iter().any(|w| *w == "-f" || *w == "-F" || w.starts_with("--field") || w.starts_with("--raw-field")),
        _ => false,
    }
}
