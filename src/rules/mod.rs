//! Rules: what infralint thinks of a parsed file. One rule per file, grouped by format; each
//! format's `mod.rs` lists its rules in a `RULES` slice that the registry concatenates.

pub(crate) mod ci;
pub(crate) mod compose;
pub(crate) mod docker;
pub(crate) mod infralint;
pub(crate) mod k8s;
pub(crate) mod kestra;
pub mod options;
pub mod selection;
pub(crate) mod shared;
pub(crate) mod systemd;
pub(crate) mod terraform;

use std::collections::HashSet;

use crate::finding::{Finding, Severity};
use crate::formats::compose::{Compose, Dotenv};
#[doc(inline)]
pub use crate::formats::facts::RunFacts;
use crate::formats::{CiFile, Dockerfile, FlowFile, Format, Manifest, Module, Unit};
use crate::rules::options::{Options, Profile};
use crate::source::{SourceFile, Span};

/// A rule: its public id, default severity, documentation and check.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// Whether the rule runs when nothing selects it by id: the default selection is every
    /// rule with `default = true`. Heuristics whose measured precision is too low ship off.
    pub default: bool,
    /// The Markdown doc under `rules/`, compiled in.
    pub doc: &'static str,
    pub check: Check,
}

/// Which model a rule reads; one variant per format.
#[derive(Debug)]
pub enum Check {
    Docker(fn(&Dockerfile, &mut Ctx)),
    /// A compose YAML file.
    Compose(fn(&Compose, &mut Ctx)),
    /// A compose YAML file, and the `.env` files compose reads beside it.
    ComposeAndDotenv(fn(&Compose, &mut Ctx), fn(&Dotenv, &mut Ctx)),
    K8s(fn(&Manifest, &mut Ctx)),
    Kestra(fn(&FlowFile, &mut Ctx)),
    Systemd(fn(&Unit, &mut Ctx)),
    Terraform(fn(&Module, &mut Ctx)),
    Ci(fn(&CiFile, &mut Ctx)),
    /// Emitted by the engine itself: parse errors, suppression problems.
    Engine,
}

impl Rule {
    /// The format the rule belongs to, from its id.
    pub fn format(&self) -> Option<Format> {
        self.id.split('/').next().and_then(Format::from_id)
    }

    /// The one-line summary: the first paragraph of the doc after the title and metadata.
    pub fn summary(&self) -> &'static str {
        doc_summary(self.doc)
    }
}

impl Rule {
    /// The text of a `## heading` section of the doc, trimmed; empty when it has none.
    pub fn doc_section(&self, heading: &str) -> String {
        let mut inside = false;
        let mut out = Vec::new();
        for line in self.doc.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                inside = h.trim() == heading;
                continue;
            }
            if inside {
                out.push(line);
            }
        }
        out.join("\n").trim().to_string()
    }
}

/// The rules that find secrets and mask them. They run on every file whatever the selection,
/// suppressions and baseline, so that what they find is masked in every output even when
/// their findings are not reported (a test checks that every rule whose examples mask a value
/// is listed here).
const SECRET_DETECTORS: &[&str] = &[
    "ci/hardcoded-secret",
    "compose/hardcoded-secret",
    "docker/hardcoded-secret",
    "docker/secret-build-arg",
    "k8s/hardcoded-secret",
    "k8s/plaintext-secret-manifest",
    "kestra/guessable-webhook-key",
    "kestra/hardcoded-secret",
    "systemd/hardcoded-secret",
    "terraform/hardcoded-secret",
];

impl Rule {
    /// Whether the rule finds secrets and masks them, so it runs even when not selected.
    pub fn detects_secrets(&self) -> bool {
        SECRET_DETECTORS.contains(&self.id)
    }
}

/// The rules that run only for one profile of `[options]`: advice that holds on the machines
/// of that profile and is noise elsewhere. A rule not listed runs whatever the profile.
const PROFILE_RULES: &[(&str, Profile)] = &[("systemd/missing-oom-policy", Profile::Constrained)];

impl Rule {
    /// The only profile the rule runs for, if it has one.
    pub fn profile(&self) -> Option<Profile> {
        PROFILE_RULES
            .iter()
            .find(|(id, _)| *id == self.id)
            .map(|(_, profile)| *profile)
    }

    /// Whether the rule runs with a profile: the registry of a run leaves out those that do
    /// not, so they are neither run nor listed as run.
    pub fn runs_with(&self, profile: Profile) -> bool {
        self.profile().is_none_or(|only| only == profile)
    }
}

/// The first plain paragraph line of a rule doc.
pub(crate) fn doc_summary(doc: &str) -> &str {
    doc.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("**Severity"))
        .unwrap_or("")
}

