//! Container images without a tag or digest, or on the `latest` tag.
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/unpinned-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/unpinned-image.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        for container in workload.containers() {
            let Some(node) = container.image() else {
                continue;
            };
            let Some(raw) = node.as_str().map(str::trim) else {
                continue;
            };
            let image = ImageRef::parse(raw);
            if raw.is_empty() || image.is_unresolved() {
                continue;
            }
            if image.is_digest_pinned() {
                cx.pass(node.span, format!("image `{raw}` is pinned by digest"));
                continue;
            }
            match image.tag {
                Some(tag) if !image.is_unpinned() => {
                    cx.pass(node.span, format!("image `{raw}` is pinned to tag `{tag}`"));
                }
                Some(tag) => {
                    cx.report(
                        node.span,
                        format!(
                            "image `{raw}` of {} uses the floating `{tag}` tag",
                            container.label()
                        ),
                    )
                    .help("pin a release tag, ideally with its digest (`name:tag@sha256:…`)");
                }
                None => {
                    cx.report(
                        node.span,
                        format!(
                            "image `{raw}` of {} has no tag or digest, so it pulls `latest`",
                            container.label()
                        ),
                    )
                    .help("pin a release tag, ideally with its digest (`name:tag@sha256:…`)");
                }
            }
        }
    }
}
