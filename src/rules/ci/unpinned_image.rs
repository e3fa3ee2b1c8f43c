//! Job images without a tag or digest, or on the `latest` tag: GitHub job containers and
//! service containers, GitLab `image` and `services` in jobs, `default:` and at top level.
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "ci/unpinned-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/ci/unpinned-image.md"),
    check: Check::Ci(check),
};

const HELP: &str = "pin a release tag, ideally with its digest (`name:tag@sha256:…`)";

fn check(file: &CiFile, cx: &mut Ctx) {
    let images = file
        .images
        .iter()
        .map(|i| (i, "the pipeline".to_string()))
        .chain(file.jobs.iter().flat_map(|job| {
            job.images
                .iter()
                .map(move |i| (i, format!("job `{}`", job.id.value)))
        }));
    for (image, owner) in images {
        let raw = image.reference().trim();
        let parsed = ImageRef::parse(raw);
        if raw.is_empty() || parsed.is_unresolved() || raw.contains("$[[") {
            continue;
        }
        let span = image.node.span;
        if parsed.is_digest_pinned() {
            cx.pass(span, format!("image `{raw}` is pinned by digest"));
            continue;
        }
        let role = match image.role {
            ImageRole::Container => "container",
            ImageRole::Service => "service",
            ImageRole::Image => "image",
        };
        match parsed.tag {
            Some(tag) if !parsed.is_unpinned() => {
                cx.pass(span, format!("image `{raw}` is pinned to tag `{tag}`"));
            }
            Some(tag) => {
                cx.report(
                    span,
                    format!("{role} `{raw}` of {owner} uses the floating `{tag}` tag"),
                )
                .help(HELP);
            }
            None => {
                cx.report(
                    span,
                    format!("{role} `{raw}` of {owner} has no tag or digest, so it pulls `latest`"),
                )
                .help(HELP);
            }
        }
    }
}
