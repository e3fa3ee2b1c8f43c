//! The Terraform entry point for one `.tf` file (HCL through `hcl-edit`, then the model).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(problem) = infralint::fuzzing::check_terraform(text) {
            panic!("{problem}");
        }
    }
});
