//! Job images without a tag or digest, or on the `latest` tag: GitHub job containers and
//! service containers, GitLab `image` and `services` in jobs, `default:` and at top level.
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::judge;

pub(crate) static RULE: Rule = Rule {
    id: "ci/unpinned-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/ci/unpinned-image.md"),
    check: Check::Ci(check),
};

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
        // `$[[ inputs.image ]]`: a CI/CD component input, known only when the component is used.
        if raw.contains("$[[") {
            continue;
        }
        let role = match image.role {
            ImageRole::Container => "container",
            ImageRole::Service => "service",
            ImageRole::Image => "image",
        };
        judge(cx, image.node.span, raw, role, &owner);
    }
}
