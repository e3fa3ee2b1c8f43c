//! A `.dockerignore` that lets version control data, secrets or local build directories into
//! a whole-context copy.
use crate::formats::docker::Matcher;
use crate::formats::docker::context::{BuildContext, first_whole_context_copy};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/incomplete-dockerignore",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/docker/incomplete-dockerignore.md"),
    check: Check::Docker(check),
};

/// What every ignore file should leave out: the pattern to suggest and the paths that must be
/// excluded for it to count (representative names, probed at the top of the context).
const ALWAYS: &[(&str, &[&str])] = &[
    (".git", &[".git"]),
    (".env", &[".env"]),
    (".env.*", &[".env.local", ".env.production"]),
    ("*.pem", &["server.pem", "private.pem"]),
    ("*.key", &["server.key", "private.key"]),
    ("id_*", &["id_rsa", "id_ed25519"]),
    (
        "*.tfstate*",
        &["terraform.tfstate", "terraform.tfstate.backup"],
    ),
];

/// A dependency or build directory, wanted when the directory or a marker of its ecosystem
/// is in the context.
struct Local {
    dir: &'static str,
    probes: &'static [&'static str],
    markers: &'static [&'static str],
    /// A marker known by extension only.
    marker_suffix: Option<&'static str>,
}

const WHEN_PRESENT: &[Local] = &[
    Local {
        dir: "node_modules",
        probes: &["node_modules"],
        markers: &["package.json"],
        marker_suffix: None,
    },
    Local {
        dir: "target",
        probes: &["target"],
        markers: &["Cargo.toml"],
        marker_suffix: None,
    },
    Local {
        dir: ".venv",
        probes: &[".venv"],
        markers: PYTHON,
        marker_suffix: None,
    },
    Local {
        dir: "venv",
        probes: &["venv"],
        markers: PYTHON,
        marker_suffix: None,
    },
    Local {
        dir: "__pycache__",
        probes: &["__pycache__"],
        markers: PYTHON,
        marker_suffix: None,
    },
    Local {
        dir: ".terraform",
        probes: &[".terraform"],
        markers: &[],
        marker_suffix: Some(".tf"),
    },
];

const PYTHON: &[&str] = &["requirements.txt", "pyproject.toml", "setup.py", "Pipfile"];

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some((instr, _)) = first_whole_context_copy(file) else {
        return;
    };
    let Some(ignore) = &file.context.ignore else {
        return;
    };
    let missing = missing_patterns(&ignore.matcher, &file.context);
    let at = instr.keyword.span.cover(instr.args.span);
    if missing.is_empty() {
        cx.pass(
            at,
            format!(
                "`{}` keeps version control data, secrets and local build directories out of the context",
                ignore.name
            ),
        );
        return;
    }
    let list = missing
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    cx.report(at, format!("`{}` does not exclude {list}", ignore.name))
        .help(format!("add the missing patterns to `{}`", ignore.name));
}

/// The patterns whose representative paths the ignore file lets through, in the order of the
/// built-in list.
fn missing_patterns(matcher: &Matcher, context: &BuildContext) -> Vec<&'static str> {
    let local = WHEN_PRESENT
        .iter()
        .filter(|l| {
            context.has(l.dir)
                || l.markers.iter().any(|m| context.has(m))
                || l.marker_suffix.is_some_and(|s| context.has_suffix(s))
        })
        .map(|l| (l.dir, l.probes));
    ALWAYS
        .iter()
        .copied()
        .chain(local)
        .filter(|(_, probes)| !probes.iter().all(|p| matcher.excludes(p)))
        .map(|(pattern, _)| pattern)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::docker::context::{PROBED_NAMES, PROBED_SUFFIXES};

    /// The unit builder looks up only the names it lists; a name of this rule missing there
    /// would silently read as absent.
    #[test]
    fn every_name_asked_about_is_looked_up() {
        for local in WHEN_PRESENT {
            for name in std::iter::once(&local.dir).chain(local.markers) {
                assert!(PROBED_NAMES.contains(name), "{name}");
            }
            if let Some(suffix) = local.marker_suffix {
                assert!(PROBED_SUFFIXES.contains(&suffix), "{suffix}");
            }
        }
    }
}
