//! The lint unit of a Dockerfile: the file and what its build context holds for the rules, the
//! ignore file that applies (parsed) and the presence of local build directories and their
//! markers. Read once, before any rule runs, so that the rules judge models only.

use super::context::{BuildContext, PROBED_NAMES, PROBED_SUFFIXES, first_whole_context_copy};
use super::ignore::find_ignore_file;
use crate::formats::siblings::Siblings;
use crate::source::SourceFile;

/// Read what the unit needs from around the file into its model. Only a file that copies the
/// whole build context has its ignore file looked for, and only when one applies is the context
/// directory searched: no rule asks otherwise.
pub fn attach(model: &mut super::Dockerfile, source: &SourceFile, siblings: &Siblings) {
    model.context = build_context(model, &source.name, siblings);
}

fn build_context(model: &super::Dockerfile, name: &str, siblings: &Siblings) -> BuildContext {
    if first_whole_context_copy(model).is_none() {
        return BuildContext::default();
    }
    let Some(ignore) = find_ignore_file(siblings, name) else {
        return BuildContext::default();
    };
    BuildContext {
        ignore: Some(ignore),
        present: PROBED_NAMES
            .iter()
            .copied()
            .filter(|n| siblings.exists(n))
            .collect(),
        suffixes: PROBED_SUFFIXES
            .iter()
            .copied()
            .filter(|s| siblings.any_with_suffix(s))
            .collect(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::formats::docker::parse;

    fn attached(text: &str, name: &str, siblings: &Siblings) -> BuildContext {
        let mut model = parse(text);
        attach(
            &mut model,
            &SourceFile::new(name, None, text.to_string()),
            siblings,
        );
        model.context
    }

    const WHOLE: &str = "FROM alpine\nCOPY . /app\n";

    #[test]
    fn a_whole_context_copy_gets_its_ignore_file_and_the_context_names() {
        let siblings = Siblings::memory(&[
            (".dockerignore", ".git\n"),
            ("package.json", "{}"),
            ("node_modules/react/index.js", ""),
            ("main.tf", ""),
        ]);
        let context = attached(WHOLE, "app/Dockerfile", &siblings);
        let ignore = context.ignore.as_ref().unwrap();
        assert_eq!(ignore.name, ".dockerignore");
        assert!(ignore.matcher.excludes(".git"));
        assert!(context.has("node_modules"));
        assert!(context.has("package.json"));
        assert!(!context.has("Cargo.toml"));
        assert!(context.has_suffix(".tf"));
    }

    #[test]
    fn the_per_dockerfile_ignore_file_wins() {
        let siblings = Siblings::memory(&[
            (".dockerignore", ".git\n"),
            ("Dockerfile.prod.dockerignore", ".env\n"),
        ]);
        let context = attached(WHOLE, "Dockerfile.prod", &siblings);
        assert_eq!(context.ignore.unwrap().name, "Dockerfile.prod.dockerignore");
    }

    #[test]
    fn nothing_is_looked_up_without_a_whole_context_copy_or_an_ignore_file() {
        let siblings = Siblings::memory(&[(".dockerignore", ".git\n"), ("package.json", "{}")]);
        let context = attached("FROM alpine\nCOPY src /app\n", "Dockerfile", &siblings);
        assert!(context.ignore.is_none());
        assert!(context.present.is_empty());

        let siblings = Siblings::memory(&[("package.json", "{}")]);
        let context = attached(WHOLE, "Dockerfile", &siblings);
        assert!(context.ignore.is_none());
        assert!(context.present.is_empty());
    }

    #[test]
    fn nothing_is_known_without_siblings() {
        let context = attached(WHOLE, "Dockerfile", &Siblings::None);
        assert!(context.ignore.is_none());
        assert!(context.present.is_empty() && context.suffixes.is_empty());
    }
}
