//! The fixture suite: `fixtures/<format>/clean-*` are best-practice files that must stay free of
//! problems as rules are added; `fixtures/<format>/real-*` are realistic files whose findings are
//! snapshotted; every file under `fixtures/broken/` yields exactly one parse error; and every
//! fixture and rule example, cut after each line, lints without a panic.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod support;

use infralint::Format;
use infralint::Selection;
use infralint::engine::lint_source;
use infralint::finding::Severity;
use infralint::formats::siblings::Siblings;
use infralint::source::SourceFile;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every file under `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The format of a fixture, as discovery decides it.
fn format_of(path: &Path) -> Option<Format> {
    let text = std::fs::read_to_string(path).ok()?;
    infralint::classify(path, &text)
}

/// Lint a fixture directory the way a run does, so Terraform files are linted as modules. The
/// file names are made relative to `fixtures/`. Each fixture directory stands for a repository
/// of its own: the rest of this repository is not its context.
fn lint_tree(dir: &Path) -> Vec<(SourceFile, Vec<infralint::Finding>)> {
    let settings = infralint::Settings {
        context: false,
        ..infralint::Settings::default()
    };
    let (report, _) = infralint::lint_paths(&[dir.to_path_buf()], &settings);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
        .files
        .into_iter()
        .map(|file| {
            for f in &file.findings {
                if let Err(e) = support::check_conventions(&file.source, f) {
                    panic!("{}: {e}", file.source.name);
                }
            }
            let path = file.source.path.clone().unwrap();
            let name = path
                .strip_prefix(root())
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let source = SourceFile::new(name, Some(path), file.source.text);
            (source, file.findings)
        })
        .collect()
}

/// Terraform fixtures are directories of modules, linted together.
fn is_module_dir(dir: &Path) -> bool {
    dir.parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == "terraform")
}

fn lint(path: &Path) -> (SourceFile, Vec<infralint::Finding>) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path
        .strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let source = SourceFile::new(name, Some(path.to_path_buf()), text);
    let siblings = Siblings::dir(path.parent().unwrap());
    let findings = lint_source(
        &source,
        format_of(path).unwrap(),
        &siblings,
        &Selection::default(),
    );
    for f in &findings {
        if let Err(e) = support::check_conventions(&source, f) {
            panic!("{}: {e}", path.display());
        }
    }
    (source, findings)
}

fn fixture_dirs(prefix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for format in std::fs::read_dir(root()).unwrap() {
        let format = format.unwrap().path();
        if !format.is_dir() || format.ends_with("broken") || format.ends_with("projects") {
            continue;
        }
        for case in std::fs::read_dir(&format).unwrap() {
            let case = case.unwrap().path();
            let name = case.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with(prefix) {
                out.push(case);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn clean_fixtures_have_no_problems() {
    let dirs = fixture_dirs("clean");
    assert!(!dirs.is_empty());
    for dir in dirs {
        if is_module_dir(&dir) {
            for (source, findings) in lint_tree(&dir) {
                let problems: Vec<_> = findings
                    .iter()
                    .filter(|f| f.severity != Severity::Positive)
                    .cloned()
                    .collect();
                assert!(
                    problems.is_empty(),
                    "{} should be clean:\n{}",
                    source.name,
                    support::render(&source, &problems)
                );
            }
            continue;
        }
        for path in files(&dir).into_iter().filter(|p| format_of(p).is_some()) {
            let (source, findings) = lint(&path);
            let problems: Vec<_> = findings
                .iter()
                .filter(|f| f.severity != Severity::Positive)
                .cloned()
                .collect();
            assert!(
                problems.is_empty(),
                "{} should be clean:\n{}",
                path.display(),
                support::render(&source, &problems)
            );
        }
    }
}

#[test]
fn real_fixtures_snapshot() {
    for dir in fixture_dirs("real") {
        if is_module_dir(&dir) {
            for (source, findings) in lint_tree(&dir) {
                let name = source.name.replace('/', "__");
                insta::assert_snapshot!(name, support::render(&source, &findings));
            }
            continue;
        }
        for path in files(&dir).into_iter().filter(|p| format_of(p).is_some()) {
            let (source, findings) = lint(&path);
            let name = source.name.replace('/', "__");
            insta::assert_snapshot!(name, support::render(&source, &findings));
        }
    }
}

/// A module repository: the reusable module at its root, an example, a test fixture and a
/// production root. Only the production root is a root for the state, pinning and budget
/// rules; a bucket and the resources that configure it are one finding; an object key written
/// twice is a warning, not a parse error.
#[test]
fn module_repository_examples_and_tests_are_not_production_roots() {
    let dir = root().join("terraform/real-module-repo");
    let files = lint_tree(&dir);
    let of = |suffix: &str, rule: &str| -> Vec<infralint::Finding> {
        files
            .iter()
            .filter(|(s, _)| s.name.ends_with(suffix))
            .flat_map(|(_, f)| f.iter().filter(|f| f.rule == rule).cloned())
            .collect()
    };
    for rule in ["terraform/local-state", "terraform/unpinned-provider"] {
        assert_eq!(of("live/prod/main.tf", rule).len(), 1, "{rule}");
        assert!(of("examples/basic/main.tf", rule).is_empty(), "{rule}");
        assert!(
            of("test/fixtures/minimal/main.tf", rule).is_empty(),
            "{rule}"
        );
    }
    assert!(of("test/fixtures/minimal/main.tf", "terraform/missing-budget").is_empty());
    let public = of("real-module-repo/main.tf", "terraform/public-data-store");
    assert_eq!(public.len(), 1, "{public:?}");
    assert!(public[0].message.contains("aws_s3_bucket_policy.site"));
    assert!(of("real-module-repo/main.tf", "infralint/parse-error").is_empty());
    let duplicate = of("real-module-repo/main.tf", "infralint/duplicate-key");
    assert_eq!(duplicate.len(), 1);
    assert_eq!(duplicate[0].severity, Severity::Warning);
}

/// A central alerting flow in one file covers the flows of the other files of the run: their
/// missing error handler and their allowed failure are heard; linted alone, they are not.
#[test]
fn kestra_alerting_flow_covers_the_flows_of_other_files() {
    let dir = root().join("kestra/alerting");
    let watched = [
        "kestra/missing-error-handler",
        "kestra/unobserved-allow-failure",
    ];
    for (source, findings) in lint_tree(&dir) {
        let heard: Vec<_> = findings
            .iter()
            .filter(|f| watched.contains(&f.rule) && f.severity != Severity::Positive)
            .cloned()
            .collect();
        assert!(
            heard.is_empty(),
            "{}:\n{}",
            source.name,
            support::render(&source, &heard)
        );
    }
    let (_, alone) = lint(&dir.join("sync_orders.yaml"));
    for rule in watched {
        assert!(
            alone.iter().any(|f| f.rule == rule),
            "{rule} should fire on the flow linted alone"
        );
    }
}

#[test]
fn broken_fixtures_give_exactly_one_parse_error() {
    let paths: Vec<_> = files(&root().join("broken"))
        .into_iter()
        .filter(|p| format_of(p).is_some())
        .collect();
    assert!(!paths.is_empty());
    for path in paths {
        let (source, findings) = lint(&path);
        let errors: Vec<_> = findings
            .iter()
            .filter(|f| f.rule == "infralint/parse-error")
            .cloned()
            .collect();
        assert_eq!(
            errors.len(),
            1,
            "{}:\n{}",
            path.display(),
            support::render(&source, &errors)
        );
        assert_eq!(errors[0].severity, Severity::Critical);
    }
}

/// Lint every prefix of `text` that ends at a line boundary (and at every character for short
/// texts): nothing may panic, and every span must lie inside the text.
fn cut_and_lint(name: &str, text: &str, format: Format) {
    if name.is_empty() {
        return;
    }
    let mut cuts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
    if text.len() < 400 {
        cuts.extend((0..text.len()).filter(|&i| text.is_char_boundary(i)));
    }
    cuts.push(text.len());
    for cut in cuts {
        let source = SourceFile::new(name, None, text[..cut].to_string());
        for f in lint_source(&source, format, &Siblings::None, &Selection::default()) {
            assert!(
                f.span.end as usize <= cut,
                "{name} cut at {cut}: span {:?} past the end",
                f.span
            );
            assert!(f.span.start <= f.span.end);
        }
    }
}

#[test]
fn truncated_fixtures_and_examples_do_not_panic() {
    for path in files(&root())
        .into_iter()
        .filter(|p| format_of(p).is_some())
    {
        let text = std::fs::read_to_string(&path).unwrap();
        cut_and_lint(
            &path.display().to_string(),
            &text,
            format_of(&path).unwrap(),
        );
    }
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for path in files(&docs)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        let doc = std::fs::read_to_string(&path).unwrap();
        let mut block: Option<(Format, &str)> = None;
        let mut body = String::new();
        for line in doc.lines() {
            if let Some(info) = line.strip_prefix("```") {
                if let Some((format, name)) = block.take() {
                    cut_and_lint(name, &body, format);
                } else {
                    let words: Vec<&str> = info.split_whitespace().collect();
                    block = match words.as_slice() {
                        ["dockerfile", ..] => Some((Format::Docker, "Dockerfile")),
                        ["yaml", "k8s", ..] => Some((Format::K8s, "manifest.yaml")),
                        ["yaml", "compose", ..] => Some((Format::Compose, "compose.yaml")),
                        ["yaml", "kestra", ..] => Some((Format::Kestra, "flow.yaml")),
                        ["dotenv", "compose", ..] => Some((Format::Compose, ".env")),
                        ["hcl", ..] => Some((Format::Terraform, "main.tf")),
                        ["yaml", "ci", "gitlab", ..] => Some((Format::Ci, ".gitlab-ci.yml")),
                        ["yaml", "ci", "action", ..] => Some((Format::Ci, "action.yml")),
                        ["yaml", "ci", ..] => Some((Format::Ci, ".github/workflows/ci.yml")),
                        ["ini", "systemd", "timer", ..] => Some((Format::Systemd, "app.timer")),
                        ["ini", "systemd", ..] => Some((Format::Systemd, "app.service")),
                        _ => None,
                    };
                    // Any other block is skipped to its closing fence.
                    if block.is_none() {
                        block = Some((Format::Docker, ""));
                    }
                    body.clear();
                }
            } else if block.is_some() {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
}

