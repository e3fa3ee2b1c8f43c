//! Images pulled from a registry that `trusted-registries` does not list.
use super::unpinned_base_image::references;
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "docker/untrusted-registry",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/docker/untrusted-registry.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    // Without a list every registry is trusted: the rule says nothing, not even a positive.
    let trusted = &cx.options().trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let mut untrusted = Vec::new();
    let mut judged = 0;
    for reference in references(file) {
        let image = ImageRef::parse(&reference.resolved);
        if image.raw.is_empty() || image.is_unresolved() || image.is_scratch() {
            continue;
        }
        judged += 1;
        if image.trusted_by(trusted).is_none() {
            let registry = image.registry_host().to_string();
            untrusted.push((reference, registry));
        }
    }
    let list = trusted.join("`, `");
    if untrusted.is_empty() && judged > 0 {
        if let Some(owner) = file.final_stage().and_then(|s| file.from_instruction(s)) {
            cx.pass(
                owner.span,
                format!("every image the build pulls comes from a trusted registry (`{list}`)"),
            );
        }
        return;
    }
    for (reference, registry) in untrusted {
        cx.report(
            reference.span,
            format!(
                "{} `{}` comes from `{registry}`, which is not a trusted registry",
                reference.what, reference.resolved
            ),
        )
        .help(format!(
            "pull it from a trusted registry (`{list}`), or add its registry to `trusted-registries`"
        ));
    }
}
