//! Linting one file: parse, run the format's rules, apply inline suppressions, then severity
//! overrides, and sort. Files are independent, so callers may lint many in parallel.

use crate::config::Settings;
use crate::finding::{Finding, Severity};
use crate::format::Format;
use crate::formats::compose::ComposeFile;
use crate::formats::{self, Parsed, systemd, terraform};
use crate::rules::selection::Selection;
use crate::rules::{self, Check, Ctx, Registry, Rule, RunFacts, Siblings};
use crate::source::{SourceFile, Span, Spanned};
use crate::suppress::{self, CommentStyle};

/// Lint one source file of a known format on its own, with default settings (single-file
/// mode: run-wide facts come from this file alone). Findings come sorted by (start, rule id,
/// message).
pub fn lint_source(
    source: &SourceFile,
    format: Format,
    siblings: &Siblings,
    selection: &Selection,
) -> Vec<Finding> {
    lint_file(source, format, siblings, &Settings::default(), selection)
}

/// Lint one source file on its own: `settings` gives the options, suppression and severity
/// policy, `selection` the rules enabled for this file (the run's plus its per-path ignores).
pub fn lint_file(
    source: &SourceFile,
    format: Format,
    siblings: &Siblings,
    settings: &Settings,
    selection: &Selection,
) -> Vec<Finding> {
    if format == Format::Terraform {
        let unit = Unit {
            sources: std::slice::from_ref(source),
            child: false,
            run_has_budget: false,
            example: false,
        };
        return lint_module(&unit, siblings, settings, std::slice::from_ref(selection))
            .pop()
            .unwrap_or_default();
    }
    let parsed = formats::parse_unit(format, source, siblings);
    let mut facts = RunFacts::default();
    facts.collect(&parsed);
    lint_parsed(
        Registry::shared(),
        source,
        &parsed,
        siblings,
        selection,
        &facts,
        settings,
    )
    .findings
}

/// What linting a file gives: the findings to report, and every span of the file that holds a
/// secret, found by the secret detectors whether or not their findings are reported.
#[derive(Debug, Default)]
pub struct Linted {
    /// Sorted by (start, rule id, message).
    pub findings: Vec<Finding>,
    /// Sorted, without overlaps.
    pub masks: Vec<Span>,
}

/// The masks of the findings of `all`, sorted and merged where they overlap or touch.
pub fn merge_masks<'a>(all: impl IntoIterator<Item = &'a Finding>) -> Vec<Span> {
    merge_spans(all.into_iter().filter_map(|f| f.mask).collect())
}

/// Spans sorted and merged where they overlap or touch, empty ones dropped.
fn merge_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|m| !m.is_empty());
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

/// The masks of a file: those of its findings (reported or not), and, in a text that did not
/// parse (so that its rules could not look inside), every credential that its shape alone gives
/// away (vendor tokens, private keys, passwords in URLs and connection strings).
pub fn file_masks<'a>(
    text: &str,
    parsed: bool,
    findings: impl IntoIterator<Item = &'a Finding>,
) -> Vec<Span> {
    let mut spans: Vec<Span> = findings.into_iter().filter_map(|f| f.mask).collect();
    if !parsed {
        spans.extend(
            rules::shared::secrets::scan_credentials(text)
                .into_iter()
                .map(|c| Span::new(c.range.start, c.range.end)),
        );
    }
    merge_spans(spans)
}

