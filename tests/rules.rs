//! The rule docs are the rules' test cases: every `bad` example must fire its rule, every
//! `good` example must not, and the findings of all examples are snapshotted. The registry is
//! checked against the docs (ids, titles, metadata, sections, index).
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
use infralint::config::{self, Settings};
use infralint::engine::{ModuleFiles, lint_file, lint_module};
use infralint::finding::Severity;
use infralint::formats::siblings::Siblings;
use infralint::rules::{self, Rule};
use infralint::source::SourceFile;
use std::path::{Path, PathBuf};

/// A fenced block of a rule doc.
struct Block {
    info: String,
    body: String,
    line: usize,
}

fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = doc.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for (_, l) in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        out.push(Block {
            info: info.trim().to_string(),
            body,
            line: i + 1,
        });
    }
    out
}

/// The format and file name of an example, from its info string: `dockerfile bad`,
/// `yaml k8s good`, `yaml compose bad`, `dotenv compose bad`, `yaml ci github bad` (a workflow),
/// `yaml ci gitlab bad` (`.gitlab-ci.yml`), `yaml ci action bad` (a composite action).
fn example_kind(words: &[&str]) -> Option<(Format, &'static str)> {
    match words {
        ["dockerfile", ..] => Some((Format::Docker, "Dockerfile")),
        ["yaml", "k8s", ..] => Some((Format::K8s, "manifest.yaml")),
        ["yaml", "compose", ..] => Some((Format::Compose, "compose.yaml")),
        ["yaml", "kestra", ..] => Some((Format::Kestra, "flow.yaml")),
        ["dotenv", "compose", ..] => Some((Format::Compose, ".env")),
        ["hcl", ..] => Some((Format::Terraform, "main.tf")),
        // What `--render` reads before it runs a tool: checked by the render stage, not by a
        // format's rules.
        ["yaml", "kustomization", ..] => Some((Format::K8s, "kustomization.yaml")),
        ["json", "chart-schema", ..] => Some((Format::K8s, "values.schema.json")),
        ["yaml", "ci", "gitlab", ..] => Some((Format::Ci, ".gitlab-ci.yml")),
        ["yaml", "ci", "action", ..] => Some((Format::Ci, "action.yml")),
        ["yaml", "ci", ..] => Some((Format::Ci, ".github/workflows/ci.yml")),
        ["ini", "systemd", kind, ..] if *kind != "bad" && *kind != "good" => {
            systemd_example(kind).map(|name| (Format::Systemd, name))
        }
        ["ini", "systemd", ..] => Some((Format::Systemd, "app.service")),
        _ => None,
    }
}

/// The file name of a systemd example from its second word: a unit type, or `user` for a
/// service under `.config/systemd/user/`.
fn systemd_example(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "service" => "app.service",
        "timer" => "app.timer",
        "socket" => "app.socket",
        "mount" => "app.mount",
        "path" => "app.path",
        "target" => "app.target",
        "user" => ".config/systemd/user/app.service",
        _ => return None,
    })
}

/// Whether a sibling block is another file of the Terraform module rather than a file beside it.
fn is_module_file(name: &str) -> bool {
    [
        ".tf",
        ".tf.json",
        ".tfvars",
        ".tfvars.json",
        ".tfstate",
        ".tfstate.backup",
    ]
    .iter()
    .any(|s| name.ends_with(s))
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

fn rule_for_doc(path: &Path) -> &'static Rule {
    let format = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    let name = path.file_stem().unwrap().to_str().unwrap();
    let id = format!("{format}/{name}");
    rules::by_id(&id)
        .unwrap_or_else(|| panic!("{}: no rule `{id}` in the registry", path.display()))
}

