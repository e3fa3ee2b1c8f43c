//! Building the CI model from the YAML tree. Nothing here fails: shapes that do not match what
//! GitHub or GitLab expect are left out of the model (the YAML errors are the parse errors).

use super::{
    Access, CiFile, Environment, Flavor, Image, ImageRole, Job, Permissions, PermissionsKind,
    Scope, ScriptLine, ScriptSection, Step, Target, Text, Trigger, Uses, Var,
};
use crate::formats::yaml::{self, Node, Value};
use crate::source::Spanned;

/// GitLab top-level keys that are not jobs.
const GITLAB_KEYWORDS: &[&str] = &[
    "after_script",
    "before_script",
    "cache",
    "default",
    "image",
    "include",
    "services",
    "stages",
    "types",
    "variables",
    "workflow",
];

/// How deep `!reference` tags and nested script lists are followed.
const MAX_DEPTH: usize = 10;

/// Parse a CI file; `name` (its path) decides the flavour.
pub fn parse(name: &str, text: &str) -> CiFile {
    let flavor = Flavor::of(name);
    let stream = yaml::parse(text);
    let root = stream
        .documents
        .into_iter()
        .filter_map(|d| d.root)
        .find(|r| r.as_map().is_some() && !is_spec_header(r));
    let mut file = CiFile {
        flavor,
        root: None,
        triggers: Vec::new(),
        permissions: None,
        env: Vec::new(),
        jobs: Vec::new(),
        steps: Vec::new(),
        stages: Vec::new(),
        default: None,
        images: Vec::new(),
        includes: Vec::new(),
        errors: stream.errors,
        duplicate_keys: stream.duplicate_keys,
        unit: Default::default(),
    };
    if let Some(root) = &root {
        match flavor {
            Flavor::Workflow => github(root, text, &mut file),
            Flavor::Action => {
                file.steps = steps(root.path(&["runs", "steps"]), text);
            }
            Flavor::Gitlab => gitlab(root, text, &mut file),
        }
    }
    file.root = root;
    file
}

/// A GitLab `spec:` header document (component inputs), which precedes the configuration.
fn is_spec_header(root: &Node) -> bool {
    root.pairs().all(|(k, _, _)| k == "spec") && root.get("spec").is_some()
}

fn github(root: &Node, text: &str, file: &mut CiFile) {
    file.triggers = triggers(root.get("on"));
    file.permissions = root.get("permissions").map(permissions);
    file.env = vars(root.get("env"));
    file.jobs = root
        .get("jobs")
        .into_iter()
        .flat_map(Node::pairs)
        .filter(|(_, _, v)| v.as_map().is_some())
        .map(|(id, key, node)| github_job(id, key, node, text))
        .collect();
}

fn triggers(on: Option<&Node>) -> Vec<Trigger> {
    let Some(on) = on else {
        return Vec::new();
    };
    let event = |node: &Node| {
        node.as_str().map(|e| Trigger {
            event: Spanned::new(e.to_string(), node.span),
            config: None,
        })
    };
    match &on.value {
        Value::Scalar(_) => event(on).into_iter().collect(),
        Value::Seq(items) => items.iter().filter_map(event).collect(),
        Value::Map(_) => on
            .pairs()
            .map(|(e, key, config)| Trigger {
                event: Spanned::new(e.to_string(), key.span),
                config: (!config.is_null()).then(|| config.clone()),
            })
            .collect(),
    }
}

fn permissions(node: &Node) -> Permissions {
    let kind = match &node.value {
        Value::Map(_) => PermissionsKind::Scopes(
            node.pairs()
                .map(|(name, key, value)| Scope {
                    name: Spanned::new(name.to_string(), key.span),
                    access: match value.as_str() {
                        Some("write") => Access::Write,
                        Some("read") => Access::Read,
                        _ => Access::None,
                    },
                    value: value.clone(),
                })
                .collect(),
        ),
        _ => match node.as_str() {
            Some("read-all") => PermissionsKind::ReadAll,
            Some("write-all") => PermissionsKind::WriteAll,
            _ => PermissionsKind::Other,
        },
    };
    Permissions {
        node: node.clone(),
        kind,
    }
}