/// Run the rules of a parsed file's format (`registry`: the run's rules by format). The secret
/// detectors run whatever the selection: their masks are kept, their findings only when
/// selected.
pub fn lint_parsed(
    registry: &Registry,
    source: &SourceFile,
    parsed: &Parsed,
    siblings: &Siblings,
    selection: &Selection,
    facts: &RunFacts,
    settings: &Settings,
) -> Linted {
    let mut findings = Vec::new();
    let mut hidden = Vec::new();
    if selection.enables(&rules::infralint::PARSE_ERROR) {
        for error in parsed.errors() {
            findings.push(parse_error(error.span, &error.message));
        }
    }
    if selection.enables(&rules::infralint::DUPLICATE_KEY) {
        for duplicate in parsed.duplicate_keys() {
            findings.push(duplicate_key(duplicate));
        }
    }
    let format = parsed.format();
    if format == Format::Systemd {
        let rules = registry.of(Format::Systemd);
        lint_unit(
            rules,
            source,
            siblings,
            selection,
            facts,
            settings,
            (&mut findings, &mut hidden),
        );
    }
    for &rule in registry.of(format) {
        let enabled = selection.enables(rule);
        if !enabled && !rule.detects_secrets() {
            continue;
        }
        let sink = if enabled { &mut findings } else { &mut hidden };
        let mut cx = Ctx::new(rule, source, siblings, facts, &settings.options, sink);
        match (&rule.check, parsed) {
            (Check::Docker(check), Parsed::Docker(model)) => check(model, &mut cx),
            (Check::Compose(check), Parsed::Compose(ComposeFile::Yaml(model)))
            | (Check::ComposeAndDotenv(check, _), Parsed::Compose(ComposeFile::Yaml(model))) => {
                check(model, &mut cx)
            }
            (Check::ComposeAndDotenv(_, check), Parsed::Compose(ComposeFile::Dotenv(model))) => {
                check(model, &mut cx)
            }
            (Check::K8s(check), Parsed::K8s(model)) => check(model, &mut cx),
            (Check::Kestra(check), Parsed::Kestra(model)) => check(model, &mut cx),
            (Check::Terraform(check), Parsed::Terraform(model)) => check(model, &mut cx),
            (Check::Ci(check), Parsed::Ci(model)) => check(model, &mut cx),
            // Units are linted with their drop-ins by `lint_unit`, and a `.env` file only by the
            // rules that read one.
            _ => {}
        }
    }
    // Taken before suppressions: a suppressed secret is still a secret.
    let masks = file_masks(
        &source.text,
        parsed.errors().is_empty(),
        findings.iter().chain(&hidden),
    );
    if settings.inline_ignores {
        let mut scanned = suppress::scan(&source.text, comment_style(format));
        suppress::widen(&mut scanned.suppressions, &statements(parsed));
        scanned.suppressions.extend(model_suppressions(parsed));
        let problems = suppress::apply(&scanned, &mut findings, |r| selection.enables(r));
        findings.extend(problems);
    }
    settings.override_severities(&mut findings);
    sort(&mut findings);
    Linted { findings, masks }
}

