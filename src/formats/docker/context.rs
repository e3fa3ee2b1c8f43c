//! The build context of a Dockerfile: which of its copies take the whole context, and what
//! the unit builder found in the context directory for the rules that judge the ignore file.

use super::ignore::IgnoreFile;
use super::{Dockerfile, Instruction, Kind, Stage};
use crate::source::Spanned;

/// The names whose presence in the context directory is looked up when an ignore file applies
/// to a whole-context copy: local dependency and build directories, and the files that mark
/// their ecosystems. A name not listed here is never looked up and reads as absent.
pub const PROBED_NAMES: &[&str] = &[
    "node_modules",
    "package.json",
    "target",
    "Cargo.toml",
    ".venv",
    "venv",
    "__pycache__",
    "requirements.txt",
    "pyproject.toml",
    "setup.py",
    "Pipfile",
    ".terraform",
];

/// Endings of names (`.tf`) looked up the same way, for markers known by extension only.
pub const PROBED_SUFFIXES: &[&str] = &[".tf"];

/// What is known of a Dockerfile's build context, read once before any rule runs. Empty when
/// the file copies no whole context (no rule then asks) or nothing is known of its surroundings.
#[derive(Clone, Debug, Default)]
pub struct BuildContext {
    /// The ignore file that applies to the build, when the file copies the whole context.
    pub ignore: Option<IgnoreFile>,
    /// The [`PROBED_NAMES`] present in the context directory, looked up only when an ignore
    /// file applies.
    pub present: Vec<&'static str>,
    /// The [`PROBED_SUFFIXES`] that some entry of the context directory ends with.
    pub suffixes: Vec<&'static str>,
}

impl BuildContext {
    /// Whether a file or directory of [`PROBED_NAMES`] is in the context directory.
    pub fn has(&self, name: &str) -> bool {
        self.present.contains(&name)
    }

    /// Whether some entry of the context directory ends with `suffix`, one of
    /// [`PROBED_SUFFIXES`].
    pub fn has_suffix(&self, suffix: &str) -> bool {
        self.suffixes.contains(&suffix)
    }
}

/// Whether a COPY/ADD source names the whole build context.
pub fn is_whole_context(source: &str) -> bool {
    matches!(source.trim(), "." | "./" | "*" | "./*")
}

/// The first source of a COPY/ADD that copies the whole build context, if any. Copies from
/// other stages or images (`COPY --from=`) read no context and never count.
pub fn whole_context_source(instr: &Instruction) -> Option<Spanned<String>> {
    if !matches!(instr.kind, Kind::Copy | Kind::Add) || instr.flag("from").is_some() {
        return None;
    }
    instr
        .copy_sources()
        .0
        .into_iter()
        .find(|s| is_whole_context(&s.value))
}

/// The whole-context copies of one stage, in order, each with its source.
pub fn stage_whole_context_copies<'a>(
    file: &'a Dockerfile,
    stage: &Stage,
) -> Vec<(&'a Instruction, Spanned<String>)> {
    file.body(stage)
        .iter()
        .filter_map(|i| whole_context_source(i).map(|s| (i, s)))
        .collect()
}

/// The first whole-context copy of the file, in any stage.
pub fn first_whole_context_copy(file: &Dockerfile) -> Option<(&Instruction, Spanned<String>)> {
    file.stages
        .iter()
        .flat_map(|stage| stage_whole_context_copies(file, stage))
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_context_sources() {
        for s in [".", "./", "*", "./*", " . "] {
            assert!(is_whole_context(s), "{s}");
        }
        for s in ["src", "./src", "package.json", "*.json", "..", ""] {
            assert!(!is_whole_context(s), "{s}");
        }
    }
}
