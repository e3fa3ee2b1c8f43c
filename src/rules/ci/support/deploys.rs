//! What a job ships (image pushes, deploys, deployment environments) and where, and the GitLab
//! `when:` and environment facts that decide whether a job runs on its own.

use super::activity::{
    ActionKind, Command, Place, action_kind, deploy_command, is_image_push, is_pages_action,
    is_production_name, is_test_command, job_has_local_cluster, places, step_tests, tokens,
};
use crate::rules::prelude::*;

/// Something a job ships.
#[derive(Debug)]
pub(crate) struct Ship {
    /// The place (step or script line) it happens at; `None` for a deployment environment.
    pub place: Option<usize>,
    /// What it does, for messages: "pushes an image with `docker push`".
    pub what: String,
    /// A deploy (not only an image push).
    pub deploy: bool,
    /// The words that name where it goes: the command's arguments, the action's inputs.
    pub target: Vec<String>,
}

/// The places of a job as it runs: GitHub steps, or GitLab script lines (inherited through
/// `extends` too).
pub(crate) fn job_places<'a>(file: &'a CiFile, job: &'a Job) -> Vec<Place<'a>> {
    if file.flavor == Flavor::Gitlab {
        return file
            .effective_scripts(job)
            .into_iter()
            .map(|l| Place {
                step: None,
                text: Some(&l.text),
                via: None,
            })
            .collect();
    }
    places(&job.steps, None)
}

/// Whether a step is marked `continue-on-error: true` (its failure does not stop the job).
fn continues_on_error(node: &Node) -> bool {
    node.get("continue-on-error")
        .is_some_and(|n| n.as_bool() == Some(true))
}

/// What a job ships, in the order of its places; a deployment environment last. Deploys to a
/// throwaway cluster started in the job, dry runs and GitHub Pages publishing are left out.
pub(crate) fn ships(file: &CiFile, job: &Job, places: &[Place]) -> Vec<Ship> {
    let local = job_has_local_cluster(places);
    let mut out = Vec::new();
    for (i, place) in places.iter().enumerate() {
        if let Some(step) = place.step
            && let Some(kind) = action_kind(step)
            && let Some(uses) = &step.uses
        {
            let target = step
                .with
                .as_ref()
                .map(|w| {
                    w.pairs()
                        .filter_map(|(_, _, v)| v.as_str())
                        .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == ','))
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            match kind {
                ActionKind::ImageBuild { push: true } => out.push(Ship {
                    place: Some(i),
                    what: format!("pushes an image with `{}`", uses.action()),
                    deploy: false,
                    target,
                }),
                ActionKind::Deploy { .. } if !local => out.push(Ship {
                    place: Some(i),
                    what: format!("deploys with `{}`", uses.action()),
                    deploy: true,
                    target,
                }),
                _ => {}
            }
        }
        for cmd in place.commands() {
            let target = || cmd.args().iter().map(|w| w.to_string()).collect();
            if is_image_push(&cmd) {
                out.push(Ship {
                    place: Some(i),
                    what: format!("pushes an image with `{}`", head(&cmd)),
                    deploy: false,
                    target: target(),
                });
            } else if !local && let Some(deploy) = deploy_command(&cmd) {
                out.push(Ship {
                    place: Some(i),
                    what: format!("deploys with `{}`", deploy.tool),
                    deploy: true,
                    target: target(),
                });
            }
        }
    }
    if let Some(env) = deploy_environment(file, job, places) {
        out.push(Ship {
            place: None,
            what: format!("deploys to environment `{env}`"),
            deploy: true,
            target: Vec::new(),
        });
    }
    out
}

