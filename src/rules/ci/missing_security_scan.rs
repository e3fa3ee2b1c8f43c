//! Workflows and pipelines that build container images or apply infrastructure code without
//! any security scanner running in them.
use super::activity::{
    ActionKind, Command, Place, action_kind, deploy_command, file_scans, is_image_build,
    job_has_local_cluster, places_through,
};
use crate::formats::ci::unit::{Surroundings, is_gitlab_root};
use crate::rules::prelude::*;
use crate::source::Span;

pub(crate) static RULE: Rule = Rule {
    id: "ci/missing-security-scan",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/ci/missing-security-scan.md"),
    check: Check::Ci(check),
};

const IMAGE_HELP: &str = "scan the image before it ships, with a step such as `aquasecurity/trivy-action`, `anchore/scan-action` or `docker scout cves`";
const IAC_HELP: &str = "scan the infrastructure code before it is applied, with a step such as `checkov`, `trivy config` or `infralint`";
const GITLAB_IMAGE_HELP: &str = "scan the image before it ships: include `Jobs/Container-Scanning.gitlab-ci.yml`, or run `trivy image` or `grype` in a job";
const GITLAB_IAC_HELP: &str = "scan the infrastructure code before it is applied: include `Jobs/SAST-IaC.gitlab-ci.yml`, or run `checkov`, `trivy config` or `infralint` in a job";

/// The first thing a file builds or applies.
struct Build {
    span: Span,
    /// `builds an image with `docker build``.
    what: String,
    iac: bool,
}

fn check(file: &CiFile, cx: &mut Ctx) {
    let noun = match file.flavor {
        // A composite action is a part of the workflows that use it: they scan or not.
        Flavor::Action => return,
        Flavor::Workflow if called_only(file) => return,
        Flavor::Workflow => "workflow",
        // An included file is a part of a pipeline whose other files it does not see.
        Flavor::Gitlab if !is_gitlab_root(&cx.source().name) => return,
        Flavor::Gitlab => "pipeline",
    };
    let included = &file.unit.included;
    let own = first_build(file, &file.unit).or_else(|| called_build(file));
    let build = own.or_else(|| {
        included.iter().find_map(|i| {
            first_build(&i.file, &file.unit).map(|b| Build {
                span: i.entry,
                what: format!("{} (in `{}`)", b.what, i.path),
                iac: b.iac,
            })
        })
    });
    let Some(build) = build else {
        return;
    };
    if file_scans(file, &file.unit) {
        cx.pass(
            build.span,
            format!("the {noun} {} and also scans", build.what),
        );
        return;
    }
    if let Some(i) = included.iter().find(|i| file_scans(&i.file, &file.unit)) {
        cx.pass(
            build.span,
            format!("the {noun} {} and `{}` scans", build.what, i.path),
        );
        return;
    }
    if let Some(name) = scanning_sibling_workflow(file) {
        cx.pass(
            build.span,
            format!("the {noun} {} and the workflow `{name}` scans", build.what),
        );
        return;
    }
    // The scan may be in a file that is not read here.
    if file.unit.unseen || calls_remote_workflow(file) {
        return;
    }
    let gitlab = file.flavor == Flavor::Gitlab;
    let (kind, help) = match (build.iac, gitlab) {
        (true, false) => ("misconfigurations", IAC_HELP),
        (true, true) => ("misconfigurations", GITLAB_IAC_HELP),
        (false, false) => ("vulnerabilities", IMAGE_HELP),
        (false, true) => ("vulnerabilities", GITLAB_IMAGE_HELP),
    };
    cx.report(
        build.span,
        format!(
            "the {noun} {}, and nothing in it scans for {kind}",
            build.what
        ),
    )
    .help(help);
}

/// A reusable workflow that nothing but another workflow starts: the scan may be in the caller.
fn called_only(file: &CiFile) -> bool {
    !file.triggers.is_empty()
        && file
            .triggers
            .iter()
            .all(|t| t.event.value == "workflow_call")
}

