//! infralint: a fast, read-only linter for infrastructure files.
//!
//! The pipeline: discover files, parse each into a model with byte spans, run the format's
//! rules, report. Nothing flows back, and files are independent.

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
