//! Linting one lint unit: run the format's rules once on the unit's model, then hand each
//! finding to the file it lies in, where that file's selection, inline suppressions and
//! severity overrides apply, and sort. Units are independent, so callers may lint many in
//! parallel.

use crate::config::Settings;
use crate::finding::{Finding, Severity};
use crate::format::Format;
use crate::formats::compose::ComposeFile;
use crate::formats::siblings::Siblings;
use crate::formats::{self, Parsed, systemd, terraform};
use crate::rules::selection::Selection;
use crate::rules::{self, Check, Ctx, Registry, Rule, RunFacts};
use crate::source::{Extent, SourceFile, Span, Spanned};
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
        let unit = ModuleFiles {
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
        Registry::shared(settings.options.profile),
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

/// Lint a parsed file as the unit it belongs to (`registry`: the run's rules by format): a
/// systemd unit file or drop-in with the rest of its unit, any other file by itself. The
/// secret detectors run whatever the selection: their masks are kept, their findings only
/// when selected.
pub fn lint_parsed(
    registry: &Registry,
    source: &SourceFile,
    parsed: &Parsed,
    siblings: &Siblings,
    selection: &Selection,
    facts: &RunFacts,
    settings: &Settings,
) -> Linted {
    let whole = Extent {
        base: 0,
        len: u32::try_from(source.text.len()).unwrap_or(u32::MAX),
    };
    if let Parsed::Systemd(_) = parsed {
        let assembled = systemd::unit::assemble(source, siblings);
        let text = SourceFile::new(source.name.clone(), source.path.clone(), assembled.text);
        let members: Vec<Member> = assembled
            .unit
            .files
            .iter()
            .enumerate()
            .map(|(index, file)| Member {
                source,
                extent: file.extent,
                selection: (index == assembled.current).then_some(selection),
            })
            .collect();
        let unit = LintUnit {
            parsed: &Parsed::Systemd(assembled.unit),
            text: &text,
            members: &members,
        };
        return lint_unit(registry, &unit, facts, settings)
            .into_iter()
            .flatten()
            .next()
            .unwrap_or_default();
    }
    let members = [Member {
        source,
        extent: whole,
        selection: Some(selection),
    }];
    let unit = LintUnit {
        parsed,
        text: source,
        members: &members,
    };
    lint_unit(registry, &unit, facts, settings)
        .into_iter()
        .flatten()
        .next()
        .unwrap_or_default()
}

/// A lint unit ready for the rules: the model of one file or of several linted together (a
/// systemd unit with its drop-ins, a Terraform module), whose spans index `text`, and the
/// files it is made of.
struct LintUnit<'a> {
    parsed: &'a Parsed,
    /// The text the model's spans index: the one file's, or its files joined in order.
    text: &'a SourceFile,
    members: &'a [Member<'a>],
}

/// One file of a lint unit.
struct Member<'a> {
    source: &'a SourceFile,
    /// Where the file's text lies in the unit's text.
    extent: Extent,
    /// The selection the file is linted with; `None` for a file read only for the unit (the
    /// unit file of a drop-in linted by itself), whose findings are another run's to report.
    selection: Option<&'a Selection>,
}