/// The first build of a reusable workflow of the repository that a job calls, when that
/// workflow is not reported on its own (`workflow_call` is its only trigger); at the job's
/// `uses:`.
fn called_build(file: &CiFile) -> Option<Build> {
    file.jobs.iter().find_map(|job| {
        let uses = job.uses.as_ref()?;
        let called = file.unit.workflow(uses)?;
        if !called_only(called) {
            return None;
        }
        let name = uses.raw.rsplit('/').next().unwrap_or(&uses.raw);
        first_build(called, &file.unit).map(|b| Build {
            span: uses.text.span,
            what: format!("{} (in `{name}`)", b.what),
            iac: b.iac,
        })
    })
}

/// Whether a job calls a reusable workflow of another repository, which may scan.
fn calls_remote_workflow(file: &CiFile) -> bool {
    file.jobs.iter().any(|j| {
        j.uses
            .as_ref()
            .is_some_and(|u| matches!(u.target, Target::Repo { .. }))
    })
}

/// The jobs whose steps or scripts run: GitLab hidden templates only when a job extends them.
fn running_jobs(file: &CiFile) -> impl Iterator<Item = &Job> {
    file.jobs.iter().filter(|j| {
        !j.hidden
            || file
                .jobs
                .iter()
                .any(|other| other.extends.iter().any(|e| e.value == j.id.value))
    })
}

/// The first step or script line that builds an image or applies infrastructure code; a step of
/// a local composite action (in `unit`) is found at the step that uses the action.
fn first_build(file: &CiFile, unit: &Surroundings) -> Option<Build> {
    running_jobs(file).find_map(|job| {
        let mut places = places_through(unit, &job.steps);
        places.extend(super::activity::places(&[], Some(job)));
        // Manifests applied to a throwaway cluster on the runner (kind, k3d) are test fixtures.
        let throwaway = job_has_local_cluster(&places);
        places.iter().find_map(|place| {
            let build = place_build(place, throwaway)?;
            // A build in a local action is reported at the step that uses it.
            Some(match place.via {
                Some(via) => Build {
                    span: via.anchor(),
                    what: format!(
                        "{} (in `{}`)",
                        build.what,
                        via.uses.as_ref().map_or("", |u| u.raw.as_str())
                    ),
                    iac: build.iac,
                },
                None => build,
            })
        })
    })
}

/// What a step or script line builds or applies, if anything.
fn place_build(place: &Place, throwaway: bool) -> Option<Build> {
    if let Some(step) = place.step
        && let Some(uses) = &step.uses
    {
        match action_kind(step) {
            Some(ActionKind::ImageBuild { .. }) => {
                return Some(Build {
                    span: step.anchor(),
                    what: format!("builds an image with `{}`", uses.action()),
                    iac: false,
                });
            }
            Some(ActionKind::Deploy { iac: true }) if !throwaway => {
                return Some(Build {
                    span: step.anchor(),
                    what: format!("applies infrastructure code with `{}`", uses.action()),
                    iac: true,
                });
            }
            _ => {}
        }
    }
    place.commands().iter().find_map(|cmd| {
        if is_image_build(cmd) {
            return Some(Build {
                span: place.span_of(cmd),
                what: format!("builds an image with `{}`", build_tool(cmd)),
                iac: false,
            });
        }
        let deploy = deploy_command(cmd).filter(|d| d.iac && !throwaway)?;
        Some(Build {
            span: place.span_of(cmd),
            what: format!("applies infrastructure code with `{}`", deploy.tool),
            iac: true,
        })
    })
}

/// How a message names a build command: the words up to the build verb (`docker buildx build`).
fn build_tool(cmd: &Command) -> String {
    if cmd.words.first().is_some_and(|w| w.contains("kaniko")) || cmd.program() == "kaniko" {
        return "kaniko".to_string();
    }
    let mut out: Vec<&str> = vec![cmd.program()];
    for word in cmd.operands() {
        out.push(word);
        if matches!(word, "build" | "bud" | "bake") {
            break;
        }
    }
    out.join(" ")
}

/// Another workflow of the repository that scans (the workflows beside this one).
fn scanning_sibling_workflow(file: &CiFile) -> Option<&str> {
    if file.flavor != Flavor::Workflow {
        return None;
    }
    file.unit
        .neighbours()
        .iter()
        .find(|w| file_scans(&w.file, &file.unit))
        .map(|w| w.name.as_str())
}
