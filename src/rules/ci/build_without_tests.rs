//! Jobs that push images or deploy without tests that must pass first: none earlier in the job,
//! none among the jobs it waits for.
use super::activity::{Place, places_through};
use super::activity::{commands, has_includes, is_test_name, tokens};
use super::deploys::{
    Ship, failure_ignored, gitlab_manual, gitlab_whens, job_places, ships, test_places,
};
use crate::formats::ci::unit::{Surroundings, is_gitlab_root};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "ci/build-without-tests",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/ci/build-without-tests.md"),
    check: Check::Ci(check),
};

fn check(file: &CiFile, cx: &mut Ctx) {
    match file.flavor {
        Flavor::Action => return,
        Flavor::Workflow if gated_elsewhere(file) => return,
        _ => {}
    }
    // Jobs of other files may run in the earlier stages of this pipeline.
    let unseen_stages =
        file.flavor == Flavor::Gitlab && (!is_gitlab_root(&cx.source().name) || has_includes(file));
    for job in file.runnable_jobs() {
        // A job started by hand is a release someone decided on, as a manual workflow is.
        if file.flavor == Flavor::Gitlab
            && (job.get("trigger").is_some()
                || file.extends_unseen(job)
                || gitlab_manual(file, job))
        {
            continue;
        }
        let places = run_places(file, &file.unit, job);
        let shipped = ships(file, job, &places);
        let Some(ship) = shipped.first() else {
            continue;
        };
        let first = shipped
            .iter()
            .filter_map(|s| s.place)
            .min()
            .unwrap_or(places.len());
        // A step whose `if:` runs it after a failure is not stopped by failing tests.
        let forced = shipped.iter().filter_map(|s| s.place).any(|i| {
            places
                .get(i)
                .and_then(|p| p.step)
                .and_then(|s| s.condition.as_ref())
                .and_then(Node::as_str)
                .is_some_and(ignores_failures)
        });
        if !forced && test_places(&places).iter().any(|t| *t < first) {
            cx.pass(
                job.anchor(),
                format!("job `{}` ships only after its own tests pass", job.id.value),
            );
            continue;
        }
        if candidate_push(file, job, &shipped) || republishes_release(file, job) {
            continue;
        }
        match gate(file, job, unseen_stages) {
            Gate::Tested(by) => {
                cx.pass(
                    job.anchor(),
                    format!(
                        "job `{}` ships only after the tests of `{by}` pass",
                        job.id.value
                    ),
                );
            }
            Gate::Unseen => {}
            Gate::Open => {
                let message = format!(
                    "job `{}` {} without tests that must pass first",
                    job.id.value, ship.what
                );
                let help = help(file, job);
                cx.report(job.anchor(), message).help(help);
            }
        }
    }
}

/// Whether a job only pushes a candidate image that tests of a later job check before anything
/// is released: no deploy, an image tag written out and none `latest`, and a test job that
/// waits for it.
fn candidate_push(file: &CiFile, job: &Job, shipped: &[Ship]) -> bool {
    let tags: Vec<&str> = shipped
        .iter()
        .flat_map(|s| s.target.iter().filter_map(|w| image_tag(w)))
        .collect();
    !shipped.iter().any(|s| s.deploy)
        && !tags.is_empty()
        && !tags.contains(&"latest")
        && file.runnable_jobs().any(|t| {
            !std::ptr::eq(t, job)
                && file.upstream(t).iter().any(|u| std::ptr::eq(*u, job))
                && is_test_job(file, &file.unit, t, &mut Vec::new())
        })
}

