//! Privileged workflows (`pull_request_target`, `workflow_run`) that check out a pull
//! request's code and then run something from it.
use crate::formats::ci::expr::{context_paths, expressions, path_matches};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "ci/untrusted-checkout",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/ci/untrusted-checkout.md"),
    check: Check::Ci(check),
};

/// Events whose workflows run with the base repository's secrets and a write token even when
/// a fork triggered them.
const PRIVILEGED_EVENTS: &[&str] = &["pull_request_target", "workflow_run"];

/// Contexts that name the pull request's own commits, branches or repository.
const HEAD_CONTEXTS: &[&str] = &[
    "github.head_ref",
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.repo.full_name",
    "github.event.pull_request.merge_commit_sha",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.id",
    "github.event.workflow_run.head_repository.full_name",
    "github.event.workflow_run.pull_requests.*.head.sha",
    "github.event.workflow_run.pull_requests.*.head.ref",
];

const HELP: &str = "build and test the pull request in a `pull_request` workflow, which has no secrets, and hand its results to the privileged workflow as artifacts";

fn check(file: &CiFile, cx: &mut Ctx) {
    let Some(event) = PRIVILEGED_EVENTS
        .iter()
        .find(|e| file.has_trigger(e))
        .copied()
    else {
        return;
    };
    for job in &file.jobs {
        if same_repository_only(job) {
            continue;
        }
        for (i, step) in job.steps.iter().enumerate() {
            let Some((span, what)) = untrusted_checkout(step) else {
                continue;
            };
            let Some(runner) = job.steps.iter().skip(i + 1).find(|s| runs_code(s)) else {
                continue;
            };
            cx.report(
                span,
                format!(
                    "the pull request's code, checked out with {what}, is run by {} in a `{event}` workflow",
                    runner.label()
                ),
            )
            .help(HELP);
        }
    }
}

/// A job guarded by `…head.repo.full_name == github.repository` (or `…head.repo.fork == false`)
/// only runs for branches of the repository itself, whose authors already have write access.
fn same_repository_only(job: &Job) -> bool {
    let Some(condition) = job.condition.as_ref().and_then(Node::as_str) else {
        return false;
    };
    let compact: String = condition
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.contains("head.repo.full_name==github.repository")
        || compact.contains("github.repository==github.event.pull_request.head.repo.full_name")
        || compact.contains("head.repo.fork==false")
        || compact.contains("!github.event.pull_request.head.repo.fork")
}

/// Where a step checks out the pull request's code, and what names it: a checkout action with
/// a head `ref` or `repository`, or a script that fetches the pull request.
fn untrusted_checkout(step: &Step) -> Option<(Span, String)> {
    if step.uses.as_ref().is_some_and(|u| u.is("actions/checkout")) {
        for input in ["ref", "repository"] {
            let Some(node) = step.input(input) else {
                continue;
            };
            let text = node.as_str().unwrap_or("");
            if let Some(path) = head_context(text) {
                return Some((node.span, format!("`{path}`")));
            }
            if text.contains("refs/pull/") {
                return Some((node.span, format!("`{}`", text.trim())));
            }
        }
        return None;
    }
    let run = step.run.as_ref()?;
    let text = run.as_str();
    if let Some(span) = run.find("gh pr checkout") {
        return Some((span, "`gh pr checkout`".to_string()));
    }
    let fetches = ["git fetch", "git checkout", "git switch", "git pull"]
        .iter()
        .any(|c| text.contains(c));
    if !fetches {
        return None;
    }
    if let Some(span) = run.find("refs/pull/") {
        return Some((span, "`refs/pull/…`".to_string()));
    }
    for range in expressions(text) {
        if let Some(path) = text.get(range.clone()).and_then(head_context) {
            return Some((run.span_of(range), format!("`{path}`")));
        }
    }
    None
}

/// The first head context an expression text reads.
fn head_context(text: &str) -> Option<String> {
    expressions(text).into_iter().find_map(|range| {
        let expr = text.get(range)?;
        context_paths(expr)
            .into_iter()
            .map(|(_, path)| path)
            .find(|path| HEAD_CONTEXTS.iter().any(|p| path_matches(p, path)))
    })
}

/// Whether a step runs code from the workspace: a script, or a local action.
fn runs_code(step: &Step) -> bool {
    step.run.is_some()
        || step
            .uses
            .as_ref()
            .is_some_and(|u| matches!(u.target, Target::Local(_)))
}
