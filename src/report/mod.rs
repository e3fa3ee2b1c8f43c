//! Reporters: each turns one [`Report`](crate::Report) into text for people or machines.

pub mod human;
pub mod json;

use crate::source::{SourceFile, Span};

/// The output formats `-f/--format` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Code frames and a summary, for people.
    Human,
    /// One JSON document, for machines.
    Json,
}

/// A span clamped into the text and onto character boundaries, so any consumer can slice it.
pub(crate) fn clamp_span(source: &SourceFile, span: Span) -> Span {
    let text = &source.text;
    let mut start = (span.start as usize).min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end as usize).clamp(start, text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}
