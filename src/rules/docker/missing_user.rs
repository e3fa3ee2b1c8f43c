//! The final stage never sets `USER` and its base image is not known to drop root.
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;
use crate::rules::shared::interpolate::stage_image;
use crate::rules::shared::wildcard;

pub(crate) static RULE: Rule = Rule {
    id: "docker/missing-user",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/docker/missing-user.md"),
    check: Check::Docker(check),
};

/// Base images that already run as a non-root user: a glob over `repository[:tag]` (the
/// repository normalized, `*` matching anything), and a tag suffix that makes an exception.
/// `[options] nonroot-base-images` adds to them.
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
    if is_nonroot_base(&image, &cx.options().nonroot_base_images) {
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

/// Whether the image is a built-in non-root base, or matches one of the user's patterns: a
/// pattern with a `:` is matched against `repository:tag`, one without against the repository;
/// either may be written normalized (`docker.io/acme/*`) or as in the `FROM` (`acme/*`).
fn is_nonroot_base(image: &ImageRef, extra: &[String]) -> bool {
    let repository = image.repository();
    let tag = image.tag.unwrap_or("latest");
    let full = format!("{repository}:{tag}");
    let builtin = NONROOT_BASE_IMAGES.iter().any(|(pattern, except)| {
        wildcard::matches(pattern, &full) && except.is_none_or(|suffix| !tag.ends_with(suffix))
    });
    let written = image.raw.split('@').next().unwrap_or(image.raw);
    let short = written.rsplit_once(':').filter(|(_, t)| !t.contains('/'));
    let short_repository = short.map_or(written, |(r, _)| r);
    builtin
        || extra.iter().any(|pattern| {
            let normalized = normalize_pattern(pattern);
            if pattern.contains(':') {
                wildcard::matches(&normalized, &full)
                    || wildcard::matches(pattern, &format!("{short_repository}:{tag}"))
            } else {
                wildcard::matches(&normalized, &repository)
                    || wildcard::matches(pattern, short_repository)
            }
        })
}

/// A pattern written like a Docker Hub reference (`acme/*`, `nginx*`) in the normalized form
/// of [`ImageRef::repository`]; patterns that start with a registry host stay as they are.
fn normalize_pattern(pattern: &str) -> String {
    let first = pattern.split('/').next().unwrap_or(pattern);
    let has_host = pattern.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost" || first == "*");
    if has_host {
        pattern.to_string()
    } else if pattern.contains('/') {
        format!("docker.io/{pattern}")
    } else {
        format!("docker.io/library/{pattern}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonroot_bases() {
        let nonroot = |raw| is_nonroot_base(&ImageRef::parse(raw), &[]);
        assert!(nonroot("gcr.io/distroless/static-debian12:nonroot"));
        assert!(nonroot("gcr.io/distroless/base:debug-nonroot@sha256:abc"));
        assert!(!nonroot("gcr.io/distroless/static-debian12"));
        assert!(nonroot("cgr.dev/chainguard/python:latest"));
        assert!(!nonroot("cgr.dev/chainguard/python:latest-dev"));
        assert!(nonroot("nginxinc/nginx-unprivileged:1.27-alpine"));
        assert!(nonroot("bitnami/redis:7.4"));
        assert!(!nonroot("nginx:1.27"));
    }

    #[test]
    fn extra_nonroot_bases() {
        let extra = [
            "acme/runtime-*".to_string(),
            "ghcr.io/acme/*:*-nonroot".to_string(),
        ];
        let nonroot = |raw| is_nonroot_base(&ImageRef::parse(raw), &extra);
        assert!(nonroot("acme/runtime-java:21"));
        assert!(nonroot("docker.io/acme/runtime-go"));
        assert!(nonroot("ghcr.io/acme/api:1.2-nonroot"));
        assert!(!nonroot("ghcr.io/acme/api:1.2"));
        assert!(!nonroot("acme/builder:1"));
    }
}
