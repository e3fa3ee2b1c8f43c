//! Differential test: on every Dockerfile fixture and rule example that the `parse-dockerfile`
//! crate accepts, our instruction keyword spans must equal its spans.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use parse_dockerfile::Instruction as Theirs;
use std::path::Path;

fn their_keyword_spans(text: &str) -> Option<Vec<(usize, usize)>> {
    let file = parse_dockerfile::parse(text).ok()?;
    Some(
        file.instructions
            .iter()
            .map(|i| {
                let span = match i {
                    Theirs::Add(x) => x.add.span.clone(),
                    Theirs::Arg(x) => x.arg.span.clone(),
                    Theirs::Cmd(x) => x.cmd.span.clone(),
                    Theirs::Copy(x) => x.copy.span.clone(),
                    Theirs::Entrypoint(x) => x.entrypoint.span.clone(),
                    Theirs::Env(x) => x.env.span.clone(),
                    Theirs::Expose(x) => x.expose.span.clone(),
                    Theirs::From(x) => x.from.span.clone(),
                    Theirs::Healthcheck(x) => x.healthcheck.span.clone(),
                    Theirs::Label(x) => x.label.span.clone(),
                    Theirs::Maintainer(x) => x.maintainer.span.clone(),
                    Theirs::Onbuild(x) => x.onbuild.span.clone(),
                    Theirs::Run(x) => x.run.span.clone(),
                    Theirs::Shell(x) => x.shell.span.clone(),
                    Theirs::Stopsignal(x) => x.stopsignal.span.clone(),
                    Theirs::User(x) => x.user.span.clone(),
                    Theirs::Volume(x) => x.volume.span.clone(),
                    Theirs::Workdir(x) => x.workdir.span.clone(),
                    _ => 0..0,
                };
                (span.start, span.end)
            })
            .collect(),
    )
}

fn our_keyword_spans(text: &str) -> Vec<(usize, usize)> {
    infralint::formats::docker::parse(text)
        .instructions
        .iter()
        .map(|i| (i.keyword.span.start as usize, i.keyword.span.end as usize))
        .collect()
}

fn inputs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("fixtures"), root.join("rules")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                stack.push(path);
            } else if name == "Dockerfile" || name.ends_with(".Dockerfile") {
                out.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            } else if name.ends_with(".md") {
                let doc = std::fs::read_to_string(&path).unwrap();
                let mut body: Option<String> = None;
                for line in doc.lines() {
                    match (line.strip_prefix("```"), &mut body) {
                        (Some(_), Some(b)) => {
                            out.push((path.display().to_string(), std::mem::take(b)));
                            body = None;
                        }
                        (Some(info), None) if info.starts_with("dockerfile") => {
                            body = Some(String::new())
                        }
                        (None, Some(b)) => {
                            b.push_str(line);
                            b.push('\n');
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn keyword_spans_agree_with_parse_dockerfile() {
    let mut compared = 0;
    for (name, text) in inputs() {
        let Some(theirs) = their_keyword_spans(&text) else {
            continue;
        };
        let ours = our_keyword_spans(&text);
        assert_eq!(ours, theirs, "{name}:\n{text}");
        compared += 1;
    }
    assert!(compared >= 100, "only {compared} inputs were compared");
}