/// `env:` or `variables:` entries; GitLab's `{value: …, description: …}` form gives its value.
fn vars(node: Option<&Node>) -> Vec<Var> {
    node.into_iter()
        .flat_map(|n| n.as_map().unwrap_or(&[]))
        .filter(|e| e.key.as_str().is_some())
        .map(|e| Var {
            key: e.key.clone(),
            value: e.value.get("value").unwrap_or(&e.value).clone(),
        })
        .collect()
}

/// Scalars of a string-or-list field, with their spans.
fn names(node: Option<&Node>) -> Vec<Spanned<String>> {
    let Some(node) = node else {
        return Vec::new();
    };
    let one = |n: &Node| n.as_str().map(|s| Spanned::new(s.to_string(), n.span));
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(one).collect(),
        _ => one(node).into_iter().collect(),
    }
}

fn environment(node: Option<&Node>) -> Option<Environment> {
    let node = node?;
    let name = match node.as_map() {
        Some(_) => node.get("name")?,
        None => node,
    };
    Some(Environment {
        name: Spanned::new(name.as_str()?.to_string(), name.span),
        node: node.clone(),
    })
}

/// The reference of an image field: the scalar, or the `key` entry of the mapping form.
fn image(node: &Node, key: &str, role: ImageRole) -> Option<Image> {
    let reference = match node.as_map() {
        Some(_) => node.get(key)?,
        None => node,
    };
    reference.as_str()?;
    Some(Image {
        node: reference.clone(),
        role,
    })
}

fn github_job(id: &str, key: &Node, node: &Node, text: &str) -> Job {
    let mut images: Vec<Image> = node
        .get("container")
        .and_then(|c| image(c, "image", ImageRole::Container))
        .into_iter()
        .collect();
    images.extend(
        node.get("services")
            .into_iter()
            .flat_map(Node::pairs)
            .filter_map(|(_, _, s)| image(s, "image", ImageRole::Service)),
    );
    Job {
        id: Spanned::new(id.to_string(), key.span),
        node: node.clone(),
        hidden: false,
        needs: names(node.get("needs")),
        condition: node.get("if").cloned(),
        environment: environment(node.get("environment")),
        permissions: node.get("permissions").map(permissions),
        env: vars(node.get("env")),
        images,
        runs_on: node.get("runs-on").cloned(),
        uses: node.get("uses").and_then(|u| uses(u, text)),
        secrets_inherit: node
            .get("secrets")
            .filter(|s| s.as_str() == Some("inherit"))
            .map(|s| s.span),
        steps: steps(node.get("steps"), text),
        scripts: Vec::new(),
        stage: None,
        extends: Vec::new(),
        rules: Vec::new(),
        when: None,
        cache: None,
    }
}

fn steps(list: Option<&Node>, text: &str) -> Vec<Step> {
    list.into_iter()
        .flat_map(Node::items)
        .filter(|s| s.as_map().is_some())
        .enumerate()
        .map(|(index, node)| Step {
            node: node.clone(),
            index,
            uses: node.get("uses").and_then(|u| uses(u, text)),
            run: node.get("run").and_then(|r| Text::of(r, text)),
            with: node.get("with").filter(|w| w.as_map().is_some()).cloned(),
            env: vars(node.get("env")),
            condition: node.get("if").cloned(),
        })
        .collect()
}

/// Parse a `uses:` value: `docker://image`, `./local/path`, or `owner/repo[/path][@ref]`.
fn uses(node: &Node, text: &str) -> Option<Uses> {
    let raw = node.as_str()?.trim().to_string();
    let target = if let Some(image) = raw.strip_prefix("docker://") {
        Target::Docker(image.to_string())
    } else if raw.starts_with("./") || raw.starts_with("../") || raw.starts_with('/') {
        Target::Local(raw.clone())
    } else {
        let (path, git_ref) = match raw.split_once('@') {
            Some((path, r)) => (path, Some(r.to_string())),
            None => (raw.as_str(), None),
        };
        let mut parts = path.splitn(3, '/');
        Target::Repo {
            owner: parts.next().unwrap_or("").to_string(),
            repo: parts.next().unwrap_or("").to_string(),
            path: parts
                .next()
                .map(|p| p.trim_matches('/').to_string())
                .filter(|p| !p.is_empty()),
            git_ref,
        }
    };
    Some(Uses {
        text: Text::of(node, text)?,
        raw,
        target,
    })
}