/// The program and its verb, for messages (`docker push`, `helm upgrade`).
fn head(cmd: &Command) -> String {
    if matches!(cmd.program(), "executor" | "kaniko") {
        return "kaniko".to_string();
    }
    let word = |w: &&str| w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let ops: Vec<&str> = cmd.operands().take_while(word).collect();
    let verb = match ops.as_slice() {
        [
            group @ ("buildx" | "image" | "compose" | "manifest"),
            verb,
            ..,
        ] if matches!(cmd.program(), "docker" | "podman") => {
            vec![*group, *verb]
        }
        [verb, ..] => vec![*verb],
        [] => Vec::new(),
    };
    std::iter::once(cmd.program())
        .chain(verb)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name of the environment a job deploys to: GitHub `environment:` (not GitHub Pages'),
/// GitLab `environment:` whose `action` is `start` (the default).
/// A job that tears down (deletes a namespace, destroys a stack) uses its environment for
/// credentials, not to deploy.
pub(crate) fn deploy_environment(file: &CiFile, job: &Job, places: &[Place]) -> Option<String> {
    let (name, node) = environment(file, job)?;
    if places.iter().any(|p| p.commands().iter().any(is_teardown)) {
        return None;
    }
    if file.flavor == Flavor::Gitlab {
        let action = node.get("action").and_then(Node::as_str).unwrap_or("start");
        return (action == "start").then_some(name);
    }
    let pages = name.eq_ignore_ascii_case("github-pages")
        || places.iter().any(|p| p.step.is_some_and(is_pages_action));
    (!pages).then_some(name)
}

/// Whether a command removes what a deploy created.
fn is_teardown(cmd: &Command) -> bool {
    let ops: Vec<&str> = cmd.operands().collect();
    let first = ops.first().copied().unwrap_or("");
    match cmd.program() {
        "kubectl" | "oc" => ops.contains(&"delete"),
        "helm" => matches!(first, "uninstall" | "delete" | "del" | "un"),
        "terraform" | "tofu" | "terragrunt" | "pulumi" | "cdk" | "cdktf" => {
            ops.contains(&"destroy")
        }
        "gcloud" | "az" => ops.contains(&"delete"),
        "aws" => ops.iter().any(|w| w.starts_with("delete-")),
        _ => false,
    }
}

/// A job's `environment:` name and value (GitLab: inherited through `extends`).
pub(crate) fn environment<'a>(file: &'a CiFile, job: &'a Job) -> Option<(String, &'a Node)> {
    let node = file.resolved(job, "environment")?;
    let name = match node.as_map() {
        Some(_) => node.get("name")?,
        None => node,
    };
    Some((name.as_str()?.to_string(), node))
}

/// The places of a job that run tests (steps marked `continue-on-error` do not count); in a
/// job that starts a throwaway cluster, deploys to it are tests too.
pub(crate) fn test_places(places: &[Place]) -> Vec<usize> {
    let local = job_has_local_cluster(places);
    places
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            if p.step.is_some_and(|s| continues_on_error(&s.node)) {
                return false;
            }
            p.step.is_some_and(step_tests)
                || p.commands()
                    .iter()
                    .any(|c| is_test_command(c) || (local && deploy_command(c).is_some()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// How a GitLab job is started: the `when:` of each way it can run (each `rules:` entry that
/// does not say `never`, the job's own `when:` for entries without one; the job's `when:`
/// when it has no rules).
pub(crate) fn gitlab_whens<'a>(file: &'a CiFile, job: &'a Job) -> Vec<&'a str> {
    let own = file
        .resolved(job, "when")
        .and_then(Node::as_str)
        .unwrap_or("on_success");
    let Some(rules) = file.resolved(job, "rules").and_then(Node::as_seq) else {
        return vec![own];
    };
    rules
        .iter()
        .map(|r| r.get("when").and_then(Node::as_str).unwrap_or(own))
        .filter(|w| *w != "never")
        .collect()
}

/// Whether every way a GitLab job runs is `when: manual`.
pub(crate) fn gitlab_manual(file: &CiFile, job: &Job) -> bool {
    let whens = gitlab_whens(file, job);
    !whens.is_empty() && whens.iter().all(|w| *w == "manual")
}

/// Whether a job's failure is ignored: GitHub `continue-on-error: true`, GitLab
/// `allow_failure: true` (or a manual job, which GitLab lets fail unless told otherwise).
pub(crate) fn failure_ignored(file: &CiFile, job: &Job) -> bool {
    if file.flavor != Flavor::Gitlab {
        return continues_on_error(&job.node);
    }
    match file.resolved(job, "allow_failure") {
        Some(node) => node.as_bool() != Some(false),
        None => {
            file.resolved(job, "rules").is_none()
                && file.resolved(job, "when").and_then(Node::as_str) == Some("manual")
        }
    }
}

/// Why a deploy goes to production: the job's name, its environment, or a production word in
/// its target or in the variables that pick it (`TF_WORKSPACE`, `KUBE_CONTEXT`, …).
pub(crate) fn production_reason(
    file: &CiFile,
    job: &Job,
    places: &[Place],
    ships: &[Ship],
) -> Option<String> {
    if let Some((name, node)) = environment(file, job) {
        if is_production_name(&name) {
            return Some(format!("environment `{name}`"));
        }
        if node.get("deployment_tier").and_then(Node::as_str) == Some("production") {
            return Some("`deployment_tier: production`".to_string());
        }
    }
    for name in [job.id.value.as_str(), job.name()] {
        if is_production_name(name) {
            return Some("the job's name".to_string());
        }
    }
    for ship in ships.iter().filter(|s| s.deploy) {
        if let Some(at) = ship.target.iter().position(|w| is_production_name(w)) {
            let word = ship.target.get(at).map_or("", String::as_str);
            let flag = at
                .checked_sub(1)
                .and_then(|i| ship.target.get(i))
                .filter(|f| !word.starts_with('-') && f.starts_with('-') && !f.contains('='));
            return Some(match flag {
                Some(flag) => format!("`{flag} {word}`"),
                None => format!("`{word}`"),
            });
        }
    }
    // A workspace or context chosen before the deploy in the same job.
    let first_deploy = ships
        .iter()
        .filter(|s| s.deploy)
        .filter_map(|s| s.place)
        .min()?;
    for place in places.iter().take(first_deploy + 1) {
        for cmd in place.commands() {
            let ops: Vec<&str> = cmd.operands().collect();
            let chosen = match (cmd.program(), ops.as_slice()) {
                ("terraform" | "tofu", ["workspace", "select" | "new", name, ..]) => Some(*name),
                ("kubectl", ["config", "use-context", name, ..]) => Some(*name),
                _ => None,
            };
            if chosen.is_some_and(is_production_name) {
                return Some(format!("`{}`", cmd.words.join(" ")));
            }
        }
    }
    let vars = file.env.iter().chain(job.env.iter()).chain(
        places
            .iter()
            .take(first_deploy + 1)
            .filter_map(|p| p.step)
            .flat_map(|s| s.env.iter()),
    );
    for var in vars {
        let picks = tokens(var.name()).iter().any(|t| {
            matches!(
                t.as_str(),
                "workspace" | "context" | "namespace" | "environment" | "env" | "stage"
            )
        });
        if picks && var.text().is_some_and(is_production_name) {
            return Some(format!("`{}: {}`", var.name(), var.text().unwrap_or("")));
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::formats::ci::parse;

    const PIPELINE: &str = r#"
.deploy:
  script:
    - helm upgrade --install api ./chart --namespace production
  when: manual
deploy-a:
  extends: .deploy
deploy-b:
  extends: .deploy
  rules:
    - if: $CI_COMMIT_TAG
      when: never
    - if: $CI_COMMIT_BRANCH
      when: on_success
deploy-c:
  extends: .elsewhere
  script:
    - kubectl apply -f k8s/
lint:
  when: manual
  script:
    - npm test
"#;

    #[test]
    fn reads_gitlab_inheritance_and_starts() {
        let file = parse(".gitlab-ci.yml", PIPELINE);
        let job = |id| file.job(id).unwrap();
        let a = job("deploy-a");
        assert_eq!(file.effective_scripts(a).len(), 1);
        assert!(gitlab_manual(&file, a));
        assert!(!gitlab_manual(&file, job("deploy-b")));
        assert_eq!(gitlab_whens(&file, job("deploy-b")), ["on_success"]);
        assert!(file.extends_unseen(job("deploy-c")));
        assert!(!file.extends_unseen(a));
        assert!(failure_ignored(&file, job("lint")));
        let places = job_places(&file, a);
        let shipped = ships(&file, a, &places);
        assert!(shipped[0].deploy);
        let reason = production_reason(&file, a, &places, &shipped).unwrap();
        assert_eq!(reason, "`--namespace production`");
    }

    #[test]
    fn environments_that_do_not_deploy() {
        let text = "on: push\njobs:\n  docs:\n    environment: github-pages\n    runs-on: x\n    steps:\n      - run: make docs\n  clean:\n    environment: staging\n    runs-on: x\n    steps:\n      - run: helm uninstall api\n  ship:\n    environment: staging\n    runs-on: x\n    steps:\n      - run: ./release.sh\n";
        let file = parse(".github/workflows/ci.yml", text);
        let shipped = |id| {
            let job = file.job(id).unwrap();
            ships(&file, job, &job_places(&file, job)).len()
        };
        assert_eq!(shipped("docs"), 0);
        assert_eq!(shipped("clean"), 0);
        assert_eq!(shipped("ship"), 1);
    }
}
