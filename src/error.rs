//! Fatal problems that are not about a file's content: usage, configuration and I/O.
//! Each one makes the exit code 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: no such file or directory")]
    MissingPath { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Walk { path: PathBuf, message: String },
    /// A Helm chart or a Kustomize directory that `--render` could not render: the tool is
    /// missing, failed or ran out of time, or the chart's dependencies are not vendored.
    #[error("{path}: {message}")]
    Render { path: String, message: String },
    #[error("{0}")]
    Usage(String),
    #[error("{}:{line}:{column}: {message}", path.display())]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot write output to {path}: {source}")]
    Output {
        path: String,
        #[source]
        source: std::io::Error,
    },
}
