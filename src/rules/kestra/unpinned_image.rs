//! Task container images without a tag or digest, or on the `latest` tag.
use crate::formats::kestra::FlowFile;
use crate::rules::prelude::*;
use crate::rules::shared::image_ref;

pub(crate) static RULE: Rule = Rule {
    id: "kestra/unpinned-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/kestra/unpinned-image.md"),
    check: Check::Kestra(check),
};

const DOCKER_RUN: &str = "io.kestra.plugin.docker.Run";

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        for task in &flow.tasks {
            let owner = format!("task `{}`", task.id().unwrap_or("?"));
            for node in images(&task.node, task.kind == DOCKER_RUN) {
                judge(node, &owner, cx);
            }
        }
        for defaults in &flow.plugin_defaults {
            let owner = format!("plugin defaults for `{}`", defaults.kind);
            let run = !defaults.kind.is_empty() && DOCKER_RUN.starts_with(defaults.kind.as_str());
            for node in images(&defaults.values, run) {
                judge(node, &owner, cx);
            }
        }
    }
}

/// `containerImage`, the legacy `docker.image`, and `image` when the properties are a Docker
/// `Run` task's.
fn images(properties: &Node, docker_run: bool) -> Vec<&Node> {
    let mut out: Vec<&Node> = properties.get("containerImage").into_iter().collect();
    out.extend(properties.path(&["docker", "image"]));
    if docker_run {
        out.extend(properties.get("image"));
    }
    out
}

fn judge(node: &Node, owner: &str, cx: &mut Ctx) {
    if let Some(raw) = node.as_str().map(str::trim) {
        image_ref::judge(cx, node.span, raw, "image", owner);
    }
}
