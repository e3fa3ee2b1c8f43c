//! Container images in Terraform resources without a tag or digest, or tagged `latest`.
use crate::formats::terraform::json_document;
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::{ImageRef, Verdict};

const HELP: &str = "pin a release tag, ideally with its digest (`image:1.2.3@sha256:…`)";

pub(crate) static RULE: Rule = Rule {
    id: "terraform/unpinned-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/unpinned-image.md"),
    check: Check::Terraform(check),
};

/// Nested blocks that describe a container with an `image`.
const CONTAINER_BLOCKS: [&str; 4] = [
    "container",
    "containers",
    "init_container",
    "init_containers",
];

fn check(module: &Module, cx: &mut Ctx) {
    let mut images: Vec<(Expr, String)> = Vec::new();
    for block in module.resources() {
        let ty = block.label(0).unwrap_or("");
        let address = block.address();
        match ty {
            "docker_container" => {
                images.extend(block.body.get("image").map(|e| (e.clone(), address)));
            }
            "docker_image" => images.extend(block.body.get("name").map(|e| (e.clone(), address))),
            "aws_ecs_task_definition" => {
                if let Some(defs) = block.body.get("container_definitions") {
                    if let Some(doc) = json_document(defs) {
                        ecs_images(&doc, &address, &mut images);
                    }
                }
            }
            _ if ty.starts_with("kubernetes_")
                || ty.starts_with("google_cloud_run")
                || ty == "azurerm_container_app"
                || ty == "azurerm_container_group" =>
            {
                container_images(&block.body, &address, &mut images);
            }
            _ => {}
        }
    }
    let mut positive: Option<(Span, String)> = None;
    for (expr, address) in &images {
        let resolved = module.resolve(expr);
        let expr = &expr;
        let Some(text) = resolved.as_str() else {
            continue;
        };
        let how = match ImageRef::parse(text.trim()).verdict() {
            Verdict::Unknown => continue,
            Verdict::Moving(tag) => {
                cx.report(
                    expr.span,
                    format!("image `{text}` of `{address}` is tagged `{tag}`"),
                )
                .help(HELP);
                continue;
            }
            Verdict::Untagged => {
                cx.report(
                    expr.span,
                    format!("image `{text}` of `{address}` has no tag or digest"),
                )
                .help(HELP);
                continue;
            }
            Verdict::Digest => "pinned by digest".to_string(),
            Verdict::Tag(tag) => format!("pinned to tag `{tag}`"),
        };
        // The first pinned image is praised, or the first pinned by digest when there is one.
        if positive
            .as_ref()
            .is_none_or(|(_, m)| !m.ends_with("by digest") && how.ends_with("by digest"))
        {
            positive = Some((expr.span, format!("image of `{address}` is {how}")));
        }
    }
    if let Some((span, message)) = positive {
        cx.pass(span, message);
    }
}

fn container_images(body: &Body, address: &str, out: &mut Vec<(Expr, String)>) {
    for block in &body.blocks {
        if CONTAINER_BLOCKS.contains(&block.kind.value.as_str()) {
            if let Some(image) = block.body.get("image") {
                out.push((image.clone(), address.to_string()));
            }
        }
        container_images(&block.body, address, out);
    }
}

/// `image` fields of the container definitions of an ECS task (a JSON array of objects).
fn ecs_images(doc: &Expr, address: &str, out: &mut Vec<(Expr, String)>) {
    for def in doc.as_list().unwrap_or_default() {
        if let Some(image) = def.field("image") {
            out.push((image.clone(), address.to_string()));
        }
    }
}
