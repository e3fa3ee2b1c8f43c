//! The `infralint` binary: the command line ([`cli`]) over the library.
// The binary sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]

mod cli;

use std::process::ExitCode;

// Parsers build many small nodes; mimalloc's small-object allocation is markedly faster than
// the system allocator's on large manifests and Terraform files.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run()
}
