//! Third-party actions and reusable workflows referenced by a tag or branch instead of a
//! commit SHA, and Docker actions without a digest.
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;

pub(crate) static RULE: Rule = Rule {
    id: "ci/unpinned-action",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/ci/unpinned-action.md"),
    check: Check::Ci(check),
};

/// Owners whose actions GitHub publishes itself.
const FIRST_PARTY: &[&str] = &["actions", "github"];

const HELP: &str =
    "pin the full 40-character commit SHA and keep the version in a comment (`@<sha> # v4.2.0`)";
const DOCKER_HELP: &str = "pin the image by digest (`docker://image:tag@sha256:…`)";

fn check(file: &CiFile, cx: &mut Ctx) {
    let first_party_too = cx.options().pin_first_party_actions;
    for job in &file.jobs {
        let uses = job
            .uses
            .iter()
            .chain(job.steps.iter().filter_map(|s| s.uses.as_ref()));
        check_owner(uses, first_party_too, cx);
    }
    check_owner(
        file.steps.iter().filter_map(|s| s.uses.as_ref()),
        first_party_too,
        cx,
    );
}

/// The references of one job (or of a composite action): each unpinned one is reported, and
/// the first pinned one is the owner's Positive.
fn check_owner<'a>(uses: impl Iterator<Item = &'a Uses>, first_party_too: bool, cx: &mut Ctx) {
    let mut pinned: Option<(Span, String)> = None;
    for reference in uses {
        match &reference.target {
            Target::Local(_) => {}
            Target::Docker(image) => {
                let parsed = ImageRef::parse(image.trim());
                if parsed.is_digest_pinned() {
                    pinned.get_or_insert_with(|| {
                        (
                            reference.text.span,
                            format!("`{image}` is pinned by digest"),
                        )
                    });
                } else if !parsed.is_unresolved() {
                    cx.report(
                        reference.text.span,
                        format!("`{}` is not pinned by digest", reference.raw),
                    )
                    .help(DOCKER_HELP);
                }
            }
            Target::Repo { owner, .. } => {
                let action = reference.action();
                if reference.is_sha_pinned() {
                    pinned.get_or_insert_with(|| {
                        (
                            reference.text.span,
                            format!("`{action}` is pinned to a commit SHA"),
                        )
                    });
                    continue;
                }
                let first_party = FIRST_PARTY.iter().any(|o| owner.eq_ignore_ascii_case(o));
                if first_party && !first_party_too {
                    continue;
                }
                let message = match reference.git_ref() {
                    Some(r) if r.contains("${{") => continue,
                    Some(r) => format!("`{action}` is pinned to `{r}`, a ref that can be moved"),
                    None => {
                        format!("`{action}` has no ref, so it runs whatever the repository holds")
                    }
                };
                let finding = cx.report(reference.ref_span(), message);
                finding.help(HELP);
                if first_party {
                    finding.severity = Severity::Suggestion;
                }
            }
        }
    }
    if let Some((span, message)) = pinned {
        cx.pass(span, message);
    }
}