/// The one engine loop: run the rules of the unit's format once on its model, then hand each
/// finding to the file it lies in, where that file's selection, inline suppressions and
/// severity overrides apply. Returns one result per member, `None` for a member without a
/// selection.
fn lint_unit(
    registry: &Registry,
    unit: &LintUnit,
    facts: &RunFacts,
    settings: &Settings,
) -> Vec<Option<Linted>> {
    let parsed = unit.parsed;
    let format = parsed.format();
    let any_enables = |rule: &Rule| {
        unit.members
            .iter()
            .any(|m| m.selection.is_some_and(|s| s.enables(rule)))
    };
    // Each finding with the rule that made it.
    let mut all: Vec<(Finding, &'static Rule)> = Vec::new();
    if any_enables(&rules::infralint::PARSE_ERROR) {
        for error in parsed.errors() {
            all.push((
                parse_error(error.span, &error.message),
                &rules::infralint::PARSE_ERROR,
            ));
        }
    }
    if any_enables(&rules::infralint::DUPLICATE_KEY) {
        for duplicate in parsed.duplicate_keys() {
            all.push((duplicate_key(duplicate), &rules::infralint::DUPLICATE_KEY));
        }
    }
    let mut sink = Vec::new();
    for &rule in registry.of(format) {
        if !any_enables(rule) && !rule.detects_secrets() {
            continue;
        }
        let mut cx = Ctx::new(rule, unit.text, facts, &settings.options, &mut sink);
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
            (Check::Systemd(check), Parsed::Systemd(model)) => check(model, &mut cx),
            (Check::Terraform(check), Parsed::Terraform(model)) => check(model, &mut cx),
            (Check::Ci(check), Parsed::Ci(model)) => check(model, &mut cx),
            // A `.env` file is linted only by the rules that read one.
            _ => {}
        }
        all.extend(sink.drain(..).map(|finding| (finding, rule)));
    }
    let single = unit.members.len() == 1;
    // Per member, the findings to report and those of rules it does not select that carry a
    // secret's mask.
    let mut reported: Vec<Vec<Finding>> = unit.members.iter().map(|_| Vec::new()).collect();
    let mut hidden: Vec<Vec<Finding>> = unit.members.iter().map(|_| Vec::new()).collect();
    for (mut finding, rule) in all {
        let index = if single {
            0
        } else {
            let Some(index) = unit
                .members
                .iter()
                .rposition(|m| m.extent.contains(finding.span))
            else {
                continue;
            };
            index
        };
        let (Some(member), Some(bucket), Some(masked)) = (
            unit.members.get(index),
            reported.get_mut(index),
            hidden.get_mut(index),
        ) else {
            continue;
        };
        let Some(selection) = member.selection else {
            continue;
        };
        if !single {
            let extent = member.extent;
            finding.span = extent.to_local(finding.span);
            finding.mask = finding
                .mask
                .filter(|m| extent.contains(*m))
                .map(|m| extent.to_local(m));
        }
        if selection.enables(rule) {
            bucket.push(finding);
        } else if finding.mask.is_some() {
            masked.push(finding);
        }
    }
    let statements = statements(parsed);
    unit.members
        .iter()
        .zip(reported)
        .zip(hidden)
        .map(|((member, mut findings), unreported)| {
            let selection = member.selection?;
            let source = member.source;
            let in_member = |span: &Span| single || member.extent.contains(*span);
            let local = |span: Span| {
                if single {
                    span
                } else {
                    member.extent.to_local(span)
                }
            };
            let parsed_ok = !parsed.errors().iter().any(|e| in_member(&e.span));
            // Taken before suppressions: a suppressed secret is still a secret.
            let masks = file_masks(&source.text, parsed_ok, findings.iter().chain(&unreported));
            if settings.inline_ignores {
                let mut scanned = suppress::scan(&source.text, comment_style(format));
                // A suppression on the line where a statement (a Dockerfile instruction, a
                // Terraform block) starts covers the whole statement.
                let widened: Vec<Span> = statements
                    .iter()
                    .filter(|s| in_member(s))
                    .map(|s| local(*s))
                    .collect();
                suppress::widen(&mut scanned.suppressions, &widened);
                if single {
                    scanned.suppressions.extend(model_suppressions(parsed));
                }
                let problems = suppress::apply(&scanned, &mut findings, |r| selection.enables(r));
                findings.extend(problems);
            }
            settings.override_severities(&mut findings);
            sort(&mut findings);
            Some(Linted { findings, masks })
        })
        .collect()
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

/// The spans of a model's statements (Dockerfile instructions, Terraform blocks), which a
/// suppression on the line where one starts covers whole.
fn statements(parsed: &Parsed) -> Vec<Span> {
    match parsed {
        Parsed::Docker(model) => model.instructions.iter().map(|i| i.span).collect(),
        Parsed::Terraform(module) => module.blocks.iter().map(|b| b.span).collect(),
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
pub struct ModuleFiles<'a> {
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
    unit: &ModuleFiles,
    siblings: &Siblings,
    settings: &Settings,
    selections: &[Selection],
) -> Vec<Vec<Finding>> {
    lint_module_in(
        Registry::shared(settings.options.profile),
        unit,
        siblings,
        settings,
        selections,
    )
    .into_iter()
    .map(|linted| linted.findings)
    .collect()
}

/// [`lint_module`] with the run's rules by format, and the secrets of each file to mask (the
/// secret detectors run whatever the selection).
pub fn lint_module_in(
    registry: &Registry,
    unit: &ModuleFiles,
    siblings: &Siblings,
    settings: &Settings,
    selections: &[Selection],
) -> Vec<Linted> {
    let inputs: Vec<(&str, &str)> = unit
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.text.as_str()))
        .collect();
    let mut module = terraform::unit::build(&inputs, unit.child, siblings);
    module.run_has_budget = unit.run_has_budget;
    module.example = unit.example;
    let joined;
    let text = match unit.sources {
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
    let members: Vec<Member> = unit
        .sources
        .iter()
        .zip(&module.files)
        .enumerate()
        .map(|(index, (source, file))| Member {
            source,
            extent: file.extent,
            selection: selections.get(index).or(selections.first()),
        })
        .collect();
    let facts = RunFacts::default();
    let parsed = Parsed::Terraform(module);
    let unit = LintUnit {
        parsed: &parsed,
        text,
        members: &members,
    };
    lint_unit(registry, &unit, &facts, settings)
        .into_iter()
        .map(Option::unwrap_or_default)
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