/// Every format's rule slice: the one list the registry is built from.
const FORMATS: [&[&Rule]; 8] = [
    docker::RULES,
    compose::RULES,
    k8s::RULES,
    kestra::RULES,
    infralint::RULES,
    systemd::RULES,
    terraform::RULES,
    ci::RULES,
];

/// Every rule, sorted by id.
pub fn all() -> Vec<&'static Rule> {
    let mut out: Vec<&'static Rule> = FORMATS.into_iter().flatten().copied().collect();
    out.sort_by_key(|r| r.id);
    out
}

/// The rules of each format, sorted by id, for a run: built once so that no file sorts or
/// filters the whole registry again.
#[derive(Debug)]
pub struct Registry {
    /// Per format (in [`Format::ALL`] order): its own rules, then its own rules with the
    /// tool-level ones, each sorted by id.
    formats: Vec<(Format, Vec<&'static Rule>, Vec<&'static Rule>)>,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry::new(Profile::default())
    }
}

impl Registry {
    /// The rules that run with a profile.
    pub fn new(profile: Profile) -> Registry {
        let all: Vec<(&'static Rule, Option<Format>)> = all()
            .into_iter()
            .filter(|r| r.runs_with(profile))
            .map(|r| (r, r.format()))
            .collect();
        let formats = Format::ALL
            .into_iter()
            .map(|format| {
                let own = all
                    .iter()
                    .filter(|(_, f)| *f == Some(format))
                    .map(|(r, _)| *r)
                    .collect();
                // `infralint/render-refused` is about a directory that `--render` met, never
                // about a file being linted: it does not run on files.
                let with_tool = all
                    .iter()
                    .filter(|(r, f)| {
                        *f == Some(format) || (f.is_none() && r.id != infralint::RENDER_REFUSED.id)
                    })
                    .map(|(r, _)| *r)
                    .collect();
                (format, own, with_tool)
            })
            .collect();
        Registry { formats }
    }

    /// The registry of a profile, built on first use and shared by the whole process.
    pub fn shared(profile: Profile) -> &'static Registry {
        static DEFAULT: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        static CONSTRAINED: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        let cell = match profile {
            Profile::Default => &DEFAULT,
            Profile::Constrained => &CONSTRAINED,
        };
        cell.get_or_init(|| Registry::new(profile))
    }

    /// The rules of a format, sorted by id.
    pub fn of(&self, format: Format) -> &[&'static Rule] {
        self.formats
            .iter()
            .find(|(f, _, _)| *f == format)
            .map_or(&[], |(_, own, _)| own.as_slice())
    }

    /// The rules that can run on a file of a format (its own and the tool-level ones), sorted
    /// by id.
    pub fn for_file(&self, format: Format) -> &[&'static Rule] {
        self.formats
            .iter()
            .find(|(f, _, _)| *f == format)
            .map_or(&[], |(_, _, with_tool)| with_tool.as_slice())
    }
}

/// Every rule, unsorted: for questions whose answer does not depend on the order.
pub(crate) fn iter() -> impl Iterator<Item = &'static Rule> {
    FORMATS.into_iter().flatten().copied()
}

pub fn by_id(id: &str) -> Option<&'static Rule> {
    // Ids are unique, so the order searched does not matter; this runs once per finding in
    // places, where sorting the whole registry each time showed up in profiles.
    FORMATS.into_iter().flatten().copied().find(|r| r.id == id)
}

