//! Deploys to production that nothing stands in front of: no GitHub environment (where
//! approvals and branch rules live), no GitLab environment or manual start.
use super::deploys::{environment, gitlab_manual, job_places, production_reason, ships};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "ci/unprotected-production-deploy",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/ci/unprotected-production-deploy.md"),
    check: Check::Ci(check),
};

const GITHUB_HELP: &str = "add `environment: production` to the job and protect the environment with required reviewers or deployment branches in the repository settings";
const GITLAB_HELP: &str = "add `environment: production` to the job and protect the environment in the project settings, or make the job `when: manual`";

fn check(file: &CiFile, cx: &mut Ctx) {
    if file.flavor == Flavor::Action {
        return;
    }
    let gitlab = file.flavor == Flavor::Gitlab;
    for job in file.runnable_jobs() {
        // Keys of a template in another file (`when`, `environment`) are unknown.
        if gitlab && (job.get("trigger").is_some() || file.extends_unseen(job)) {
            continue;
        }
        let places = job_places(file, job);
        let shipped = ships(file, job, &places);
        let Some(deploy) = shipped.iter().find(|s| s.deploy) else {
            continue;
        };
        let Some(reason) = production_reason(file, job, &places, &shipped) else {
            continue;
        };
        let id = &job.id.value;
        let has_environment = if gitlab {
            file.resolved(job, "environment").is_some()
        } else {
            job.get("environment").is_some_and(|e| !e.is_null())
        };
        if has_environment {
            let name = environment(file, job).map_or_else(String::new, |(n, _)| format!(" `{n}`"));
            cx.pass(
                job.anchor(),
                format!("job `{id}` deploys to production through environment{name}, where its protection applies"),
            );
        } else if gitlab && gitlab_manual(file, job) {
            cx.pass(
                job.anchor(),
                format!("job `{id}` deploys to production only when started by hand"),
            );
        } else {
            let missing = if gitlab {
                "neither an `environment:` nor `when: manual`"
            } else {
                "no `environment:`"
            };
            cx.report(
                job.anchor(),
                format!(
                    "job `{id}` {} to production ({reason}) and has {missing}",
                    deploy.what
                ),
            )
            .help(if gitlab { GITLAB_HELP } else { GITHUB_HELP });
        }
    }
}
