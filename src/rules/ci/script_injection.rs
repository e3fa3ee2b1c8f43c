//! Attacker-controlled text expanded into scripts: GitHub expressions such as
//! `${{ github.event.issue.title }}` inside `run:` (and `actions/github-script`), and GitLab
//! variables such as `$CI_MERGE_REQUEST_TITLE` inside text that a shell evaluates again.
use crate::formats::ci::expr::{context_paths, expressions, path_contains, path_matches};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "ci/script-injection",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/ci/script-injection.md"),
    check: Check::Ci(check),
};

/// GitHub contexts whose text whoever opens an issue, a pull request, a comment or a commit
/// chooses (`*` is one segment: a list index).
const UNTRUSTED_CONTEXTS: &[&str] = &[
    "github.head_ref",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.email",
    "github.event.commits.*.author.name",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.pull_requests.*.head.ref",
    "github.event.merge_group.head_commit.message",
];

/// GitLab predefined variables whose text a contributor chooses: commit messages, branch
/// names, merge request titles and descriptions.
const UNTRUSTED_VARIABLES: &[&str] = &[
    "CI_COMMIT_AUTHOR",
    "CI_COMMIT_BRANCH",
    "CI_COMMIT_DESCRIPTION",
    "CI_COMMIT_MESSAGE",
    "CI_COMMIT_REF_NAME",
    "CI_COMMIT_TAG_MESSAGE",
    "CI_COMMIT_TITLE",
    "CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME",
    "CI_MERGE_REQUEST_DESCRIPTION",
    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
    "CI_MERGE_REQUEST_TITLE",
];

/// Shells that run their `-c` argument as a script.
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "ash", "pwsh"];

/// Interpreters that run their `-c` or `-e` argument as code.
const INTERPRETERS: &[&str] = &["python", "python3", "node", "perl", "ruby", "php"];

const RUN_HELP: &str = "pass the value through `env:` (`TITLE: ${{ … }}`) and use it quoted as a shell variable (`\"$TITLE\"`)";
const SCRIPT_HELP: &str =
    "pass the value through `env:` and read it in the script as `process.env.NAME`";
const GITLAB_HELP: &str = "use the variable as data (`\"$VAR\"`) in the command itself instead of inside text that is evaluated again";

fn check(file: &CiFile, cx: &mut Ctx) {
    if file.flavor == Flavor::Gitlab {
        for job in &file.jobs {
            for line in &job.scripts {
                check_gitlab_line(&line.text, cx);
            }
        }
        return;
    }
    let author_only = pull_request_author_only(file);
    let steps = file.all_steps();
    let scripts: Vec<(String, Text)> = steps
        .iter()
        .filter_map(|(_, step)| {
            let uses = step.uses.as_ref()?;
            let node = step
                .input("script")
                .filter(|_| uses.is("actions/github-script"))?;
            let text = Text::of(node, &cx.source().text)?;
            Some((format!("the JavaScript of {}", step.label()), text))
        })
        .collect();
    for (_, step) in &steps {
        if let Some(run) = &step.run {
            check_github_text(
                run,
                &format!("the script of {}", step.label()),
                RUN_HELP,
                author_only,
                cx,
            );
        }
    }
    for (place, script) in &scripts {
        check_github_text(script, place, SCRIPT_HELP, author_only, cx);
    }
}

/// Whether the pull request contexts of a workflow are filled in only by `pull_request` runs:
/// a workflow (not an action or a reusable workflow, which get their caller's event) without
/// `pull_request_target`. Such a run executes the workflow files of the pull request itself,
/// so whoever writes the branch name or the title can already change the code it runs.
fn pull_request_author_only(file: &CiFile) -> bool {
    file.flavor == Flavor::Workflow
        && !file.triggers.is_empty()
        && !file.has_trigger("pull_request_target")
        && !file.has_trigger("workflow_call")
}

/// Contexts that only pull request events fill in.
fn is_pull_request_context(path: &str) -> bool {
    path == "github.head_ref" || path.starts_with("github.event.pull_request.")
}

/// Report each expression of `text` that reads an untrusted context.
fn check_github_text(text: &Text, place: &str, help: &str, author_only: bool, cx: &mut Ctx) {
    for range in expressions(text.as_str()) {
        let Some(expr) = text.as_str().get(range.clone()) else {
            continue;
        };
        let serialized = expr.to_ascii_lowercase().contains("tojson(");
        let untrusted = context_paths(expr).into_iter().find_map(|(_, path)| {
            let hit = UNTRUSTED_CONTEXTS
                .iter()
                .any(|p| path_matches(p, &path) || (serialized && path_contains(&path, p)));
            hit.then_some(path)
        });
        if let Some(path) = untrusted {
            let own = author_only && is_pull_request_context(&path);
            let message = if own {
                format!(
                    "`{path}` is expanded into {place}, where its text runs as code (only in `pull_request` runs, whose author already controls the workflow)"
                )
            } else {
                format!("`{path}` is expanded into {place}, where its text runs as code")
            };
            let finding = cx.report(text.span_of(range), message).help(help);
            if own {
                finding.severity = Severity::Warning;
            }
        }
    }
}

/// Report untrusted variables that a GitLab script line hands to `eval`, to `sh -c` or to an
/// interpreter's `-c`/`-e`: the shell substitutes them, and the evaluated text runs them.
fn check_gitlab_line(text: &Text, cx: &mut Ctx) {
    let line = text.as_str();
    let Some(from) = evaluated_from(line) else {
        return;
    };
    for (range, name) in variables(line) {
        if range.start >= from && UNTRUSTED_VARIABLES.contains(&name) {
            cx.report(
                text.span_of(range),
                format!("`${name}` is substituted into text that the shell evaluates again"),
            )
            .help(GITLAB_HELP);
        }
    }
}

/// The byte offset after which a line's text is evaluated a second time: after `eval`, after
/// `sh -c`, after `python -c`; `None` when nothing is.
fn evaluated_from(line: &str) -> Option<usize> {
    let words: Vec<(usize, &str)> = words(line);
    for (i, (at, word)) in words.iter().enumerate() {
        let name = word.rsplit('/').next().unwrap_or(word);
        let next = words.get(i + 1).map(|(_, w)| *w);
        if name == "eval" {
            return Some(at + word.len());
        }
        let flag = next.is_some_and(|n| {
            n.starts_with('-')
                && !n.starts_with("--")
                && (n.contains('c') || (INTERPRETERS.contains(&name) && n.contains('e')))
        });
        if (SHELLS.contains(&name) || INTERPRETERS.contains(&name)) && flag {
            return Some(at + word.len());
        }
    }
    None
}

/// Whitespace-separated words with their offsets, quotes and command separators trimmed.
fn words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        if c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '`') {
            if let Some(s) = start.take() {
                let word = line.get(s..i).unwrap_or("");
                let trimmed = word.trim_start_matches(['"', '\'']);
                out.push((
                    s + word.len() - trimmed.len(),
                    trimmed.trim_end_matches(['"', '\'']),
                ));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

/// `$NAME` and `${NAME}` references of a line with their ranges (`$$` is an escaped dollar).
fn variables(line: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'$' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        let braced = bytes.get(i + 1) == Some(&b'{');
        let start = if braced { i + 2 } else { i + 1 };
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            end += 1;
        }
        let close = if braced && bytes.get(end) == Some(&b'}') {
            end + 1
        } else {
            end
        };
        if end > start
            && let Some(name) = line.get(start..end)
        {
            out.push((i..close, name));
        }
        i = close.max(i + 1);
    }
    out
}
