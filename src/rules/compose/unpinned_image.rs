//! Service images without a tag or digest, or tagged `latest`.
use super::view::{Seen, image};
use crate::formats::compose::Project;
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::{ImageRef, Verdict};

const HELP: &str = "pin a release tag, ideally with its digest (`name:1.2.3@sha256:…`)";

pub(crate) static RULE: Rule = Rule {
    id: "compose/unpinned-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/compose/unpinned-image.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    let mut seen = Seen::default();
    for view in &project.services {
        // With `build:`, `image:` names what the build produces, not what is pulled.
        if view.own.get("build").is_some() {
            continue;
        }
        let (Some(node), Some(reference)) =
            (view.written("image"), image(view.service.node, project.env))
        else {
            continue;
        };
        match ImageRef::parse(&reference).verdict() {
            Verdict::Unknown => {}
            Verdict::Moving(_) | Verdict::Untagged if !seen.first(node.span) => {}
            Verdict::Moving(tag) => {
                cx.report(
                    node.span,
                    format!(
                        "image `{reference}` of service `{}` uses the moving tag `{tag}`",
                        view.name()
                    ),
                )
                .help(HELP);
            }
            Verdict::Untagged => {
                cx.report(
                    node.span,
                    format!(
                        "image `{reference}` of service `{}` has no tag or digest",
                        view.name()
                    ),
                )
                .help(HELP);
            }
            Verdict::Digest => {
                cx.pass(
                    node.span,
                    format!("image of `{}` is pinned by digest", view.name()),
                );
            }
            Verdict::Tag(tag) => {
                cx.pass(
                    node.span,
                    format!("image of `{}` is pinned to `{tag}`", view.name()),
                );
            }
        }
    }
}
