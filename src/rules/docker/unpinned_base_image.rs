//! Images pulled by `FROM`, `COPY --from` or `RUN --mount=from=` without a tag or digest.
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::{ImageRef, Verdict};
use crate::rules::shared::interpolate::{lookup_in, stage_image, stage_vars, substitute};

pub(crate) static RULE: Rule = Rule {
    id: "docker/unpinned-base-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/docker/unpinned-base-image.md"),
    check: Check::Docker(check),
};

/// An external image reference found in the file.
pub(super) struct Reference {
    /// What pulls it: `base image`, `` `COPY --from` image ``, …
    pub(super) what: &'static str,
    pub(super) written: String,
    pub(super) resolved: String,
    pub(super) span: Span,
}

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let references = references(file);
    let mut pinned: Vec<(&Reference, Option<String>)> = vec![];
    let mut unpinned = 0;
    for reference in &references {
        let image = ImageRef::parse(&reference.resolved);
        if image.is_scratch() {
            continue;
        }
        let problem = match image.verdict() {
            Verdict::Unknown => continue,
            // The tag, or `None` when a digest pins the image.
            Verdict::Digest => {
                pinned.push((reference, None));
                continue;
            }
            Verdict::Tag(tag) => {
                pinned.push((reference, Some(tag.to_string())));
                continue;
            }
            Verdict::Moving(tag) => format!("uses the floating `{tag}` tag"),
            Verdict::Untagged => "has no tag or digest".to_string(),
        };
        unpinned += 1;
        let message = if reference.written == reference.resolved {
            format!("{} `{}` {problem}", reference.what, reference.resolved)
        } else {
            format!(
                "{} `{}` resolves to `{}`, which {problem}",
                reference.what, reference.written, reference.resolved
            )
        };
        cx.report(reference.span, message)
            .help("pin a release tag, ideally with its digest (`name:tag@sha256:…`)");
    }
    if unpinned > 0 {
        return;
    }
    match pinned.as_slice() {
        [] => {}
        [(reference, tag)] => {
            let how = match tag {
                Some(tag) => format!("pinned to tag `{tag}`"),
                None => "pinned by digest".to_string(),
            };
            cx.pass(
                reference.span,
                format!("{} `{}` is {how}", reference.what, reference.resolved),
            );
        }
        many => {
            let how = if many.iter().all(|(_, tag)| tag.is_none()) {
                "pinned by digest"
            } else {
                "pinned to a tag or digest"
            };
            if let Some(owner) = file.final_stage().and_then(|s| file.from_instruction(s)) {
                cx.pass(
                    owner.span,
                    format!("all {} external images are {how}", many.len()),
                );
            }
        }
    }
}

/// Every external image the file pulls, in file order (read by `docker/untrusted-registry`
/// too).
pub(super) fn references(file: &Dockerfile) -> Vec<Reference> {
    let mut out = vec![];
    for stage in &file.stages {
        if !file.is_stage_alias(&stage.image.value) {
            out.push(Reference {
                what: "base image",
                written: stage.image.value.clone(),
                resolved: stage_image(file, stage),
                span: stage.image.span,
            });
        }
        for index in stage.body.clone() {
            let Some(instr) = file.instructions.get(index) else {
                continue;
            };
            let sources: Vec<(&'static str, Spanned<String>)> = match instr.kind {
                Kind::Copy => instr
                    .flag("from")
                    .and_then(|f| f.value.clone())
                    .map(|v| ("`COPY --from` image", v))
                    .into_iter()
                    .collect(),
                Kind::Run => instr
                    .mount_options("from")
                    .into_iter()
                    .map(|v| ("`RUN --mount` image", v))
                    .collect(),
                _ => vec![],
            };
            if sources.is_empty() {
                continue;
            }
            let vars = stage_vars(file, stage, index);
            for (what, source) in sources {
                let name = &source.value;
                // Stage names and indices are not images; unknown names are images.
                if name.parse::<usize>().is_ok() || file.is_stage_alias(name) {
                    continue;
                }
                out.push(Reference {
                    what,
                    written: name.clone(),
                    resolved: substitute(name, lookup_in(&vars)),
                    span: source.span,
                });
            }
        }
    }
    out
}
