//! The `infralint` binary: everything happens in [`infralint::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    infralint::cli::run()
}