/// Whether a scheduled workflow's job rebuilds or copies what was already released: the
/// workflow runs only on a schedule (or by hand), and the job checks out a tag or copies an
/// image that is already in a registry. The tests that gate a release ran when it was made;
/// the schedule republishes it, typically to pick up a patched base image.
fn republishes_release(file: &CiFile, job: &Job) -> bool {
    let scheduled = file.has_trigger("schedule")
        && file
            .triggers
            .iter()
            .all(|t| matches!(t.event.value.as_str(), "schedule" | "workflow_dispatch"));
    scheduled
        && job.steps.iter().any(|step| {
            let checkout_tag = step.uses.as_ref().is_some_and(|u| u.is("actions/checkout"))
                && step
                    .input("ref")
                    .and_then(Node::as_str)
                    .is_some_and(is_tag_ref);
            checkout_tag
                || step.run.as_ref().is_some_and(|run| {
                    commands(run.as_str()).iter().any(|cmd| {
                        let ops: Vec<&str> = cmd.operands().collect();
                        match (cmd.program(), ops.as_slice()) {
                            ("git", ["checkout" | "switch", rest @ ..]) => {
                                rest.iter().any(|w| is_tag_ref(w))
                            }
                            ("crane", ["copy" | "cp" | "tag", ..])
                            | ("skopeo", ["copy", ..])
                            | ("regctl", ["image", "copy", ..])
                            | ("docker", ["pull", ..])
                            | ("docker", ["buildx", "imagetools", "create", ..]) => true,
                            _ => false,
                        }
                    })
                })
        })
}

/// A Git ref that names a tag: `refs/tags/…`, a version (`v1.4.2`, `2.0`), or an expression
/// or variable that says tag (`${{ steps.latest.outputs.tag }}`, `$LATEST_TAG`).
fn is_tag_ref(reference: &str) -> bool {
    let lower = reference.trim().to_ascii_lowercase();
    let version = lower.strip_prefix('v').unwrap_or(&lower);
    lower.starts_with("refs/tags/")
        || lower.starts_with("tags/")
        || lower.contains("tag")
        || version.split('.').count() >= 2
            && version
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// The tag of a word that reads as an image reference with one (`registry/app:1.2`).
fn image_tag(word: &str) -> Option<&str> {
    if word.starts_with('-') || word.contains("://") {
        return None;
    }
    let last = word.rsplit('/').next().unwrap_or(word);
    last.split_once(':').map(|(_, t)| t)
}

/// Workflows that run after another workflow finished (`workflow_run`, which the tests
/// typically are), only when someone or something decides to release (a tag push, a
/// published release, a manual or API dispatch, a call from another workflow, whose jobs may
/// wait for tests of their own), or only for pull requests (what they ship is a preview).
fn gated_elsewhere(file: &CiFile) -> bool {
    if file.has_trigger("workflow_run") {
        return true;
    }
    !file.triggers.is_empty()
        && file.triggers.iter().all(|t| match t.event.value.as_str() {
            "release" | "workflow_dispatch" | "repository_dispatch" | "workflow_call" => true,
            "pull_request" | "pull_request_target" | "issue_comment" => true,
            "push" => t.config.as_ref().is_some_and(|c| {
                (c.get("tags").is_some() || c.get("tags-ignore").is_some())
                    && c.get("branches").is_none()
                    && c.get("branches-ignore").is_none()
            }),
            _ => false,
        })
}

/// What gates a job: a test job it waits for (by name), maybe one in a file this one does not
/// see, or nothing.
enum Gate<'a> {
    Tested(&'a str),
    Unseen,
    Open,
}

fn gate<'a>(file: &'a CiFile, job: &'a Job, unseen_stages: bool) -> Gate<'a> {
    let mut unseen = false;
    let mut visited: Vec<&Job> = vec![job];
    let mut queue: Vec<&Job> = vec![job];
    while let Some(current) = queue.pop() {
        if runs_anyway(file, current) {
            continue;
        }
        let (deps, missing) = direct_deps(file, current, unseen_stages);
        unseen |= missing;
        for dep in deps {
            if visited.iter().any(|v| std::ptr::eq(*v, dep)) {
                continue;
            }
            visited.push(dep);
            if is_test_job(file, &file.unit, dep, &mut Vec::new()) && !failure_ignored(file, dep) {
                return Gate::Tested(&dep.id.value);
            }
            queue.push(dep);
        }
    }
    if unseen { Gate::Unseen } else { Gate::Open }
}

/// Whether a job runs even when the jobs it waits for failed: GitHub `if:` with `always()`,
/// `failure()` or `cancelled()` (unless it checks for success itself), GitLab `when: always`.
fn runs_anyway(file: &CiFile, job: &Job) -> bool {
    if file.flavor == Flavor::Gitlab {
        let whens = gitlab_whens(file, job);
        return !whens.is_empty() && whens.iter().all(|w| *w == "always");
    }
    job.condition
        .as_ref()
        .and_then(Node::as_str)
        .is_some_and(ignores_failures)
}

/// Whether a GitHub `if:` runs its job or step after a failure: a status function other than
/// `success()`, without a check for success of its own.
fn ignores_failures(condition: &str) -> bool {
    let status = ["always()", "failure()", "cancelled()"]
        .iter()
        .any(|f| condition.contains(f));
    status && !condition.contains("'success'") && !condition.contains("\"success\"")
}

/// The jobs a job waits for, and whether some it waits for may be in files this one does not
/// see.
fn direct_deps<'a>(file: &'a CiFile, job: &'a Job, unseen_stages: bool) -> (Vec<&'a Job>, bool) {
    if file.flavor != Flavor::Gitlab {
        let deps = job
            .needs
            .iter()
            .filter_map(|n| file.job(&n.value))
            .collect();
        return (deps, false);
    }
    if let Some(from) = file.provider(job, "needs") {
        let mut missing = false;
        let mut deps = Vec::new();
        for name in &from.needs {
            match file.job(&name.value) {
                Some(dep) if !dep.hidden => deps.push(dep),
                Some(_) => {}
                None => missing = true,
            }
        }
        return (deps, missing);
    }
    // Without `needs`, a job starts when the jobs of every earlier stage succeeded.
    let order = file.stage_order();
    let position = |j: &Job| order.iter().position(|s| *s == file.stage_of(j));
    let Some(mine) = position(job) else {
        return (Vec::new(), unseen_stages);
    };
    let deps = file
        .runnable_jobs()
        .filter(|j| position(j).is_some_and(|p| p < mine))
        .collect();
    (deps, unseen_stages)
}