fn gitlab(root: &Node, text: &str, file: &mut CiFile) {
    file.stages = names(root.get("stages").or_else(|| root.get("types")));
    file.default = root
        .get("default")
        .filter(|d| d.as_map().is_some())
        .cloned();
    file.env = vars(root.get("variables"));
    for holder in [Some(root), file.default.as_ref()].into_iter().flatten() {
        file.images.extend(gitlab_images(holder));
    }
    file.includes = local_includes(root);
    file.jobs = root
        .pairs()
        .filter(|(k, _, v)| !GITLAB_KEYWORDS.contains(k) && v.as_map().is_some())
        .map(|(id, key, node)| gitlab_job(root, id, key, node, text))
        .collect();
}

fn gitlab_images(holder: &Node) -> Vec<Image> {
    let mut out: Vec<Image> = holder
        .get("image")
        .and_then(|i| image(i, "name", ImageRole::Image))
        .into_iter()
        .collect();
    out.extend(
        holder
            .get("services")
            .into_iter()
            .flat_map(Node::items)
            .filter_map(|s| image(s, "name", ImageRole::Service)),
    );
    out
}

fn gitlab_job(root: &Node, id: &str, key: &Node, node: &Node, text: &str) -> Job {
    let mut scripts = Vec::new();
    for (field, section) in [
        ("before_script", ScriptSection::BeforeScript),
        ("script", ScriptSection::Script),
        ("after_script", ScriptSection::AfterScript),
    ] {
        if let Some(list) = node.get(field) {
            let mut lines = Vec::new();
            script_lines(root, list, 0, &mut lines);
            scripts.extend(lines.into_iter().filter_map(|l| {
                Some(ScriptLine {
                    section,
                    text: Text::of(l, text)?,
                })
            }));
        }
    }
    Job {
        id: Spanned::new(id.to_string(), key.span),
        node: node.clone(),
        hidden: id.starts_with('.'),
        needs: node.get("needs").map(need_names).unwrap_or_default(),
        condition: None,
        environment: environment(node.get("environment")),
        permissions: None,
        env: vars(node.get("variables")),
        images: gitlab_images(node),
        runs_on: None,
        uses: None,
        secrets_inherit: None,
        steps: Vec::new(),
        scripts,
        stage: names(node.get("stage")).into_iter().next(),
        extends: names(node.get("extends")),
        rules: node
            .get("rules")
            .into_iter()
            .flat_map(Node::items)
            .cloned()
            .collect(),
        when: names(node.get("when")).into_iter().next(),
        cache: node.get("cache").cloned(),
    }
}