/// Run the systemd rules on the unit a file belongs to, merged with its drop-ins, and keep the
/// findings that lie in this file: a unit file reports what is in it (and "missing X" at its
/// headers), a drop-in what is in the drop-in, so each finding is reported once.
fn lint_unit(
    rules: &[&'static Rule],
    source: &SourceFile,
    siblings: &Siblings,
    selection: &Selection,
    facts: &RunFacts,
    settings: &Settings,
    (findings, hidden): (&mut Vec<Finding>, &mut Vec<Finding>),
) {
    let (unit, current, joined) = assemble_unit(source, siblings);
    let joined = SourceFile::new(source.name.clone(), source.path.clone(), joined);
    let mut all = Vec::new();
    let mut unreported = Vec::new();
    for &rule in rules {
        let enabled = selection.enables(rule);
        if !enabled && !rule.detects_secrets() {
            continue;
        }
        let sink = if enabled { &mut all } else { &mut unreported };
        if let Check::Systemd(check) = &rule.check {
            let mut cx = Ctx::new(rule, &joined, siblings, facts, &settings.options, sink);
            check(&unit, &mut cx);
        }
    }
    let Some(file) = unit.files.get(current) else {
        return;
    };
    for (mut finding, reported) in all
        .into_iter()
        .map(|f| (f, true))
        .chain(unreported.into_iter().map(|f| (f, false)))
    {
        let extent = file.extent;
        if !extent.contains(finding.span) {
            continue;
        }
        finding.span = extent.to_local(finding.span);
        finding.mask = finding
            .mask
            .filter(|m| extent.contains(*m))
            .map(|m| extent.to_local(m));
        if reported {
            findings.push(finding);
        } else {
            hidden.push(finding);
        }
    }
}

/// The unit of a file with its drop-ins, the index of the file among them, and the unit's
/// joined text. The unit file and the drop-in directories systemd reads for it
/// ([`systemd::drop_in_dirs`]: `<unit>.d`, the template's, the dash prefixes', the type's
/// `service.d`) are looked up in the unit's directory: the file's own for a unit file, the
/// parent of a drop-in's (the unit is partial when its file is not there). A drop-in name in a
/// more specific directory hides the same name in a more general one; the drop-ins are merged
/// in file-name order, whichever directory holds them, as systemd merges them.
fn assemble_unit(source: &SourceFile, siblings: &Siblings) -> (systemd::Unit, usize, String) {
    // The path names a drop-in's directory even when the displayed name does not (a run
    // started inside that directory).
    let path = source
        .path
        .as_ref()
        .map_or(source.name.clone(), |p| p.to_string_lossy().into_owned());
    let (unit_name, drop_in) = match systemd::unit_name_of(&path) {
        Some((name, true)) => (name, true),
        _ => systemd::unit_name_of(&source.name).unwrap_or_default(),
    };
    let own = path.rsplit(['/', '\\']).next().unwrap_or("").to_string();
    let own_dir = format!("{unit_name}.d");
    // The unit's directory: a drop-in's parent, when on disk.
    let parent = match siblings {
        Siblings::Dir(dir, _) if drop_in => dir.parent().map(|p| {
            if p.as_os_str().is_empty() {
                Siblings::dir(".")
            } else {
                Siblings::dir(p)
            }
        }),
        _ => None,
    };
    let unit_dir = match (&parent, drop_in) {
        (Some(parent), _) => parent,
        (None, true) => &Siblings::None,
        (None, false) => siblings,
    };
    // A drop-in's own directory is its siblings; the others are read from the unit's.
    let list = |dir: &str| -> Vec<String> {
        if drop_in && dir == own_dir {
            siblings.files_in("")
        } else {
            unit_dir.files_in(dir)
        }
    };
    let read = |dir: &str, name: &str| -> Option<String> {
        if drop_in && dir == own_dir {
            siblings.read(name)
        } else {
            unit_dir.read(&format!("{dir}/{name}"))
        }
    };
    let mut texts: Vec<(String, String, bool)> = Vec::new();
    if drop_in {
        if let Some(text) = unit_dir.read(&unit_name) {
            texts.push((unit_name.clone(), text, false));
        }
    } else {
        texts.push((own.clone(), source.text.clone(), false));
    }
    let mut drop_ins: Vec<(String, String)> = Vec::new();
    for dir in systemd::drop_in_dirs(&unit_name) {
        let mut names = list(&dir);
        if drop_in && dir == own_dir && !names.contains(&own) {
            names.push(own.clone());
        }
        for name in names {
            if name.ends_with(".conf") && !drop_ins.iter().any(|(n, _)| *n == name) {
                drop_ins.push((name, dir.clone()));
            }
        }
    }
    drop_ins.sort();
    let mut current = 0;
    for (name, dir) in drop_ins {
        let text = if drop_in && dir == own_dir && name == own {
            current = texts.len();
            Some(source.text.clone())
        } else {
            read(&dir, &name)
        };
        if let Some(text) = text {
            texts.push((format!("{dir}/{name}"), text, true));
        }
    }
    let sources: Vec<systemd::UnitSource> = texts
        .iter()
        .map(|(name, text, drop_in)| systemd::UnitSource {
            name,
            text,
            drop_in: *drop_in,
        })
        .collect();
    let mut unit = systemd::Unit::assemble(
        &unit_name,
        &sources,
        systemd::is_user_path(&path) || systemd::is_user_path(&source.name),
    );
    unit.system_path = systemd::is_system_path(&path) || systemd::is_system_path(&source.name);
    unit.timer_activated = timer_activated(&unit_name, unit_dir);
    let joined = crate::source::join_texts(texts.iter().map(|(_, t, _)| t.as_str()));
    (unit, current, joined)
}

/// Whether a `.timer` beside a service starts it: the same-name timer, or one whose `Unit=`
/// names the service.
fn timer_activated(service: &str, siblings: &Siblings) -> bool {
    let Some(stem) = service.strip_suffix(".service") else {
        return false;
    };
    let timers: Vec<String> = siblings
        .files_in("")
        .into_iter()
        .filter(|n| n.ends_with(".timer"))
        .collect();
    if timers
        .iter()
        .any(|t| t.strip_suffix(".timer") == Some(stem))
    {
        return true;
    }
    timers.iter().any(|t| {
        siblings.read(t).is_some_and(|text| {
            systemd::parse_file(&text, 0)
                .sections
                .iter()
                .filter(|s| s.name.value == "Timer")
                .flat_map(|s| s.entries.iter())
                .any(|e| e.key.value == "Unit" && e.value == service)
        })
    })
}

/// How comments are written in a format, for the suppression scanner.
fn comment_style(format: Format) -> CommentStyle {
    match format {
        Format::Docker | Format::Compose | Format::K8s | Format::Kestra | Format::Ci => {
            CommentStyle::Hash
        }
        Format::Systemd => CommentStyle::Systemd,
        Format::Terraform => CommentStyle::Hcl,
    }
}

/// The spans of a model's statements (Dockerfile instructions), which a suppression on the
/// line where one starts covers whole.
fn statements(parsed: &Parsed) -> Vec<Span> {
    match parsed {
        Parsed::Docker(model) => model.instructions.iter().map(|i| i.span).collect(),
        _ => Vec::new(),
    }
}

/// Suppressions a model carries outside comments: a Kubernetes object's
/// `ignore.infralint.io/<rule-name>` annotations silence `k8s/<rule-name>` inside the object.
fn model_suppressions(parsed: &Parsed) -> Vec<suppress::Suppression> {
    match parsed {
        Parsed::K8s(manifest) => manifest
            .annotation_ignores()
            .into_iter()
            .map(|a| suppress::Suppression {
                selectors: vec![Spanned::new(format!("k8s/{}", a.rule), a.key)],
                span: a.span,
                scope: suppress::Scope::Span(a.object),
                reason: a.reason.map(str::to_string),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The files of one Terraform module (a directory's `*.tf`, `*.tf.json` and `*.tfvars`), or one
/// state file.
#[derive(Clone, Copy, Debug)]
pub struct Unit<'a> {
    pub sources: &'a [SourceFile],
    /// Known to be a child module: referenced as a local `source` by another module of the run,
    /// or under a `modules/` directory.
    pub child: bool,
    /// Some module of the run defines a budget.
    pub run_has_budget: bool,
    /// An example or test fixture: under `examples/`, `test/`, `fixtures/` … below the path
    /// given.
    pub example: bool,
}

/// Lint a Terraform module. The files share one offset space (file `i` starts after the files
/// before it and one separator byte), so the rules see the module as one text; the findings
/// are then handed back to the file each lies in, where that file's selection (`selections`,
/// one per source; a single one serves all), inline suppressions and severity overrides apply.
/// Returns one sorted vector per source.
pub fn lint_module(
    unit: &Unit,
    siblings: &Siblings,
    settings: &Settings,
    selections: &[Selection],
) -> Vec<Vec<Finding>> {
    lint_module_in(Registry::shared(), unit, siblings, settings, selections)
        .into_iter()
        .map(|linted| linted.findings)
        .collect()
}

/// [`lint_module`] with the run's rules by format, and the secrets of each file to mask (the
/// secret detectors run whatever the selection).
pub fn lint_module_in(
    registry: &Registry,
    unit: &Unit,
    siblings: &Siblings,
    settings: &Settings,
    selections: &[Selection],
) -> Vec<Linted> {
    let inputs: Vec<(&str, &str)> = unit
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.text.as_str()))
        .collect();
    let mut module = terraform::parse_module(&inputs, unit.child);
    module.run_has_budget = unit.run_has_budget;
    module.example = unit.example;
    let selection_of = |i: usize| selections.get(i).or(selections.first());
    let any_enables = |rule: &Rule| {
        (0..unit.sources.len().max(1)).any(|i| selection_of(i).is_some_and(|s| s.enables(rule)))
    };
    let joined;
    let source = match unit.sources {
        [one] => one,
        _ => {
            let name = unit.sources.first().map_or("", |s| s.name.as_str());
            joined = SourceFile::new(
                name,
                None,
                crate::source::join_texts(unit.sources.iter().map(|s| s.text.as_str())),
            );
            &joined
        }
    };
    let facts = RunFacts::default();
    let mut all = Vec::new();
    if any_enables(&rules::infralint::PARSE_ERROR) {
        for error in &module.errors {
            all.push(parse_error(error.span, &error.message));
        }
    }
    if any_enables(&rules::infralint::DUPLICATE_KEY) {
        for duplicate in &module.duplicate_keys {
            all.push(duplicate_key(duplicate));
        }
    }
    for &rule in registry.of(Format::Terraform) {
        if !any_enables(rule) && !rule.detects_secrets() {
            continue;
        }
        if let Check::Terraform(check) = &rule.check {
            let mut cx = Ctx::new(rule, source, siblings, &facts, &settings.options, &mut all);
            check(&module, &mut cx);
        }
    }
    let mut out: Vec<Vec<Finding>> = unit.sources.iter().map(|_| Vec::new()).collect();
    // Per file, the findings of rules it does not select that carry a secret's mask.
    let mut hidden: Vec<Vec<Finding>> = unit.sources.iter().map(|_| Vec::new()).collect();
    for mut finding in all {
        let Some(index) = module
            .files
            .iter()
            .rposition(|f| f.extent.contains(finding.span))
        else {
            continue;
        };
        let (Some(file), Some(bucket), Some(masked)) = (
            module.files.get(index),
            out.get_mut(index),
            hidden.get_mut(index),
        ) else {
            continue;
        };
        let extent = file.extent;
        finding.span = extent.to_local(finding.span);
        finding.mask = finding
            .mask
            .filter(|m| extent.contains(*m))
            .map(|m| extent.to_local(m));
        let enabled = rules::by_id(finding.rule)
            .is_none_or(|r| selection_of(index).is_some_and(|s| s.enables(r)));
        if enabled {
            bucket.push(finding);
        } else if finding.mask.is_some() {
            masked.push(finding);
        }
    }
    let mut masks: Vec<Vec<Span>> = out
        .iter()
        .zip(&hidden)
        .zip(unit.sources)
        .zip(&module.files)
        .map(|(((reported, unreported), source), file)| {
            let parsed = !module.errors.iter().any(|e| file.extent.contains(e.span));
            file_masks(&source.text, parsed, reported.iter().chain(unreported))
        })
        .collect();
    for (index, findings) in out.iter_mut().enumerate() {
        let (Some(source), Some(file), Some(selection)) = (
            unit.sources.get(index),
            module.files.get(index),
            selection_of(index),
        ) else {
            continue;
        };
        if settings.inline_ignores {
            let mut scanned = suppress::scan(&source.text, comment_style(Format::Terraform));
            // A suppression on the line where a block starts covers the whole block.
            let blocks: Vec<Span> = module
                .blocks
                .iter()
                .filter(|b| file.extent.contains(b.span))
                .map(|b| file.extent.to_local(b.span))
                .collect();
            suppress::widen(&mut scanned.suppressions, &blocks);
            let problems = suppress::apply(&scanned, findings, |r| selection.enables(r));
            findings.extend(problems);
        }
        settings.override_severities(findings);
        sort(findings);
    }
    out.into_iter()
        .enumerate()
        .map(|(index, findings)| Linted {
            findings,
            masks: masks.get_mut(index).map(std::mem::take).unwrap_or_default(),
        })
        .collect()
}

/// A parse-error finding.
pub fn parse_error(span: Span, message: &str) -> Finding {
    Finding {
        rule: rules::infralint::PARSE_ERROR.id,
        severity: Severity::Critical,
        span,
        message: message.to_string(),
        help: None,
        mask: None,
    }
}

/// A duplicate-key finding: a key written twice in one mapping or object.
fn duplicate_key(duplicate: &formats::ParseError) -> Finding {
    Finding {
        rule: rules::infralint::DUPLICATE_KEY.id,
        severity: rules::infralint::DUPLICATE_KEY.severity,
        span: duplicate.span,
        message: duplicate.message.clone(),
        help: Some("keep one of the two entries".into()),
        mask: None,
    }
}

/// The deterministic order of findings within a file.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.span.start, a.rule, a.span.end, &a.message).cmp(&(
            b.span.start,
            b.rule,
            b.span.end,
            &b.message,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    static OFF: Rule = Rule {
        id: "docker/some-heuristic",
        severity: Severity::Warning,
        default: false,
        doc: "",
        check: Check::Engine,
    };
    static ON: Rule = Rule {
        id: "docker/some-check",
        severity: Severity::Warning,
        default: true,
        doc: "",
        check: Check::Engine,
    };

    fn selection(select: &[&str], extend: &[&str], ignore: &[&str]) -> Selection {
        let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        Selection {
            select: list(select),
            extend_select: list(extend),
            ignore: list(ignore),
        }
    }

    #[test]
    fn rules_off_by_default_run_only_when_named_or_all_is_selected() {
        type Case<'a> = (&'a [&'a str], &'a [&'a str], &'a [&'a str], bool, bool);
        let cases: &[Case] = &[
            // select, extend-select, ignore, ON runs, OFF runs
            (&[], &[], &[], true, false),
            (&["all"], &[], &[], true, true),
            (&["docker"], &[], &[], true, false),
            (&["default"], &[], &[], true, false),
            (&["docker/some-heuristic"], &[], &[], false, true),
            (&[], &["docker/some-heuristic"], &[], true, true),
            (&["compose"], &["docker"], &[], true, false),
            (&["all"], &[], &["docker"], false, false),
            (&[], &["all"], &["docker/some-heuristic"], true, false),
        ];
        for (select, extend, ignore, on, off) in cases {
            let s = selection(select, extend, ignore);
            assert_eq!(s.enables(&ON), *on, "{s:?} on the default-on rule");
            assert_eq!(s.enables(&OFF), *off, "{s:?} on the default-off rule");
        }
    }

    fn k8s_rules(text: &str) -> Vec<(&'static str, String)> {
        let source = SourceFile::new("manifest.yaml", None, text.to_string());
        let selection = Selection {
            select: vec![
                "k8s/root-user".into(),
                "k8s/unpinned-image".into(),
                "infralint".into(),
            ],
            extend_select: vec![],
            ignore: vec![],
        };
        lint_source(&source, Format::K8s, &Siblings::None, &selection)
            .into_iter()
            .filter(|f| f.severity != Severity::Positive)
            .map(|f| (f.rule, source.slice(f.span).to_string()))
            .collect()
    }

    #[test]
    fn ignore_annotations_silence_one_rule_in_one_object() {
        let pod = |name: &str, annotations: &str, template: bool| {
            let object = if template { "" } else { annotations };
            let pod = if template { annotations } else { "" };
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n{object}spec:\n  template:\n    metadata:\n{pod}      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: c\n        image: {name}:latest\n        securityContext: {{runAsUser: 0}}\n"
            )
        };
        let on_object = "  annotations:\n    ignore.infralint.io/root-user: \"debug image\"\n";
        let on_template =
            "      annotations:\n        ignore.infralint.io/unpinned-image: \"dev only\"\n";
        let text = [
            pod("a", on_object, false),
            pod("b", on_template, true),
            pod("c", "", false),
        ]
        .join("---\n");
        let got = k8s_rules(&text);
        assert_eq!(
            got,
            [
                ("k8s/unpinned-image", "a:latest".to_string()),
                ("k8s/root-user", "0".to_string()),
                ("k8s/unpinned-image", "c:latest".to_string()),
                ("k8s/root-user", "0".to_string()),
            ],
            "{text}"
        );
    }

    #[test]
    fn ignore_annotations_need_a_reason_a_known_rule_and_a_use() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ignore.infralint.io/root-user: \"\"\n    ignore.infralint.io/no-such-rule: typo\n    ignore.infralint.io/unpinned-image: pinned anyway\nspec:\n  containers:\n  - name: c\n    image: app:1.0\n    securityContext: {runAsUser: 0}\n";
        let got = k8s_rules(text);
        assert_eq!(
            got,
            [
                (
                    "infralint/invalid-suppression",
                    "ignore.infralint.io/root-user: \"\"".to_string()
                ),
                (
                    "infralint/invalid-suppression",
                    "ignore.infralint.io/no-such-rule".to_string()
                ),
                (
                    "infralint/unused-suppression",
                    "ignore.infralint.io/unpinned-image".to_string()
                ),
            ],
            "{text}"
        );
    }
}

#[cfg(test)]
mod systemd_tests {
    use super::*;

    /// A unit and its drop-in on disk: each finding is reported once, in the file that holds
    /// it, and a drop-in alone is judged with its unit.
    #[test]
    fn drop_ins_are_merged_and_findings_go_to_their_file() {
        let dir = std::env::temp_dir().join(format!("infralint-sd-{}", std::process::id()));
        let drop_dir = dir.join("app.service.d");
        std::fs::create_dir_all(&drop_dir).unwrap();
        let unit = "[Service]\nExecStart=/usr/bin/app\nNoNewPrivileges=yes\nCapabilityBoundingSet=CAP_CHOWN\n";
        let drop = "[Service]\nEnvironment=API_TOKEN=abcd-efgh-1234\nRestart=on-failure\n";
        std::fs::write(dir.join("app.service"), unit).unwrap();
        std::fs::write(drop_dir.join("10-env.conf"), drop).unwrap();
        let selection = Selection {
            extend_select: vec!["systemd/root-service".to_string()],
            ..Selection::default()
        };
        let lint = |name: &str, text: &str, path: std::path::PathBuf| {
            let source = SourceFile::new(name, Some(path.clone()), text.to_string());
            let siblings = Siblings::dir(path.parent().unwrap());
            lint_source(&source, Format::Systemd, &siblings, &selection)
                .into_iter()
                // Warnings and above: the hardening suggestions would only repeat the header.
                .filter(|f| f.severity > Severity::Suggestion)
                .map(|f| (f.rule, source.slice(f.span).to_string()))
                .collect::<Vec<_>>()
        };
        let in_unit = lint("app.service", unit, dir.join("app.service"));
        let in_drop = lint(
            "app.service.d/10-env.conf",
            drop,
            drop_dir.join("10-env.conf"),
        );
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(in_unit, [("systemd/root-service", "[Service]".to_string())]);
        assert_eq!(
            in_drop,
            [("systemd/hardcoded-secret", "abcd-efgh-1234".to_string())]
        );
    }
}