/// What a rule's check gets besides the model: the text the model's spans index, the run's
/// facts and options, and the place to put findings. Nothing here reads a file: what a rule
/// needs from around its file is in the model, read by the format's lint unit.
pub struct Ctx<'a> {
    rule: &'static Rule,
    source: &'a SourceFile,
    run: &'a RunFacts,
    options: &'a Options,
    findings: &'a mut Vec<Finding>,
    /// The spans this rule has reported at, and whether as a pass. A YAML anchor or merge key,
    /// a compose `extends` or a template shared by several jobs puts one written place under
    /// several owners; a rule that meets it again must not report it again, so only the first
    /// finding at a span is kept. A pass never hides a problem at the same place.
    reported: HashSet<(Span, bool)>,
    /// Where a repeat goes: the caller may still set its help or mask, which then changes
    /// nothing.
    repeat: Finding,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        rule: &'static Rule,
        source: &'a SourceFile,
        run: &'a RunFacts,
        options: &'a Options,
        findings: &'a mut Vec<Finding>,
    ) -> Ctx<'a> {
        Ctx {
            rule,
            source,
            run,
            options,
            findings,
            reported: HashSet::new(),
            repeat: Finding {
                rule: rule.id,
                severity: rule.severity,
                span: Span::default(),
                message: String::new(),
                help: None,
                mask: None,
            },
        }
    }

    /// Report a problem at the rule's severity. A second problem at a span this rule has
    /// already reported is dropped: the first one stands.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.push(self.rule.severity, span, message.into())
    }

    /// Report that the good practice the rule looks for is applied; like problems, once per
    /// span.
    pub fn pass(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.push(Severity::Positive, span, message.into())
    }

    fn push(&mut self, severity: Severity, span: Span, message: String) -> &mut Finding {
        if !self.reported.insert((span, severity == Severity::Positive)) {
            self.repeat = Finding {
                rule: self.rule.id,
                severity,
                span,
                message,
                help: None,
                mask: None,
            };
            return &mut self.repeat;
        }
        let index = self.findings.len();
        self.findings.push(Finding {
            rule: self.rule.id,
            severity,
            span,
            message,
            help: None,
            mask: None,
        });
        // An element was just pushed at `index`, so `get_mut` cannot miss. (`Vec::push_mut`,
        // which says so in its type, is newer than the crate's minimum Rust version.)
        match self.findings.get_mut(index) {
            Some(f) => f,
            #[allow(clippy::unreachable)]
            None => unreachable!(),
        }
    }

    pub fn source(&self) -> &SourceFile {
        self.source
    }

    /// Facts from the other files of the run.
    pub fn run(&self) -> &RunFacts {
        self.run
    }

    /// The `[options]` of the configuration.
    pub fn options(&self) -> &'a Options {
        self.options
    }
}

/// What every rule file imports (each uses a part of it).
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::{Check, Ctx, Rule};
    pub(crate) use crate::finding::Severity;
    pub(crate) use crate::formats::ci::{
        Access, CiFile, Environment, Flavor, Image, ImageRole, Job, Permissions, PermissionsKind,
        ScriptLine, ScriptSection, Step, Target, Text, Uses, Var,
    };
    pub(crate) use crate::formats::compose::{Compose, ComposeFile, Service};
    pub(crate) use crate::formats::docker::{Dockerfile, Instruction, Kind, Stage};
    pub(crate) use crate::formats::k8s::{Container, Manifest, Object, Workload};
    pub(crate) use crate::formats::kestra::{Flow, FlowFile, Task, TaskClass, Trigger};
    pub(crate) use crate::formats::systemd::{Entry, Unit, UnitKind};
    pub(crate) use crate::formats::terraform::{
        Attribute, Block, Body, Expr, ExprKind, Module, Piece,
    };
    pub(crate) use crate::formats::yaml::Node;
    pub(crate) use crate::rules::options::Options;
    pub(crate) use crate::source::{Span, Spanned};
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_rule_of_another_profile_is_neither_run_nor_listed() {
        let oom = "systemd/missing-oom-policy";
        let has = |profile: Profile| {
            let registry = Registry::new(profile);
            let run = registry.of(Format::Systemd).iter().any(|r| r.id == oom);
            let listed = registry
                .for_file(Format::Systemd)
                .iter()
                .any(|r| r.id == oom);
            assert_eq!(run, listed);
            run
        };
        assert!(!has(Profile::Default));
        assert!(has(Profile::Constrained));
        // Rules without a profile run with every profile.
        let count = |p| Registry::new(p).for_file(Format::Systemd).len();
        assert_eq!(count(Profile::Default) + 1, count(Profile::Constrained));
    }

    use super::*;

    fn check(_: &Dockerfile, _: &mut Ctx) {}

    static PROBE: Rule = Rule {
        id: "docker/probe",
        severity: Severity::Warning,
        default: true,
        doc: "",
        check: Check::Docker(check),
    };

    #[test]
    fn a_rule_reports_a_place_once() {
        let source = SourceFile::new("Dockerfile", None, "FROM scratch\n".to_string());
        let (run, options) = (RunFacts::default(), Options::default());
        let mut findings = Vec::new();
        let mut cx = Ctx::new(&PROBE, &source, &run, &options, &mut findings);
        let here = Span::new(0, 4);
        cx.report(here, "first").help("kept");
        // A repeat takes its help and mask without touching the first finding.
        cx.report(here, "second").help("dropped").mask(here);
        cx.report(Span::new(5, 12), "elsewhere");
        // A pass does not hide a problem at the same place, nor a problem a pass.
        cx.pass(here, "good");
        cx.pass(here, "good again");
        let seen: Vec<(&str, Option<&str>, Option<Span>)> = findings
            .iter()
            .map(|f| (f.message.as_str(), f.help.as_deref(), f.mask))
            .collect();
        assert_eq!(
            seen,
            [
                ("first", Some("kept"), None),
                ("elsewhere", None, None),
                ("good", None, None)
            ]
        );
    }
}
