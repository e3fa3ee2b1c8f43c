//! Container images run from `Exec*=` lines without a tag, digest or with `latest` (X02).
use crate::formats::shell::{self, Dialect, Word};
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::{ImageRef, Verdict};

pub(crate) static RULE: Rule = Rule {
    id: "systemd/unpinned-image",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/systemd/unpinned-image.md"),
    check: Check::Systemd(check),
};

fn check(unit: &Unit, cx: &mut Ctx) {
    let mut passed = false;
    for entry in unit.exec_lines() {
        let commands = shell::read(&entry.value, Dialect::Systemd);
        for image in commands.iter().filter_map(|c| image_operand(&c.words)) {
            check_image(entry, image, &mut passed, cx);
        }
    }
}

/// Report an image operand, or note the first pinned one as a pass.
fn check_image(entry: &Entry, image: &Word, passed: &mut bool, cx: &mut Ctx) {
    if image.text.contains('%') {
        return;
    }
    let span = entry.source_span(image.range.clone());
    let what = match ImageRef::parse(&image.text).verdict() {
        Verdict::Unknown => return,
        Verdict::Moving(tag) => format!("the `{tag}` tag"),
        Verdict::Untagged => "no tag or digest".to_string(),
        Verdict::Digest | Verdict::Tag(_) if *passed => return,
        Verdict::Digest => {
            *passed = true;
            cx.pass(span, format!("image `{}` is pinned by digest", image.text));
            return;
        }
        Verdict::Tag(tag) => {
            *passed = true;
            cx.pass(span, format!("image `{}` is pinned to `{tag}`", image.text));
            return;
        }
    };
    cx.report(span, format!("image `{}` has {what}", image.text))
        .help("pin a release tag, ideally with its digest (`image:1.2.3@sha256:…`)");
}

/// Global options of `docker`/`podman` that take a value, written before the subcommand.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "-H",
    "--host",
    "-c",
    "--context",
    "--config",
    "-l",
    "--log-level",
    "--url",
    "--connection",
    "--identity",
    "--root",
    "--runroot",
    "--storage-driver",
    "--cgroup-manager",
    "--tls",
];

/// Options of `run`/`create` that take no value (everything else takes one).
const BOOLEAN_OPTIONS: &[&str] = &[
    "--detach",
    "--interactive",
    "--tty",
    "--rm",
    "--privileged",
    "--init",
    "--publish-all",
    "--read-only",
    "--read-only-tmpfs",
    "--no-healthcheck",
    "--oom-kill-disable",
    "--sig-proxy",
    "--disable-content-trust",
    "--quiet",
    "--replace",
    "--rmi",
    "--no-hosts",
    "--env-host",
    "--passwd",
    "--use-api-socket",
    "--help",
];

/// Short options that take no value; combined forms such as `-dit` are made of them.
const BOOLEAN_LETTERS: &str = "ditPq";

/// The image word of a `docker|podman [container] run|create` command line.
fn image_operand(words: &[Word]) -> Option<&Word> {
    let at = words
        .iter()
        .position(|w| matches!(shell::basename(&w.text), "docker" | "podman"))?;
    let mut rest = words.get(at + 1..)?.iter();
    // Global options, then the subcommand.
    let mut sub = loop {
        let word = rest.next()?;
        if GLOBAL_WITH_VALUE.contains(&word.text.as_str()) {
            rest.next();
        } else if !word.text.starts_with('-') {
            break word.text.as_str();
        }
    };
    if sub == "container" {
        sub = rest.next()?.text.as_str();
    }
    if !matches!(sub, "run" | "create") {
        return None;
    }
    loop {
        let word = rest.next()?;
        let text = word.text.as_str();
        if text == "--" {
            return rest.next();
        }
        if text == "--rootfs" {
            // The operand is a root file system, not an image.
            return None;
        }
        if let Some(long) = text.strip_prefix("--") {
            if !long.contains('=') && !BOOLEAN_OPTIONS.contains(&text) {
                rest.next();
            }
        } else if let Some(short) = text.strip_prefix('-') {
            let all_boolean =
                !short.is_empty() && short.chars().all(|c| BOOLEAN_LETTERS.contains(c));
            // `-p8080:80` carries its value; `-p 8080:80` takes the next word.
            if !all_boolean && short.chars().count() == 1 {
                rest.next();
            }
        } else {
            return Some(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(line: &str) -> Option<String> {
        let commands = shell::read(line, Dialect::Systemd);
        image_operand(&commands.first()?.words).map(|w| w.text.clone())
    }

    #[test]
    fn finds_the_image_after_the_options() {
        assert_eq!(
            image("/usr/bin/docker run --rm -p 80:80 -dit nginx").as_deref(),
            Some("nginx")
        );
        assert_eq!(
            image("docker -H unix:///x run --name=a -e A=1 redis:7 x").as_deref(),
            Some("redis:7")
        );
        assert_eq!(
            image("podman container create -p8080:80 app").as_deref(),
            Some("app")
        );
        assert_eq!(image("docker run --rootfs /srv/root cmd"), None);
        assert_eq!(image("docker start web"), None);
        assert_eq!(image("docker run -- img").as_deref(), Some("img"));
    }
}
