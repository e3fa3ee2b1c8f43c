//! Micro-benchmarks of each parser and of each format's rule pass, on the repository's fixtures,
//! so a slowdown shows up without the shared corpus: `cargo bench --bench formats`.
// A benchmark sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
// A benchmark that cannot read its fixtures has nothing to measure: failing loudly is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use infralint::Format;
use infralint::Selection;
use infralint::engine;
use infralint::formats::siblings::Siblings;
use infralint::formats::{self, Parsed};
use infralint::rules::{Registry, RunFacts};
use infralint::{Settings, SourceFile};

/// The fixtures of one format (never the broken ones) as source files, sorted by path.
fn fixtures(dir: &str, keep: fn(&str) -> bool) -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths = Vec::new();
    collect(&root.join(dir), &mut paths);
    paths.sort();
    let files: Vec<SourceFile> = paths
        .into_iter()
        .filter_map(|path| {
            let name = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            keep(&name).then_some((name, path))
        })
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path).expect("fixture is readable UTF-8");
            SourceFile::new(name, None, text)
        })
        .collect();
    assert!(!files.is_empty(), "no fixtures under fixtures/{dir}");
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("fixture directory is readable");
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn base(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

fn is_dockerfile(name: &str) -> bool {
    let base = base(name);
    base == "Dockerfile" || base.starts_with("Dockerfile.") || base.ends_with(".Dockerfile")
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn is_manifest(name: &str) -> bool {
    is_yaml(name) && base(name) != "kustomization.yaml"
}

fn is_unit(name: &str) -> bool {
    [".service", ".socket", ".timer", ".mount", ".path"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn is_terraform(name: &str) -> bool {
    name.ends_with(".tf")
}

/// One benchmarked format: its fixtures and how they are chosen.
struct Case {
    format: Format,
    files: Vec<SourceFile>,
}

fn cases() -> Vec<Case> {
    let case = |format, dir, keep| Case {
        format,
        files: fixtures(dir, keep),
    };
    vec![
        case(Format::Docker, "docker", is_dockerfile),
        case(Format::Compose, "compose", is_yaml),
        case(Format::K8s, "k8s", is_manifest),
        case(Format::Kestra, "kestra", is_yaml),
        case(Format::Systemd, "systemd", is_unit),
        case(Format::Terraform, "terraform", is_terraform),
    ]
}

fn bytes(files: &[SourceFile]) -> u64 {
    files.iter().map(|f| f.text.len() as u64).sum()
}

/// Each format's parser over all its fixtures, and the YAML layer alone under the three YAML
/// formats.
fn parse(c: &mut Criterion) {
    let cases = cases();
    let mut group = c.benchmark_group("parse");
    let yaml: Vec<&SourceFile> = cases
        .iter()
        .filter(|case| matches!(case.format, Format::Compose | Format::K8s | Format::Kestra))
        .flat_map(|case| &case.files)
        .collect();
    group.throughput(Throughput::Bytes(
        yaml.iter().map(|f| f.text.len() as u64).sum(),
    ));
    group.bench_function("yaml", |b| {
        b.iter(|| {
            for file in &yaml {
                black_box(formats::yaml::parse(black_box(&file.text)));
            }
        });
    });
    for case in &cases {
        group.throughput(Throughput::Bytes(bytes(&case.files)));
        group.bench_function(case.format.id(), |b| {
            b.iter(|| {
                for file in &case.files {
                    black_box(formats::parse(case.format, black_box(file)));
                }
            });
        });
    }
    group.finish();
}

/// Each format's rules (with suppressions and sorting, as in a run) over its parsed fixtures.
fn rules(c: &mut Criterion) {
    let settings = Settings::default();
    let selection = Selection::default();
    let mut group = c.benchmark_group("rules");
    for case in cases() {
        let parsed: Vec<(&SourceFile, Parsed)> = case
            .files
            .iter()
            .map(|file| {
                let model = formats::parse(case.format, file);
                (file, model)
            })
            .collect();
        let registry = Registry::default();
        let mut facts = RunFacts::default();
        for (_, model) in &parsed {
            facts.collect(model);
        }
        group.throughput(Throughput::Bytes(bytes(&case.files)));
        group.bench_function(case.format.id(), |b| {
            b.iter(|| {
                for (file, model) in &parsed {
                    black_box(engine::lint_parsed(
                        &registry,
                        file,
                        model,
                        &Siblings::None,
                        &selection,
                        &facts,
                        &settings,
                    ));
                }
            });
        });
    }
    group.finish();
}

criterion_group!(benches, parse, rules);
criterion_main!(benches);
