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

use std::cell::RefCell;
use std::collections::HashSet;

use crate::finding::{Finding, Severity};
use crate::formats::compose::{Compose, Dotenv};
use crate::formats::k8s::Object;
use crate::formats::{CiFile, Dockerfile, FlowFile, Format, Manifest, Module, Parsed, Unit};
use crate::rules::options::Options;
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
        Registry::new()
    }
}

impl Registry {
    pub fn new() -> Registry {
        let all: Vec<(&'static Rule, Option<Format>)> =
            all().into_iter().map(|r| (r, r.format())).collect();
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

    /// The registry of every rule, built on first use and shared by the whole process.
    pub fn shared() -> &'static Registry {
        static SHARED: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        SHARED.get_or_init(Registry::new)
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

/// Read access to the files beside the one being linted (`.dockerignore`, manifests), never
/// outside the directory and never for writing.
#[derive(Debug, Clone, Default)]
pub enum Siblings {
    /// The file's directory on disk, with what was already looked up there: several rules ask
    /// for the same files (`.env`, override files, `kustomization.yaml`), mostly absent ones.
    Dir(std::path::PathBuf, Memo),
    /// Files given in memory (doc examples and tests): name and content.
    Memory(Vec<(String, String)>),
    /// Nothing is known about the file's surroundings.
    #[default]
    None,
}

/// The sibling lookups of one file, remembered for the rules that follow. Files are linted one
/// thread each, so a `RefCell` is enough.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    reads: RefCell<Vec<(String, Option<String>)>>,
    exists: RefCell<Vec<(String, bool)>>,
}

impl Siblings {
    /// The siblings of a file in `dir`, on disk.
    pub fn dir(dir: impl Into<std::path::PathBuf>) -> Siblings {
        Siblings::Dir(dir.into(), Memo::default())
    }

    /// The content of a sibling file, when it exists and is readable text.
    pub fn read(&self, name: &str) -> Option<String> {
        match self {
            Siblings::Dir(dir, memo) => {
                if let Some((_, text)) = memo.reads.borrow().iter().find(|(n, _)| n == name) {
                    return text.clone();
                }
                let text = std::fs::read_to_string(dir.join(name)).ok();
                memo.reads
                    .borrow_mut()
                    .push((name.to_string(), text.clone()));
                text
            }
            Siblings::Memory(files) => files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| c.clone()),
            Siblings::None => None,
        }
    }

    /// Whether a sibling file or directory exists.
    pub fn exists(&self, name: &str) -> bool {
        match self {
            Siblings::Dir(dir, memo) => {
                if let Some((_, found)) = memo.exists.borrow().iter().find(|(n, _)| n == name) {
                    return *found;
                }
                let found = dir.join(name).exists();
                memo.exists.borrow_mut().push((name.to_string(), found));
                found
            }
            Siblings::Memory(files) => files
                .iter()
                .any(|(n, _)| n == name || n.starts_with(&format!("{name}/"))),
            Siblings::None => false,
        }
    }

    /// The names of the files in a subdirectory (`app.service.d`), or in the directory itself
    /// for `""`, sorted.
    pub fn files_in(&self, sub: &str) -> Vec<String> {
        let mut out: Vec<String> = match self {
            Siblings::Dir(dir, _) => std::fs::read_dir(dir.join(sub))
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                        .filter_map(|e| e.file_name().to_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            Siblings::Memory(files) => files
                .iter()
                .filter_map(|(n, _)| {
                    if sub.is_empty() {
                        (!n.contains('/')).then(|| n.clone())
                    } else {
                        n.strip_prefix(sub)?
                            .strip_prefix('/')
                            .filter(|rest| !rest.contains('/'))
                            .map(str::to_string)
                    }
                })
                .collect(),
            Siblings::None => Vec::new(),
        };
        out.sort();
        out
    }

    /// Whether some entry of the directory has a name ending in `suffix` (`.tf`), for markers
    /// that are known by extension rather than by name.
    pub fn any_with_suffix(&self, suffix: &str) -> bool {
        match self {
            Siblings::Dir(dir, _) => std::fs::read_dir(dir).is_ok_and(|entries| {
                entries.filter_map(Result::ok).any(|e| {
                    e.file_name()
                        .to_str()
                        .is_some_and(|n| n.len() > suffix.len() && n.ends_with(suffix))
                })
            }),
            Siblings::Memory(files) => files.iter().any(|(n, _)| {
                let top = n.split('/').next().unwrap_or(n);
                top.len() > suffix.len() && top.ends_with(suffix)
            }),
            Siblings::None => false,
        }
    }
}

/// What a rule's check gets besides the model: the source, the surroundings, and the place to
/// put findings.
pub struct Ctx<'a> {
    rule: &'static Rule,
    source: &'a SourceFile,
    siblings: &'a Siblings,
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

/// Facts gathered from every file of the run before any rule runs, for the few
/// rules that judge a file by others: NetworkPolicies for `k8s/missing-network-policy`. In
/// single-file mode they come from that file alone.
#[derive(Debug, Default)]
pub struct RunFacts {
    /// The NetworkPolicies of the run: namespace (`None`: not written) and the policy's spec.
    pub network_policies: Vec<(Option<String>, crate::formats::yaml::Node)>,
    /// The PodDisruptionBudgets of the run, for `k8s/missing-pod-disruption-budget`.
    pub disruption_budgets: Vec<DisruptionBudget>,
    /// The HorizontalPodAutoscalers of the run: they set a workload's replica floor.
    pub autoscalers: Vec<Autoscaler>,
    /// Flow triggers of the run that react to FAILED or WARNING executions, for
    /// `kestra/missing-error-handler` and `kestra/unobserved-allow-failure`.
    pub kestra_failure_watches: Vec<crate::formats::kestra::FailureWatch>,
}

/// A PodDisruptionBudget as the run-wide pass sees it.
#[derive(Debug)]
pub struct DisruptionBudget {
    pub namespace: Option<String>,
    pub name: String,
    /// The pods it selects; `None` when `spec.selector` is unset or malformed, which selects
    /// no pod. An empty selector selects every pod of the namespace in `policy/v1`, none in
    /// `policy/v1beta1`; that is resolved here.
    pub selector: Option<crate::formats::k8s::selector::LabelSelector>,
    pub min_available: Option<crate::formats::yaml::Node>,
    pub max_unavailable: Option<crate::formats::yaml::Node>,
}

/// A HorizontalPodAutoscaler's target and replica floor.
#[derive(Debug)]
pub struct Autoscaler {
    pub namespace: Option<String>,
    pub name: String,
    /// `scaleTargetRef.kind` and `.name`.
    pub target_kind: String,
    pub target_name: String,
    /// `minReplicas` (default 1).
    pub min_replicas: i64,
}

impl RunFacts {
    /// Append the facts of other files (gathered after these, in the run's file order).
    pub fn extend(&mut self, other: RunFacts) {
        self.network_policies.extend(other.network_policies);
        self.disruption_budgets.extend(other.disruption_budgets);
        self.autoscalers.extend(other.autoscalers);
        self.kestra_failure_watches
            .extend(other.kestra_failure_watches);
    }

    /// Whether rules of this format read the facts of other files, so its files can only be
    /// linted once every file has been parsed.
    pub fn read_by(format: Format) -> bool {
        matches!(format, Format::K8s | Format::Kestra)
    }

    /// Whether a file's text can give facts: it names a kind that gives some, or holds a Flow
    /// trigger. A file that cannot is not parsed when it is only read for its facts.
    pub fn may_give(text: &str) -> bool {
        [
            "NetworkPolicy",
            "PodDisruptionBudget",
            "HorizontalPodAutoscaler",
            "Flow",
        ]
        .iter()
        .any(|word| text.contains(word))
    }

    /// Add what one parsed file contributes.
    pub fn collect(&mut self, parsed: &Parsed) {
        if let Parsed::Kestra(file) = parsed {
            for flow in &file.flows {
                self.kestra_failure_watches
                    .extend(crate::formats::kestra::FailureWatch::of(flow));
            }
        }
        if let Parsed::K8s(manifest) = parsed {
            for object in &manifest.objects {
                if object.kind() == "NetworkPolicy"
                    && let Some(spec) = object.root.get("spec")
                {
                    self.network_policies
                        .push((object.namespace().map(str::to_string), spec.clone()));
                }
                if object.kind() == "PodDisruptionBudget" {
                    self.disruption_budgets.push(DisruptionBudget::of(object));
                }
                if object.kind() == "HorizontalPodAutoscaler"
                    && let Some(autoscaler) = Autoscaler::of(object)
                {
                    self.autoscalers.push(autoscaler);
                }
            }
        }
    }
}

impl DisruptionBudget {
    fn of(object: &Object) -> DisruptionBudget {
        use crate::formats::k8s::selector::LabelSelector;
        let spec = object.root.get("spec");
        let selector = spec
            .and_then(|s| s.get("selector"))
            .filter(|n| !n.is_null())
            .and_then(|n| LabelSelector::parse(n).ok())
            .filter(|s| !(s.is_empty() && object.api_version() == "policy/v1beta1"));
        let field = |key: &str| spec.and_then(|s| s.get(key)).cloned();
        DisruptionBudget {
            namespace: object.namespace().map(str::to_string),
            name: object.name().unwrap_or("").to_string(),
            selector,
            min_available: field("minAvailable"),
            max_unavailable: field("maxUnavailable"),
        }
    }
}

impl Autoscaler {
    fn of(object: &Object) -> Option<Autoscaler> {
        let spec = object.root.get("spec")?;
        let target = spec.get("scaleTargetRef")?;
        Some(Autoscaler {
            namespace: object.namespace().map(str::to_string),
            name: object.name().unwrap_or("").to_string(),
            target_kind: target.get("kind")?.as_str()?.to_string(),
            target_name: target.get("name")?.as_str()?.to_string(),
            min_replicas: spec
                .get("minReplicas")
                .and_then(|n| n.as_i64())
                .unwrap_or(1),
        })
    }
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        rule: &'static Rule,
        source: &'a SourceFile,
        siblings: &'a Siblings,
        run: &'a RunFacts,
        options: &'a Options,
        findings: &'a mut Vec<Finding>,
    ) -> Ctx<'a> {
        Ctx {
            rule,
            source,
            siblings,
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

    pub fn siblings(&self) -> &Siblings {
        self.siblings
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
        let (siblings, run, options) = (Siblings::None, RunFacts::default(), Options::default());
        let mut findings = Vec::new();
        let mut cx = Ctx::new(&PROBE, &source, &siblings, &run, &options, &mut findings);
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
