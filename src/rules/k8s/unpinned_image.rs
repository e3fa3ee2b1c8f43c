//! Container images without a tag or digest, or on the `latest` tag.
use super::names;
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::judge;

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
            judge(cx, node.span, raw, "image", &names::container(&container));
        }
    }
}
