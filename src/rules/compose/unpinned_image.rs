//! Service images without a tag or digest, or tagged `latest`.
use super::view::{Seen, image, project};
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "compose/unpinned-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/compose/unpinned-image.md"),
    check: Check::Compose(check),
};

fn check(file: &ComposeFile, cx: &mut Ctx) {
    let ComposeFile::Yaml(compose) = file else {
        return;
    };
    let project = project(compose, cx);
    let mut seen = Seen::default();
    for view in &project.services {
        // With `build:`, `image:` names what the build produces, not what is pulled.
        if view.own.get("build").is_some() {
            continue;
        }
        let (Some(node), Some(reference)) = (
            view.written("image"),
            image(view.service.node, &project.env),
        ) else {
            continue;
        };
        let image = ImageRef::parse(&reference);
        if image.raw.is_empty() || image.is_unresolved() {
            continue;
        }
        if image.is_unpinned() {
            if seen.first(node.span) {
                let why = match image.tag {
                    Some(tag) => format!("uses the moving tag `{tag}`"),
                    None => "has no tag or digest".to_string(),
                };
                cx.report(
                    node.span,
                    format!("image `{reference}` of service `{}` {why}", view.name()),
                )
                .help("pin a release tag, ideally with its digest (`name:1.2.3@sha256:…`)");
            }
        } else if image.is_digest_pinned() {
            cx.pass(
                node.span,
                format!("image of `{}` is pinned by digest", view.name()),
            );
        } else if let Some(tag) = image.tag {
            cx.pass(
                node.span,
                format!("image of `{}` is pinned to `{tag}`", view.name()),
            );
        }
    }
}