#[test]
fn examples() {
    insta::glob!("../rules", "*/*.md", |path| {
        let rule = rule_for_doc(path);
        let doc = std::fs::read_to_string(path).unwrap();
        let mut siblings: Vec<(String, String)> = Vec::new();
        // A `toml config` block sets the options of the blocks after it.
        let mut settings = Settings::default();
        let mut snapshot = String::new();
        let (mut bad, mut good) = (0, 0);
        for block in blocks(&doc) {
            let words: Vec<&str> = block.info.split_whitespace().collect();
            if words == ["toml", "config"] {
                settings = config::parse(&block.body, path).unwrap_or_else(|e| {
                    panic!("{}:{}: bad configuration: {e}", path.display(), block.line)
                });
                snapshot.push_str(&format!("--- line {} (config)\n", block.line));
                continue;
            }
            if let Some(name) = words.iter().find_map(|w| w.strip_prefix("sibling=")) {
                siblings.push((name.to_string(), block.body.clone()));
                continue;
            }
            let expect_bad = match words.last() {
                Some(&"bad") => true,
                Some(&"good") => false,
                _ => continue,
            };
            let (format, name) = example_kind(&words).unwrap_or_else(|| {
                panic!(
                    "{}:{}: unknown example kind `{}`",
                    path.display(),
                    block.line,
                    block.info
                )
            });
            let mut select = vec![rule.id.to_string(), "infralint/parse-error".to_string()];
            // Suppression rules are about other rules' findings: run the example's format too.
            if rule.id.ends_with("-suppression") {
                select.push(format.id().to_string());
            }
            let selection = Selection {
                select,
                extend_select: vec![],
                ignore: vec![],
            };
            if rule.format().is_some() {
                assert_eq!(
                    rule.format(),
                    Some(format),
                    "{}:{}: example of another format",
                    path.display(),
                    block.line
                );
            }
            // For Terraform, sibling `.tf`, `.tfvars` and state files are other files of the
            // example's module; the rest are files beside it.
            let (module_files, beside): (Vec<_>, Vec<_>) = std::mem::take(&mut siblings)
                .into_iter()
                .partition(|(name, _)| format == Format::Terraform && is_module_file(name));
            let memory = Siblings::Memory(beside);
            // Each file of the example with its findings; the linted block comes first.
            let files: Vec<(SourceFile, Vec<infralint::Finding>)> = if format == Format::Terraform {
                let mut sources = vec![SourceFile::new(name, None, block.body.clone())];
                sources.extend(
                    module_files
                        .into_iter()
                        .map(|(name, body)| SourceFile::new(name, None, body)),
                );
                let unit = ModuleFiles {
                    sources: &sources,
                    child: words.contains(&"child"),
                    run_has_budget: false,
                    example: words.contains(&"example"),
                };
                let findings =
                    lint_module(&unit, &memory, &settings, std::slice::from_ref(&selection));
                sources.into_iter().zip(findings).collect()
            } else if matches!(words.get(1), Some(&"kustomization" | &"chart-schema")) {
                let source = SourceFile::new(name, None, block.body.clone());
                let findings = infralint::render::refusal_findings(&source);
                vec![(source, findings)]
            } else {
                let source = SourceFile::new(name, None, block.body.clone());
                let findings = lint_file(&source, format, &memory, &settings, &selection);
                vec![(source, findings)]
            };
            let findings: Vec<&infralint::Finding> =
                files.iter().flat_map(|(_, f)| f.iter()).collect();
            let where_ = format!("{}:{}", path.display(), block.line);
            if rule.id != "infralint/parse-error" {
                let errors: Vec<_> = findings
                    .iter()
                    .filter(|f| f.rule == "infralint/parse-error")
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{where_}: the example does not parse: {errors:?}"
                );
            }
            // A rule that masks what it finds must be one of the secret detectors, which run
            // whatever the selection so that their masks hold in every output.
            for f in &findings {
                if let Some(rule) = rules::by_id(f.rule) {
                    assert!(
                        f.mask.is_none() || rule.detects_secrets(),
                        "{where_}: `{}` masks a value but is not listed among the secret \
                         detectors (src/rules/mod.rs)",
                        f.rule
                    );
                }
            }
            let hits = findings
                .iter()
                .filter(|f| f.rule == rule.id && f.severity != Severity::Positive)
                .count();
            if expect_bad {
                bad += 1;
                assert!(
                    hits > 0,
                    "{where_}: `bad` example gives no `{}` finding",
                    rule.id
                );
            } else {
                good += 1;
                assert!(
                    hits == 0,
                    "{where_}: `good` example gives {hits} `{}` finding(s)",
                    rule.id
                );
            }
            let kind = if expect_bad { "bad" } else { "good" };
            snapshot.push_str(&format!("--- line {} ({kind})\n", block.line));
            for (i, (source, findings)) in files.iter().enumerate() {
                for f in findings {
                    if let Err(e) = support::check_conventions(source, f) {
                        panic!("{where_}: {e}");
                    }
                }
                if i > 0 && !findings.is_empty() {
                    snapshot.push_str(&format!("in {}:\n", source.name));
                }
                snapshot.push_str(&support::render(source, findings));
            }
        }
        assert!(
            bad > 0 && good > 0,
            "{}: needs at least one `bad` and one `good` example",
            path.display()
        );
        insta::assert_snapshot!(snapshot);
    });
}

