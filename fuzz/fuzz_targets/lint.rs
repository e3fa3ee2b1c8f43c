//! The whole lint of one file: the first byte picks the kind of file (see
//! `infralint::fuzzing::FILE_KINDS`), the rest is its text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(rest) {
        if let Err(problem) = infralint::fuzzing::check_lint(kind, text) {
            panic!("{problem}");
        }
    }
});