/// The places of a job as it runs: GitLab script lines (inherited too), GitHub steps with the
/// steps of the local composite actions they use (read into `unit`).
fn run_places<'a>(file: &'a CiFile, unit: &'a Surroundings, job: &'a Job) -> Vec<Place<'a>> {
    match file.flavor {
        Flavor::Gitlab => job_places(file, job),
        Flavor::Workflow | Flavor::Action => places_through(unit, &job.steps),
    }
}

/// Whether a job runs tests: its name says so (or the reusable workflow it calls is named so),
/// a step or script line of it runs a test suite, or the local reusable workflow it calls has
/// a job that runs tests. `unit` holds the local actions and workflows of the linted file;
/// `seen` the called workflows already looked into (each once: a workflow met again either
/// had no test job or is being looked into, as in a cycle).
fn is_test_job<'a>(
    file: &'a CiFile,
    unit: &'a Surroundings,
    job: &'a Job,
    seen: &mut Vec<&'a CiFile>,
) -> bool {
    let places = run_places(file, unit, job);
    if !test_places(&places).is_empty() {
        return true;
    }
    // In the name of a job that pushes or deploys, `test` names where it goes.
    if !ships(file, job, &places).is_empty() {
        return false;
    }
    if names_tests(&job.id.value) || names_tests(job.name()) {
        return true;
    }
    let called = job.uses.as_ref().and_then(|u| match &u.target {
        Target::Local(path) => Some(path.as_str()),
        Target::Repo { path, .. } => path.as_deref(),
        Target::Docker(_) => None,
    });
    if let Some(path) = called {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        let stem = file_name.split('.').next().unwrap_or(file_name);
        if names_tests(stem) {
            return true;
        }
    }
    // The called workflow's jobs run as part of this one.
    let Some(called) = job.uses.as_ref().and_then(|u| unit.workflow(u)) else {
        return false;
    };
    if seen.iter().any(|w| std::ptr::eq(*w, called)) {
        return false;
    }
    seen.push(called);
    called
        .runnable_jobs()
        .any(|j| is_test_job(called, unit, j, seen) && !failure_ignored(called, j))
}

/// Whether a job's name says it tests (`build-and-test` too: that job waited for is one that
/// tests, whatever else it does).
fn names_tests(name: &str) -> bool {
    let words = tokens(name);
    words.iter().any(|t| is_test_name(t))
        && !words
            .iter()
            .any(|t| matches!(t.as_str(), "deploy" | "release" | "publish" | "push"))
}