/// The doc of a rule must have its title, metadata line, summary and sections.
#[test]
fn docs_match_the_registry() {
    let mut seen = std::collections::BTreeSet::new();
    for rule in rules::all() {
        assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
        let (format, name) = rule
            .id
            .split_once('/')
            .unwrap_or_else(|| panic!("{}: id without a format", rule.id));
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.starts_with('-')
                && !name.ends_with('-'),
            "{}: name is not kebab-case",
            rule.id
        );
        let path = docs_dir().join(format).join(format!("{name}.md"));
        let on_disk = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{}: no doc at {}", rule.id, path.display()));
        assert_eq!(
            on_disk, rule.doc,
            "{}: doc is not the one compiled in",
            rule.id
        );
        match (&rule.check, rule.format()) {
            (rules::Check::Engine, _) => assert_eq!(format, "infralint", "{}", rule.id),
            (rules::Check::Docker(_), Some(Format::Docker)) => {}
            (
                rules::Check::Compose(_) | rules::Check::ComposeAndDotenv(..),
                Some(Format::Compose),
            ) => {}
            (rules::Check::K8s(_), Some(Format::K8s)) => {}
            (rules::Check::Kestra(_), Some(Format::Kestra)) => {}
            (rules::Check::Terraform(_), Some(Format::Terraform)) => {}
            (rules::Check::Systemd(_), Some(Format::Systemd)) => {}
            (rules::Check::Ci(_), Some(Format::Ci)) => {}
            #[allow(unreachable_patterns)]
            (_, f) => panic!("{}: check variant does not match format {f:?}", rule.id),
        }
        let mut lines = rule.doc.lines().filter(|l| !l.trim().is_empty());
        assert_eq!(
            lines.next(),
            Some(format!("# {}", rule.id).as_str()),
            "{}: title",
            rule.id
        );
        let display = match rule.format() {
            Some(f) => f.display_name(),
            None => "any",
        };
        let default = if rule.default { "on" } else { "off" };
        let profile = rule
            .profile()
            .map(|p| format!(" · **Profile:** {}", p.as_str()))
            .unwrap_or_default();
        let meta = format!(
            "**Severity:** {} · **Format:** {display} · **Default:** {default}{profile}",
            rule.severity
        );
        assert_eq!(
            lines.next(),
            Some(meta.as_str()),
            "{}: metadata line",
            rule.id
        );
        let summary = lines.next().unwrap_or("");
        assert!(
            !summary.starts_with('#') && summary.ends_with('.') && summary.len() < 120,
            "{}: the summary must be one sentence under 120 characters: {summary:?}",
            rule.id
        );
        assert_eq!(rule.summary(), summary);
        let headings: Vec<&str> = rule.doc.lines().filter(|l| l.starts_with("## ")).collect();
        let required = ["## Why", "## How to fix", "## Examples"];
        let order: Vec<&str> = headings
            .iter()
            .copied()
            .filter(|h| required.contains(h))
            .collect();
        assert_eq!(order, required, "{}: sections", rule.id);
        for h in &headings {
            assert!(
                required.contains(h)
                    || matches!(*h, "## References" | "## Severity" | "## Precision"),
                "{}: unexpected section {h}",
                rule.id
            );
        }
    }
    // No orphan docs.
    for dir in std::fs::read_dir(docs_dir()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for doc in std::fs::read_dir(&dir).unwrap() {
            let doc = doc.unwrap().path();
            let id = format!(
                "{}/{}",
                dir.file_name().unwrap().to_str().unwrap(),
                doc.file_stem().unwrap().to_str().unwrap()
            );
            assert!(
                rules::by_id(&id).is_some(),
                "{}: doc without a rule",
                doc.display()
            );
        }
    }
}

