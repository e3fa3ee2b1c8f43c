//! infralint: a fast, read-only linter for infrastructure files.
//!
//! The pipeline: discover files, parse each into a model with byte spans, run the format's
//! rules, report. Nothing flows back, and files are independent.

pub mod engine;
pub mod error;
pub mod finding;
pub mod formats;
pub mod rules;
pub mod source;

pub use engine::{Selection, lint_source};
pub use error::Error;
pub use finding::{Finding, Severity};
pub use formats::Format;
pub use source::{SourceFile, Span};