/// A block of realistic Terraform, numbered so names do not clash.
fn terraform_block(i: usize) -> String {
    format!(
        r#"variable "subnet_cidr_{i}" {{
  type        = string
  description = "Range of subnet {i}."
  default     = "10.{a}.{b}.0/24"
}}

resource "aws_security_group" "app_{i}" {{
  name   = "app-{i}"
  vpc_id = aws_vpc.main.id

  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.subnet_cidr_{i}]
  }}

  tags = merge(local.tags, {{ Name = "app-${{var.environment}}-{i}" }})
}}

resource "aws_instance" "app_{i}" {{
  ami                    = data.aws_ami.base.id
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.app_{i}.id]
  user_data              = <<-EOT
    #!/bin/sh
    echo "node {i}" > /etc/node-name
  EOT
}}

output "app_{i}_id" {{
  description = "ID of instance {i}."
  value       = aws_instance.app_{i}.id
}}

"#,
        a = i / 256 % 256,
        b = i % 256
    )
}

/// A module of 20 files and a single 5 MB file lint without errors; spans stay in their files.
#[test]
fn large_terraform_modules_lint() {
    let sources: Vec<SourceFile> = (0..20)
        .map(|f| {
            let text: String = (0..40).map(|i| terraform_block(f * 40 + i)).collect();
            SourceFile::new(format!("part{f:02}.tf"), None, text)
        })
        .collect();
    let unit = infralint::engine::ModuleFiles {
        sources: &sources,
        child: false,
        run_has_budget: false,
        example: false,
    };
    let per_file = infralint::engine::lint_module(
        &unit,
        &Siblings::None,
        &infralint::Settings::default(),
        &[Selection::default()],
    );
    assert_eq!(per_file.len(), 20);
    for (source, findings) in sources.iter().zip(&per_file) {
        for f in findings {
            assert_ne!(f.rule, "infralint/parse-error", "{}", source.name);
            assert!(f.span.end as usize <= source.text.len());
            support::check_conventions(source, f).unwrap();
        }
    }

    let mut text = String::new();
    let mut i = 0;
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(&terraform_block(i));
        i += 1;
    }
    let source = SourceFile::new("big.tf", None, text);
    let findings = lint_source(
        &source,
        Format::Terraform,
        &Siblings::None,
        &Selection::default(),
    );
    assert!(findings.iter().all(|f| f.rule != "infralint/parse-error"));
}
