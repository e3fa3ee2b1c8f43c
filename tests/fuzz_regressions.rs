//! Inputs the fuzz targets (`fuzz/`) once crashed on, replayed through the same checks:
//! `fuzz/regressions/<target>/<file>` holds the raw input of target `<target>`.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use infralint::fuzzing;

fn replay(target: &str, data: &[u8]) -> Result<(), String> {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    match target {
        "dockerfile" => fuzzing::check_dockerfile(&text(data)),
        "yaml" => fuzzing::check_yaml(&text(data)),
        "systemd" => fuzzing::check_systemd(&text(data)),
        "hcl" => fuzzing::check_terraform(&text(data)),
        "lint" => match data.split_first() {
            Some((&kind, rest)) => fuzzing::check_lint(kind, &text(rest)),
            None => Ok(()),
        },
        other => panic!("no fuzz target `{other}`"),
    }
}

#[test]
fn fuzz_regressions_pass_their_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut count = 0;
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        for input in std::fs::read_dir(&target).unwrap() {
            let input = input.unwrap().path();
            let data = std::fs::read(&input).unwrap();
            if let Err(problem) = replay(&name, &data) {
                panic!("{}: {problem}", input.display());
            }
            count += 1;
        }
    }
    assert!(count > 0, "no regression inputs under {}", root.display());
}