/// What to do, naming a test job of the file when there is one.
fn help(file: &CiFile, job: &Job) -> String {
    let gitlab = file.flavor == Flavor::Gitlab;
    if runs_anyway(file, job) {
        return if gitlab {
            "remove `when: always`, which runs the job even when the tests failed".to_string()
        } else {
            "drop `always()` from the job's `if:`, or also require `needs.<job>.result == 'success'`"
                .to_string()
        };
    }
    let others = || file.runnable_jobs().filter(|j| !std::ptr::eq(*j, job));
    if let Some(t) = others().find(|j| is_test_job(file, &file.unit, j, &mut Vec::new())) {
        if failure_ignored(file, t) {
            let setting = if gitlab {
                "`allow_failure`"
            } else {
                "`continue-on-error`"
            };
            return format!(
                "stop ignoring the failures of `{}` ({setting}) so they stop the release",
                t.id.value
            );
        }
        return match (gitlab, file.provider(job, "needs").is_some()) {
            (true, true) => format!(
                "add `{}` to the job's `needs:` so it runs only after the tests pass",
                t.id.value
            ),
            (true, false) => format!(
                "put `{}` in a stage before `{}`, or run the tests in this job before it ships",
                t.id.value,
                file.stage_of(job)
            ),
            (false, _) => format!(
                "add `needs: [{}]` so the job runs only after the tests pass",
                t.id.value
            ),
        };
    }
    if gitlab {
        "run the tests in a job of an earlier stage (or one listed under `needs:`), or in this job before it ships".to_string()
    } else {
        "run the tests in a job listed under `needs:`, or in this job before it ships".to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::formats::ci::parse;

    #[test]
    fn names_and_tags() {
        assert!(names_tests("build-and-test"));
        assert!(names_tests("e2e"));
        assert!(!names_tests("deploy-test"));
        assert!(!names_tests("check"));
        assert_eq!(image_tag("ghcr.io/acme/api:1.2"), Some("1.2"));
        assert_eq!(image_tag("localhost:5000/api"), None);
        assert_eq!(image_tag("--tag=x"), None);
    }

    #[test]
    fn looks_into_called_workflows_once() {
        use crate::formats::siblings::Siblings;
        use crate::source::SourceFile;
        let name = ".github/workflows/ci.yml";
        let text = "on: push\njobs:\n  checks:\n    uses: ./.github/workflows/a.yml\n";
        let call = |other: &str, steps: &str| {
            format!(
                "on: workflow_call\njobs:\n  again:\n    uses: ./.github/workflows/{other}\n  work:\n    runs-on: x\n    steps:\n      - run: {steps}\n"
            )
        };
        let judge = |b_runs: &str| {
            let siblings = Siblings::Memory(vec![
                ("a.yml".into(), call("b.yml", "make lint")),
                ("b.yml".into(), call("a.yml", b_runs)),
            ]);
            let mut file = parse(name, text);
            let source = SourceFile::new(name.to_string(), None, text.to_string());
            crate::formats::ci::unit::attach(&mut file, &source, &siblings);
            let job = &file.jobs[0];
            is_test_job(&file, &file.unit, job, &mut Vec::new())
        };
        // The calls go round: a calls b, which calls a.
        assert!(judge("go test ./..."));
        assert!(!judge("make docs"));
    }

    #[test]
    fn tag_refs() {
        assert!(is_tag_ref("refs/tags/v1.2.0"));
        assert!(is_tag_ref("v1.4.2"));
        assert!(is_tag_ref("2.0"));
        assert!(is_tag_ref("${{ steps.latest.outputs.tag }}"));
        assert!(!is_tag_ref("main"));
        assert!(!is_tag_ref("${{ github.ref }}"));
        assert!(!is_tag_ref("v2"));
    }

    #[test]
    fn release_triggers() {
        let file = |on: &str| {
            parse(
                ".github/workflows/r.yml",
                &format!("on:\n{on}\njobs: {{}}\n"),
            )
        };
        assert!(gated_elsewhere(&file("  push:\n    tags: [\"v*\"]")));
        assert!(gated_elsewhere(&file("  release:\n  workflow_dispatch:")));
        assert!(!gated_elsewhere(&file(
            "  push:\n    tags: [\"v*\"]\n    branches: [main]"
        )));
        assert!(!gated_elsewhere(&file(
            "  schedule:\n    - cron: '0 1 * * *'"
        )));
    }
}
