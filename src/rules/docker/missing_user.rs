//! The final stage never sets `USER` and its base image is not known to drop root.
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;
use crate::rules::shared::interpolate::stage_image;

pub(crate) static RULE: Rule = Rule {
    id: "docker/missing-user",
    severity: Severity::Warning,
    doc: include_str!("../../../rules/docker/missing-user.md"),
    check: Check::Docker(check),
};

/// Base images that already run as a non-root user: a glob over `repository[:tag]` (the
/// repository normalized, `*` matching anything), and a tag suffix that makes an exception.
const NONROOT_BASE_IMAGES: &[(&str, Option<&str>)] = &[
    ("gcr.io/distroless/*:*nonroot*", None),
    ("cgr.dev/chainguard/*", Some("-dev")),
    ("*/nginx-unprivileged*", None),
    ("docker.io/bitnami/*", None),
    ("public.ecr.aws/bitnami/*", None),
];

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(last) = file.final_stage() else {
        return;
    };
    if file.effective(last, Kind::User).is_some() {
        return;
    }
    let Some(root) = file.root(last) else {
        return;
    };
    let image = stage_image(file, root);
    let image = ImageRef::parse(&image);
    if image.is_unresolved() {
        return;
    }
    let span = file
        .from_instruction(last)
        .map_or(last.image.span, |f| f.span);
    if image.is_scratch() {
        cx.report(
            span,
            "the final stage is built `FROM scratch` without `USER`, so it runs as UID 0",
        )
        .help("add `USER` with a numeric non-root UID, such as `USER 65532`");
        return;
    }
    if is_nonroot_base(&image) {
        return;
    }
    cx.report(
        span,
        format!(
            "the final stage sets no `USER`, so it runs as the user of `{}`, usually root",
            image.raw
        ),
    )
    .help("create an unprivileged user and switch to it with `USER` in the final stage");
}

fn is_nonroot_base(image: &ImageRef) -> bool {
    let repository = image.repository();
    let tag = image.tag.unwrap_or("latest");
    let full = format!("{repository}:{tag}");
    NONROOT_BASE_IMAGES.iter().any(|(pattern, except)| {
        glob(pattern, &full) && except.is_none_or(|suffix| !tag.ends_with(suffix))
    })
}

/// `*` matches any run of characters, everything else itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return text.is_empty();
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        // No `*`: the prefix must be the whole text.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("a*", "abc"));
        assert!(glob("*c", "abc"));
        assert!(glob("a*b*c", "a-b-c"));
        assert!(!glob("a*b*c", "a-c"));
        assert!(glob("abc", "abc"));
        assert!(!glob("ab", "abc"));
        assert!(glob("*x*", "x"));
    }

    #[test]
    fn nonroot_bases() {
        let nonroot = |raw| is_nonroot_base(&ImageRef::parse(raw));
        assert!(nonroot("gcr.io/distroless/static-debian12:nonroot"));
        assert!(nonroot("gcr.io/distroless/base:debug-nonroot@sha256:abc"));
        assert!(!nonroot("gcr.io/distroless/static-debian12"));
        assert!(nonroot("cgr.dev/chainguard/python:latest"));
        assert!(!nonroot("cgr.dev/chainguard/python:latest-dev"));
        assert!(nonroot("nginxinc/nginx-unprivileged:1.27-alpine"));
        assert!(nonroot("bitnami/redis:7.4"));
        assert!(!nonroot("nginx:1.27"));
    }
}
