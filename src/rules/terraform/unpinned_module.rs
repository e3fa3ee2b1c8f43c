//! Module sources that can change under the same configuration.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/unpinned-module",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/terraform/unpinned-module.md"),
    check: Check::Terraform(check),
};

/// Git refs that name a moving branch.
const BRANCHES: [&str; 6] = ["main", "master", "develop", "dev", "trunk", "HEAD"];

fn check(module: &Module, cx: &mut Ctx) {
    for block in module.blocks("module") {
        let name = block.label(0).unwrap_or("");
        let Some(source) = block.body.get("source") else {
            continue;
        };
        let Some(text) = source.as_str() else {
            continue;
        };
        match classify(text) {
            Source::Registry => match block.body.get("version") {
                Some(version) => {
                    let shown = version.as_str().unwrap_or("…");
                    cx.pass(
                        version.span,
                        format!("module `{name}` is pinned to version `{shown}`"),
                    );
                }
                None => {
                    cx.report(
                        source.span,
                        format!("module `{name}` comes from the registry without a `version`"),
                    )
                    .help("add a `version` constraint, ideally an exact version");
                }
            },
            Source::Vcs(reference) => match reference {
                None => {
                    cx.report(
                        source.span,
                        format!("module `{name}` comes from a repository without `?ref=`, so it follows the default branch"),
                    )
                    .help("add `?ref=` with a release tag or, better, a full commit SHA");
                }
                Some(r) if BRANCHES.contains(&r) => {
                    cx.report(
                        source.span,
                        format!("module `{name}` follows the branch `{r}`"),
                    )
                    .help("point `?ref=` at a release tag or, better, a full commit SHA");
                }
                Some(r) if r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    cx.pass(
                        source.span,
                        format!("module `{name}` is pinned to commit `{r}`"),
                    );
                }
                Some(_) => {}
            },
            Source::Other => {}
        }
    }
}

enum Source<'a> {
    /// `namespace/name/provider`, optionally with a host.
    Registry,
    /// Git or Mercurial, with the `ref` query parameter if any.
    Vcs(Option<&'a str>),
    /// Local paths, archives and anything unknown.
    Other,
}

fn classify(source: &str) -> Source<'_> {
    if source.starts_with("./") || source.starts_with("../") || source.starts_with('/') {
        return Source::Other;
    }
    let vcs = ["git::", "hg::", "github.com/", "bitbucket.org/", "git@"]
        .iter()
        .any(|p| source.starts_with(p));
    if vcs {
        let query = source.split_once('?').map(|(_, q)| q);
        let reference = query.and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("ref="))
                .map(|r| r.split("//").next().unwrap_or(r))
        });
        return Source::Vcs(reference);
    }
    if source.contains("::") || source.contains("://") {
        return Source::Other;
    }
    let address = source.split("//").next().unwrap_or(source);
    let parts: Vec<&str> = address.split('/').collect();
    let well_formed = |p: &[&str]| {
        p.iter().all(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    };
    match parts.as_slice() {
        [_, _, _] if well_formed(&parts) => Source::Registry,
        [host, rest @ ..] if rest.len() == 3 && host.contains('.') && well_formed(rest) => {
            Source::Registry
        }
        _ => Source::Other,
    }
}
