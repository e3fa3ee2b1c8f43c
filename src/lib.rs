//! infralint: a fast, read-only linter for infrastructure files.
//!
//! The pipeline: `discover` finds the files and tells their formats, `load` reads each into a
//! [`SourceFile`] (or into the parse error that says why it cannot be taken as text),
//! `formats` parses it into a model with byte spans, `engine` runs the format's `rules` on it,
//! and `report` writes the findings. `run` drives this over the paths given, gathering the
//! facts that span files before the files that read them are linted; `stdin` does the same for
//! one stream, and `render` (with `--render`) for the output of `helm template` and `kubectl
//! kustomize` on the charts and overlays a walk met. Nothing flows back from a later stage to an
//! earlier one.
//!
//! This file holds no code: it declares the modules and re-exports the public API.

pub mod baseline;
pub mod config;
pub(crate) mod discover;
pub mod engine;
pub mod error;
pub mod finding;
pub mod format;
pub mod formats;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub(crate) mod load;
pub mod paths;
pub mod render;
pub mod report;
pub mod resources;
pub mod rules;
pub(crate) mod run;
pub mod source;
pub mod stdin;
pub mod suppress;

// The binary's command line and allocator: dependencies of the package that the library
// itself does not use.
use {clap as _, mimalloc as _};
// Dev-dependencies that only the integration tests and benchmarks use (the library itself
// among them, with its fuzzing entry points).
#[cfg(test)]
use {assert_cmd as _, criterion as _, infralint as _, parse_dockerfile as _, predicates as _};

pub use config::Settings;
pub use discover::{classify, skipped_files};
pub use engine::lint_source;
pub use error::Error;
pub use finding::{FileResult, Finding, Report, Severity};
pub use format::Format;
pub use load::MAX_FILE_SIZE;
pub use rules::selection::Selection;
pub use run::{discover_files, lint_paths};
pub use source::{SourceFile, Span};