/// `rules/README.md` lists every rule; `INFRALINT_BLESS=1` rewrites it.
#[test]
fn index_is_current() {
    let mut index = String::from(
        "# Rules\n\nEvery rule infralint has, by format. Each page says why the rule exists, how to fix \
         a finding, and shows examples that the test suite runs.\n\n\
         Severities: **critical** fails the gate by default; **warning** and **suggestion** are \
         reported; a rule may also report **positive** findings when the good practice is applied \
         (listed with `--show-positive`).\n\n\
         **Default** says whether the rule runs without being selected: rules marked *off* run \
         only when selected by id or by `--select all` (see the main README's selection \
         policy). A rule marked with a profile runs only when `[options]` sets that profile.\n",
    );
    let mut current = None;
    for rule in rules::all() {
        let format = rule.id.split('/').next().unwrap_or("");
        if current != Some(format) {
            let title = match rule.format() {
                Some(f) => f.display_name(),
                None => "infralint (tool-level)",
            };
            index.push_str(&format!(
                "\n## {title}\n\n| Rule | Severity | Default | Summary |\n|---|---|---|---|\n"
            ));
            current = Some(format);
        }
        let (_, name) = rule.id.split_once('/').unwrap();
        index.push_str(&format!(
            "| [`{}`]({format}/{name}.md) | {} | {} | {}{} |\n",
            rule.id,
            rule.severity,
            if rule.default { "on" } else { "off" },
            rule.summary(),
            rule.profile()
                .map(|p| format!(" *(profile: {})*", p.as_str()))
                .unwrap_or_default()
        ));
    }
    let path = docs_dir().join("README.md");
    if std::env::var_os("INFRALINT_BLESS").is_some() {
        std::fs::write(&path, &index).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == index,
        "rules/README.md is out of date: run `INFRALINT_BLESS=1 cargo test --test rules`"
    );
}

