//! The Dockerfile parser on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(problem) = infralint::fuzzing::check_dockerfile(text) {
            panic!("{problem}");
        }
    }
});