/// The script lines of a `script:`-like value: a string, a list, nested lists, and
/// `!reference [job, key]` tags pointing into this file.
fn script_lines<'a>(root: &'a Node, node: &'a Node, depth: usize, out: &mut Vec<&'a Node>) {
    if depth > MAX_DEPTH {
        return;
    }
    if node.tag.as_deref() == Some("!reference") {
        let keys: Vec<&str> = node.items().filter_map(Node::as_str).collect();
        if let Some(target) = root.path(&keys) {
            script_lines(root, target, depth + 1, out);
        }
        return;
    }
    match &node.value {
        Value::Scalar(_) if node.as_str().is_some() => out.push(node),
        Value::Seq(items) => {
            for item in items {
                script_lines(root, item, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// The job names of a GitLab `needs:` list (strings, or mappings with `job:`; needs on other
/// projects and pipelines are left out).
pub(super) fn need_names(node: &Node) -> Vec<Spanned<String>> {
    node.items()
        .filter_map(|item| {
            let name = match item.as_map() {
                Some(_) if item.get("project").is_some() || item.get("pipeline").is_some() => {
                    return None;
                }
                Some(_) => item.get("job")?,
                None => item,
            };
            Some(Spanned::new(name.as_str()?.to_string(), name.span))
        })
        .collect()
}

/// The local files a GitLab configuration includes, as written: `include: path`, a list of
/// paths, and `local:` entries. Remote URLs, templates, components and other projects' files
/// are not local.
pub fn local_includes(root: &Node) -> Vec<Spanned<String>> {
    let Some(include) = root.get("include") else {
        return Vec::new();
    };
    let items: Vec<&Node> = match &include.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![include],
    };
    items
        .into_iter()
        .filter_map(|item| {
            let path = match item.as_map() {
                Some(_) => item.get("local")?,
                None => item,
            };
            let text = path.as_str()?.trim();
            (!text.contains("://") && !text.is_empty())
                .then(|| Spanned::new(text.to_string(), path.span))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    fn slice(text: &str, span: crate::source::Span) -> &str {
        &text[span.range()]
    }

    const WORKFLOW: &str = r#"name: ci
on:
  push:
    branches: [main]
  pull_request_target:
permissions:
  contents: read
  pull-requests: write
env:
  GREETING: hi
jobs:
  test:
    runs-on: ubuntu-24.04
    container:
      image: node:22
    services:
      db:
        image: postgres:16
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - name: Test
        run: |
          npm ci
          echo "${{ github.event.pull_request.title }}"
        env:
          CI: "true"
  deploy:
    needs: [test]
    environment:
      name: production
      url: https://example.com
    uses: acme/workflows/.github/workflows/deploy.yml@0123456789abcdef0123456789abcdef01234567
    secrets: inherit
"#;

    #[test]
    fn github_workflow() {
        let file = parse(".github/workflows/ci.yml", WORKFLOW);
        assert!(file.errors.is_empty());
        assert_eq!(file.flavor, Flavor::Workflow);
        let events: Vec<_> = file.triggers.iter().map(|t| t.event.as_str()).collect();
        assert_eq!(events, ["push", "pull_request_target"]);
        assert!(file.trigger("push").unwrap().config.is_some());
        let perms = file.permissions.as_ref().unwrap();
        assert_eq!(perms.access("contents"), Access::Read);
        assert_eq!(perms.access("pull-requests"), Access::Write);
        assert_eq!(perms.access("issues"), Access::None);
        assert_eq!(file.env[0].name(), "GREETING");
        let test = file.job("test").unwrap();
        assert_eq!(test.images.len(), 2);
        assert_eq!(test.images[0].reference(), "node:22");
        assert_eq!(test.images[1].role, ImageRole::Service);
        let checkout = test.steps[0].uses.as_ref().unwrap();
        assert!(checkout.is("actions/checkout"));
        assert_eq!(checkout.git_ref(), Some("v4"));
        assert_eq!(slice(WORKFLOW, checkout.ref_span()), "v4");
        assert!(test.steps[0].input("ref").is_some());
        let run = test.steps[1].run.as_ref().unwrap();
        let expr = "${{ github.event.pull_request.title }}";
        assert_eq!(slice(WORKFLOW, run.find(expr).unwrap()), expr);
        assert_eq!(test.steps[1].label(), "step `Test`");
        let deploy = file.job("deploy").unwrap();
        assert_eq!(deploy.needs[0].as_str(), "test");
        assert_eq!(
            deploy.environment.as_ref().unwrap().name.as_str(),
            "production"
        );
        assert!(deploy.uses.as_ref().unwrap().is_sha_pinned());
        assert!(deploy.secrets_inherit.is_some());
        assert_eq!(file.upstream(deploy).len(), 1);
    }

    #[test]
    fn trigger_forms() {
        let one = parse(".github/workflows/a.yml", "on: push\njobs: {}\n");
        assert_eq!(one.triggers[0].event.as_str(), "push");
        let list = parse(".github/workflows/a.yml", "on: [push, workflow_run]\n");
        assert!(list.has_trigger("workflow_run"));
        let all = parse(
            ".github/workflows/a.yml",
            "on: push\npermissions: write-all\n",
        );
        assert_eq!(all.permissions.unwrap().access("contents"), Access::Write);
    }

    #[test]
    fn uses_forms() {
        let text = "runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/x\n    - uses: docker://alpine:3.20\n    - uses: github/codeql-action/init@v3\n      with: {languages: go}\n    - run: make\n      shell: bash\n";
        let file = parse("action.yml", text);
        assert_eq!(file.flavor, Flavor::Action);
        assert_eq!(file.steps.len(), 4);
        let targets: Vec<_> = file.steps.iter().filter_map(|s| s.uses.as_ref()).collect();
        assert_eq!(
            targets[0].target,
            Target::Local("./.github/actions/x".into())
        );
        assert_eq!(targets[1].target, Target::Docker("alpine:3.20".into()));
        assert_eq!(
            targets[2].target,
            Target::Repo {
                owner: "github".into(),
                repo: "codeql-action".into(),
                path: Some("init".into()),
                git_ref: Some("v3".into()),
            }
        );
        assert_eq!(targets[2].action(), "github/codeql-action/init");
        assert_eq!(file.all_steps().len(), 4);
    }

    const PIPELINE: &str = r#"include:
  - local: ci/build.yml
  - project: acme/templates
    file: /deploy.yml
  - remote: https://example.com/x.yml
  - /ci/lint.yml
stages: [build, test, deploy]
variables:
  DEPLOY_TOKEN:
    value: $VAULT_TOKEN
    description: from the vault
image: alpine:3.20
default:
  services: [docker:27-dind]
.setup:
  before_script:
    - apk add curl
build:
  stage: build
  script: make
test:
  extends: .setup
  image:
    name: golang:1.23
  script:
    - !reference [.setup, before_script]
    - go test ./...
deploy:
  stage: deploy
  environment:
    name: production
  needs: [{job: test}, {project: x/y, job: z, ref: main}]
  when: manual
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
  script: ["echo $CI_MERGE_REQUEST_TITLE"]
"#;

    #[test]
    fn gitlab_pipeline() {
        let file = parse(".gitlab-ci.yml", PIPELINE);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.flavor, Flavor::Gitlab);
        let includes: Vec<_> = file.includes.iter().map(|i| i.as_str()).collect();
        assert_eq!(includes, ["ci/build.yml", "/ci/lint.yml"]);
        let ids: Vec<_> = file.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, [".setup", "build", "test", "deploy"]);
        assert!(file.jobs[0].hidden);
        assert_eq!(file.env[0].text(), Some("$VAULT_TOKEN"));
        assert_eq!(file.images.len(), 2);
        let test = file.job("test").unwrap();
        assert_eq!(test.images[0].reference(), "golang:1.23");
        let lines: Vec<_> = test.scripts.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(lines, ["apk add curl", "go test ./..."]);
        assert_eq!(file.stage_of(test), "test");
        assert!(file.resolved(test, "before_script").is_some());
        assert_eq!(
            file.resolved(test, "services").unwrap().items().count(),
            1,
            "inherited from default"
        );
        let deploy = file.job("deploy").unwrap();
        assert_eq!(deploy.needs.len(), 1);
        assert_eq!(deploy.when.as_ref().unwrap().as_str(), "manual");
        assert_eq!(deploy.rules.len(), 1);
        let upstream: Vec<_> = file
            .upstream(deploy)
            .iter()
            .map(|j| j.id.as_str())
            .collect();
        assert_eq!(upstream, ["test", "build"]);
        let line = &deploy.scripts[0].text;
        assert_eq!(
            slice(PIPELINE, line.find("$CI_MERGE_REQUEST_TITLE").unwrap()),
            "$CI_MERGE_REQUEST_TITLE"
        );
    }

    #[test]
    fn gitlab_spec_header_and_empty_files() {
        let file = parse(
            "templates/x.yml",
            "spec:\n  inputs:\n    stage: {default: test}\n---\njob:\n  script: make\n",
        );
        assert_eq!(file.jobs.len(), 1);
        assert!(parse(".gitlab-ci.yml", "").jobs.is_empty());
        assert!(parse(".github/workflows/x.yml", "- a\n").root.is_none());
    }
}