/// Every rule page has a `## Precision` section: each line has the documented shape, its
/// numbers agree, and a rule measured below 0.90, or with more than a third of its judged
/// findings debatable, is off by default.
#[test]
fn precision_sections_are_consistent_with_the_default_flag() {
    for rule in rules::all() {
        let section = rule.doc_section("Precision");
        assert!(
            !section.is_empty(),
            "{}: no `## Precision` section",
            rule.id
        );
        let mut lines = 0;
        // Lines of prose may explain the verdicts; the measured lines start with the label.
        for line in section.lines().filter(|l| l.starts_with("**Precision")) {
            lines += 1;
            let (label, rest) = line
                .split_once(":** ")
                .unwrap_or_else(|| panic!("{}: precision line {line:?}", rule.id));
            assert!(
                label == "**Precision" || label == "**Precision (positive)",
                "{}: precision label {label:?}",
                rule.id
            );
            if rest.starts_with("not measured: ") {
                assert!(
                    rest.ends_with(").") && rest.contains(" (20"),
                    "{}: {line:?}",
                    rule.id
                );
                continue;
            }
            let parsed = parse_precision(rest).unwrap_or_else(|| {
                panic!(
                    "{}: precision line not in the documented shape: {line:?}",
                    rule.id
                )
            });
            let (shown, t, f, d, sample, total) = parsed;
            assert_eq!(
                t + f + d,
                sample,
                "{}: verdicts must cover the sample: {line:?}",
                rule.id
            );
            assert_eq!(
                sample,
                total.min(30),
                "{}: sample of min(all, 30): {line:?}",
                rule.id
            );
            if t + f > 0 {
                let precision = format!("{:.2}", t as f64 / (t + f) as f64);
                assert_eq!(shown, precision, "{}: {line:?}", rule.id);
            }
            let low = t + f > 0 && (t as f64 / (t + f) as f64) < 0.90;
            let noisy = d * 3 > t + f + d;
            if label == "**Precision" && (low || noisy) {
                assert!(
                    !rule.default,
                    "{}: measured below the policy ({line:?}) but on by default",
                    rule.id
                );
            }
        }
        assert!(lines > 0, "{}: empty precision section", rule.id);
    }
}

/// `0.93 · 28 true, 2 false, 0 debatable in a fixed-seed sample of 30 of 221 findings on public
/// repositories (2026-12-07).`: the precision shown and the counts.
fn parse_precision(rest: &str) -> Option<(String, usize, usize, usize, usize, usize)> {
    let (shown, rest) = rest.split_once(" · ")?;
    let (verdicts, rest) = rest.split_once(" in a fixed-seed sample of ")?;
    let mut counts = verdicts.split(", ");
    let mut count =
        |word: &str| -> Option<usize> { counts.next()?.strip_suffix(word)?.trim().parse().ok() };
    let (t, f, d) = (count(" true")?, count(" false")?, count(" debatable")?);
    let (sample, rest) = rest.split_once(" of ")?;
    let (total, rest) = rest.split_once(' ')?;
    let date = rest
        .strip_prefix("findings on public repositories (")
        .or_else(|| rest.strip_prefix("finding on public repositories ("))?
        .strip_suffix(").")?;
    if date.len() != 10 || !date.starts_with("20") {
        return None;
    }
    Some((
        shown.to_string(),
        t,
        f,
        d,
        sample.parse().ok()?,
        total.parse().ok()?,
    ))
}

/// How many times a file defines a rule, by a scan of its text.
fn rule_definitions(text: &str) -> usize {
    text.matches("static RULE: Rule").count()
}

/// The files under `rules` (a `src/rules` tree) that break "one file, one rule": a file of a
/// format's directory other than `mod.rs` defines exactly one `RULE`, and a file under the
/// format's `support/` defines none. `shared/` holds what several formats use.
fn one_rule_per_file(rules: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let rs_files = |dir: &Path| -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        files
    };
    for format in std::fs::read_dir(rules).unwrap() {
        let format = format.unwrap().path();
        if !format.is_dir() || format.file_name().is_some_and(|n| n == "shared") {
            continue;
        }
        for file in rs_files(&format) {
            let count = rule_definitions(&std::fs::read_to_string(&file).unwrap());
            if file.file_name().is_some_and(|n| n == "mod.rs") {
                continue;
            }
            if count != 1 {
                problems.push(format!(
                    "{} defines {count} rules; a helper belongs under support/",
                    file.display()
                ));
            }
        }
        for file in rs_files(&format.join("support")) {
            let count = rule_definitions(&std::fs::read_to_string(&file).unwrap());
            if count != 0 {
                problems.push(format!("{} is a helper but defines a rule", file.display()));
            }
        }
    }
    problems.sort();
    problems
}

