//! The final stage is built on a full OS or SDK image.
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;
use crate::rules::shared::interpolate::stage_image;

pub(crate) static RULE: Rule = Rule {
    id: "docker/heavy-base-image",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/docker/heavy-base-image.md"),
    check: Check::Docker(check),
};

/// Why an image is heavy, and what to use instead.
#[derive(Clone, Copy)]
enum Heavy {
    Os,
    Language,
    Sdk,
    Jdk,
}

/// Images named by their last path component, so mirrors of the official images match too.
const HEAVY_BY_NAME: &[(&str, Heavy)] = &[
    ("almalinux", Heavy::Os),
    ("amazonlinux", Heavy::Os),
    ("buildpack-deps", Heavy::Os),
    ("centos", Heavy::Os),
    ("debian", Heavy::Os),
    ("fedora", Heavy::Os),
    ("rockylinux", Heavy::Os),
    ("ubuntu", Heavy::Os),
    ("node", Heavy::Language),
    ("perl", Heavy::Language),
    ("php", Heavy::Language),
    ("python", Heavy::Language),
    ("ruby", Heavy::Language),
    ("golang", Heavy::Sdk),
    ("gradle", Heavy::Sdk),
    ("maven", Heavy::Sdk),
    ("rust", Heavy::Sdk),
    ("amazoncorretto", Heavy::Jdk),
    ("eclipse-temurin", Heavy::Jdk),
    ("openjdk", Heavy::Jdk),
];

/// Repositories known for minimal images, whatever the tag.
const MINIMAL_REPOSITORIES: &[&str] = &[
    "gcr.io/distroless/",
    "cgr.dev/chainguard/",
    "docker.io/library/busybox",
];

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(root) = file.final_stage().and_then(|s| file.root(s)) else {
        return;
    };
    let resolved = stage_image(file, root);
    let image = ImageRef::parse(&resolved);
    if image.is_unresolved() || image.raw.is_empty() {
        return;
    }
    let span = root.image.span;
    match classify(&image) {
        Weight::Minimal => {
            cx.pass(span, format!("minimal final base `{}`", image.raw));
        }
        Weight::Heavy(kind) => {
            let (what, help) = match kind {
                Heavy::Os => (
                    "a full operating system image",
                    "run the final stage on a slim, distroless or scratch image and install only what the service needs",
                ),
                Heavy::Language => (
                    "a full language image with build tools",
                    "use the `-slim` or `-alpine` variant of the image for the final stage",
                ),
                Heavy::Sdk => (
                    "an SDK image",
                    "build in an earlier stage and copy the result into a runtime or distroless image",
                ),
                Heavy::Jdk => (
                    "a JDK image",
                    "use a JRE tag for the final stage; the compiler is only needed to build",
                ),
            };
            cx.report(
                span,
                format!("the final stage is based on `{}`, {what}", image.raw),
            )
            .help(help);
        }
        Weight::Unknown => {}
    }
}

enum Weight {
    Minimal,
    Heavy(Heavy),
    Unknown,
}

fn classify(image: &ImageRef) -> Weight {
    if image.is_scratch() {
        return Weight::Minimal;
    }
    let repository = image.repository();
    let tag = image.tag.unwrap_or("latest").to_ascii_lowercase();
    let name = image.name().to_ascii_lowercase();
    // `*-slim*` and `*alpine*` anywhere in the reference: `alpine:3.20`, `python:3.12-slim`.
    let reference = image.raw.to_ascii_lowercase();
    if MINIMAL_REPOSITORIES
        .iter()
        .any(|prefix| repository.starts_with(prefix))
        || tag.contains("slim")
        || reference.contains("-slim")
        || reference.contains("alpine")
        || (name.starts_with("ubi") && (name.ends_with("-minimal") || name.ends_with("-micro")))
    {
        return Weight::Minimal;
    }
    if repository == "mcr.microsoft.com/dotnet/sdk" {
        return Weight::Heavy(Heavy::Sdk);
    }
    let Some(&(_, kind)) = HEAVY_BY_NAME.iter().find(|(n, _)| *n == name) else {
        return Weight::Unknown;
    };
    match kind {
        Heavy::Os if name == "amazonlinux" && tag.contains("minimal") => Weight::Minimal,
        Heavy::Jdk if tag.contains("jre") => Weight::Minimal,
        Heavy::Jdk if !tag.contains("jdk") => Weight::Unknown,
        _ => Weight::Heavy(kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heavy(raw: &str) -> bool {
        matches!(classify(&ImageRef::parse(raw)), Weight::Heavy(_))
    }

    fn minimal(raw: &str) -> bool {
        matches!(classify(&ImageRef::parse(raw)), Weight::Minimal)
    }

    #[test]
    fn heavy_images() {
        assert!(heavy("ubuntu:24.04"));
        assert!(heavy("debian:bookworm"));
        assert!(heavy("python:3.12"));
        assert!(heavy("node"));
        assert!(heavy("golang:1.23"));
        assert!(heavy("mcr.microsoft.com/dotnet/sdk:8.0"));
        assert!(heavy("eclipse-temurin:21-jdk"));
        assert!(heavy("public.ecr.aws/docker/library/ruby:3.3"));
        assert!(heavy("amazonlinux:2023"));
    }

    #[test]
    fn minimal_images() {
        assert!(minimal("scratch"));
        assert!(minimal("debian:bookworm-slim"));
        assert!(minimal("python:3.12-alpine"));
        assert!(minimal("alpine:3.20"));
        assert!(minimal("gcr.io/distroless/static-debian12:nonroot"));
        assert!(minimal("cgr.dev/chainguard/python:latest"));
        assert!(minimal("registry.access.redhat.com/ubi9/ubi-minimal:9.4"));
        assert!(minimal("busybox:1.37"));
        assert!(minimal("eclipse-temurin:21-jre"));
        assert!(minimal("amazonlinux:2023-minimal"));
    }

    #[test]
    fn others_are_neither() {
        assert!(!heavy("nginx:1.27") && !minimal("nginx:1.27"));
        assert!(!heavy("amazoncorretto:21") && !minimal("amazoncorretto:21"));
    }
}
