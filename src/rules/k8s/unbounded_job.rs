//! Jobs and CronJobs without the limits that keep runs from piling up or running forever.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/unbounded-job",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/k8s/unbounded-job.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    // A Kustomize patch is a partial object: what it leaves out comes from its base.
    if manifest.is_patch() {
        return;
    }
    for object in &manifest.objects {
        let Some(spec) = object.root.get("spec") else {
            continue;
        };
        let missing: Vec<&str> = match object.kind() {
            "Job" => {
                let mut missing = Vec::new();
                if !has_deadline(spec) {
                    missing.push("`activeDeadlineSeconds`");
                }
                if !written(spec, "ttlSecondsAfterFinished") {
                    missing.push("`ttlSecondsAfterFinished`");
                }
                missing
            }
            "CronJob" => {
                let mut missing = Vec::new();
                if !written(spec, "concurrencyPolicy") {
                    missing.push("`concurrencyPolicy`");
                }
                if !written(spec, "startingDeadlineSeconds") {
                    missing.push("`startingDeadlineSeconds`");
                }
                if !written(spec, "timeZone") {
                    missing.push("`timeZone`");
                }
                if !spec
                    .path(&["jobTemplate", "spec"])
                    .is_some_and(has_deadline)
                {
                    missing.push("`activeDeadlineSeconds` in the job template");
                }
                missing
            }
            _ => continue,
        };
        if missing.is_empty() {
            let what = if object.kind() == "Job" {
                "has a deadline and is cleaned up after it finishes"
            } else {
                "bounds its runs and its schedule"
            };
            cx.pass(object.anchor(), format!("`{}` {what}", object.label()));
        } else {
            cx.report(
                object.anchor(),
                format!("`{}` does not set {}", object.label(), list(&missing)),
            )
            .help(if object.kind() == "Job" {
                "set `activeDeadlineSeconds` to bound the run and `ttlSecondsAfterFinished` to clean it up"
            } else {
                "set `concurrencyPolicy: Forbid` (or `Replace`), `startingDeadlineSeconds`, `timeZone` and a job `activeDeadlineSeconds`"
            });
        }
    }
}

fn written(spec: &Node, key: &str) -> bool {
    spec.get(key).is_some_and(|n| !n.is_null())
}

/// A Job spec with a deadline: its own `activeDeadlineSeconds`, or its pods' (each attempt is
/// then bounded, and `backoffLimit` bounds the attempts).
fn has_deadline(job_spec: &Node) -> bool {
    written(job_spec, "activeDeadlineSeconds")
        || job_spec
            .path(&["template", "spec", "activeDeadlineSeconds"])
            .is_some_and(|n| !n.is_null())
}

/// `a`, `a or b`, `a, b or c`.
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