#[test]
fn one_rule_per_file_outside_support() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    assert_eq!(one_rule_per_file(&rules), Vec::<String>::new());
}

#[test]
fn one_rule_per_file_catches_a_helper_among_rules_and_a_rule_among_helpers() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let rule = "pub(crate) static RULE: Rule = Rule {};\n";
    write("docker/mod.rs", "mod root_user;\n");
    write("docker/root_user.rs", rule);
    write("docker/helper.rs", "pub(crate) fn help() {}\n");
    write("docker/twice.rs", &rule.repeat(2));
    write("docker/support/mod.rs", "pub(crate) mod context;\n");
    write("docker/support/context.rs", rule);
    write("shared/secrets.rs", "pub(crate) fn scan() {}\n");
    let problems = one_rule_per_file(dir.path());
    let names: Vec<&str> = problems
        .iter()
        .map(|p| p.split_whitespace().next().unwrap())
        .map(|p| p.rsplit_once("docker").unwrap().1)
        .collect();
    assert_eq!(names, ["/helper.rs", "/support/context.rs", "/twice.rs"]);
}

/// Every `[options]` key is read by the rules whose pages show it in a ```` ```toml config ````
/// example, and the README's table names exactly those rules in its "Read by" column: an
/// option that no rule reads, or a stale column, fails here. `host-memory` and `host-cpus` are
/// read by the resources summary, not by a rule.
#[test]
fn every_option_is_shown_by_the_rules_that_read_it() {
    const SUMMARY_OPTIONS: [&str; 2] = ["host-memory", "host-cpus"];
    let defaults = serde_json::to_value(&Settings::default().options).unwrap();
    let keys: Vec<String> = defaults.as_object().unwrap().keys().cloned().collect();

    // The rules whose examples set each option.
    let mut shown: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for rule in rules::all() {
        for block in blocks(rule.doc).iter().filter(|b| b.info == "toml config") {
            for line in block.body.lines() {
                if let Some((key, _)) = line.split_once('=') {
                    let entry = shown.entry(key.trim().to_string()).or_default();
                    if !entry.contains(&rule.id) {
                        entry.push(rule.id);
                    }
                }
            }
        }
    }

    // The README's table: the options of each row and the rule ids of its "Read by" cell.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("| Option | Type | Default | Read by |")
        .unwrap();
    let mut listed: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for row in readme[start..].lines().skip(2) {
        if !row.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = row.split('|').collect();
        let code = |cell: &str| -> Vec<String> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        };
        let read_by: Vec<String> = code(cells[4])
            .into_iter()
            .filter(|c| rules::by_id(c).is_some())
            .collect();
        for option in code(cells[1]) {
            listed.insert(option, read_by.clone());
        }
    }

    let mut table_keys: Vec<&String> = listed.keys().collect();
    table_keys.sort();
    let mut sorted_keys: Vec<&String> = keys.iter().collect();
    sorted_keys.sort();
    assert_eq!(
        table_keys, sorted_keys,
        "README's [options] table and the options differ"
    );
    for key in &keys {
        let mut by_docs: Vec<&str> = shown.get(key).cloned().unwrap_or_default();
        by_docs.sort_unstable();
        let mut by_readme: Vec<&str> = listed[key].iter().map(String::as_str).collect();
        by_readme.sort_unstable();
        if SUMMARY_OPTIONS.contains(&key.as_str()) {
            assert!(by_docs.is_empty() && by_readme.is_empty(), "{key}");
            continue;
        }
        assert!(
            !by_docs.is_empty(),
            "option `{key}`: no rule page shows it in a `toml config` example"
        );
        assert_eq!(
            by_readme, by_docs,
            "option `{key}`: README's \"Read by\" column against the rule pages that show it"
        );
    }
    for key in shown.keys() {
        assert!(
            keys.contains(key),
            "a rule page sets an unknown option `{key}`"
        );
    }
}
