//! A run over paths: discovery, reading, and linting every file, in two passes when files
//! depend on one another. Most files are linted as soon as they are read. Kubernetes manifests
//! and Kestra flows first give the run-wide facts their rules read (from the targets and from
//! the context around them), and are linted once all are known; Terraform files are grouped by
//! directory into modules and linted together. Files of the context are read for those facts
//! and modules, and never reported on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Settings;
use crate::discover::{self, Candidate};
use crate::engine;
use crate::error::Error;
use crate::finding::{self, FileResult, Finding, Report};
use crate::format::Format;
use crate::formats::siblings::{Shared, Siblings};
use crate::formats::{self, Parsed};
use crate::load::{Loaded, load};
use crate::paths::{self, normalize};
use crate::report;
use crate::resources;
use crate::rules::selection::Selection;
use crate::rules::{self, RunFacts};
use crate::source::{SourceFile, Span};

/// Lint every infrastructure file under `paths`. Most files are linted as soon as they are
/// parsed, and only their findings are kept. The formats whose rules read facts across files
/// give those facts first, and Terraform files what their module needs to know
/// of the others; both are read again and linted once all are known. No text is held between
/// the two passes, so memory grows with the findings, not with the files.
///
/// The estimated-resources summary of the compose services and Kubernetes workloads comes
/// beside the report, for the reporters that show it.
pub fn lint_paths(paths: &[PathBuf], settings: &Settings) -> (Report, resources::Resources) {
    let discover::Walked {
        mut candidates,
        mut errors,
        render_markers,
    } = discover::walk_all(paths);
    let notices: Vec<finding::Notice> =
        discover::render::unrendered_notice(&discover::render::roots(&render_markers))
            .into_iter()
            .collect();
    candidates.retain(|c| !settings.is_excluded(&c.path));
    let run = Run::new(settings);
    let cwd = &run.cwd;
    let roots: Vec<PathBuf> = if settings.context {
        let roots = discover::context::roots(paths, cwd);
        let context =
            discover::context::walk(paths, &roots, cwd, &candidates, |p| settings.is_excluded(p));
        if !context.is_empty() {
            // The run reads the files in the order a run over the context roots would.
            candidates.extend(context);
            candidates.sort_by_cached_key(|c| paths::absolute_in(cwd, &c.path));
        }
        roots
    } else {
        // A file given is its own root: nothing of its module lies below it.
        paths
            .iter()
            .map(|p| paths::absolute_in(cwd, p))
            .map(|p| match p.parent() {
                Some(parent) if p.is_file() => parent.to_path_buf(),
                _ => p,
            })
            .collect()
    };
    let first: Vec<Result<Option<First>, Box<Error>>> = candidates
        .into_par_iter()
        .map(|candidate| first_pass(candidate, &run))
        .collect();
    // Every file read gives one result at most: the report's list is allocated once.
    let mut files: Vec<FileResult> =
        Vec::with_capacity(first.iter().filter(|r| matches!(r, Ok(Some(_)))).count());
    let mut parts: Vec<(usize, Vec<resources::Group>)> = Vec::new();
    let waiting = |wanted: fn(&First) -> bool| {
        first
            .iter()
            .filter(|r| matches!(r, Ok(Some(f)) if wanted(f)))
            .count()
    };
    let mut later: Vec<(usize, Candidate)> =
        Vec::with_capacity(waiting(|f| matches!(f, First::Later(_))));
    let mut members: Vec<Member> = Vec::with_capacity(waiting(|f| matches!(f, First::Member(_))));
    let mut facts = RunFacts::default();
    let mut autoscalers: Vec<resources::Autoscaler> = Vec::new();
    for (index, result) in first.into_iter().enumerate() {
        match result {
            Ok(Some(First::Done(alone))) => keep(*alone, index, &mut files, &mut parts),
            Ok(Some(First::Facts(given))) => {
                let (own, scaling) = *given;
                facts.extend(own);
                autoscalers.extend(scaling);
            }
            Ok(Some(First::Later(pending))) => {
                let Pending {
                    candidate,
                    facts: own,
                    autoscalers: scaling,
                } = *pending;
                facts.extend(own);
                autoscalers.extend(scaling);
                later.push((index, candidate));
            }
            Ok(Some(First::Member(member))) => members.push(*member),
            Ok(None) => {}
            Err(err) => errors.push(*err),
        }
    }
    for slice in later.chunks(SLICE) {
        let second: Vec<(usize, Result<Option<Alone>, Error>)> = slice
            .par_iter()
            .map(|(index, candidate)| (*index, second_pass(candidate, &facts, &autoscalers, &run)))
            .collect();
        for (index, result) in second {
            match result {
                Ok(Some(alone)) => keep(alone, index, &mut files, &mut parts),
                Ok(None) => {}
                Err(err) => errors.push(err),
            }
        }
    }
    drop(later);
    parts.sort_by_key(|(index, _)| *index);
    let resources = resources::assemble(parts.into_iter().map(|(_, part)| part));
    let modules = group_modules(members, &roots, settings.context);
    let mut hidden = Vec::new();
    for slice in modules.chunks(SLICE) {
        lint_modules(slice, &run, &mut files, &mut hidden, &mut errors);
    }
    // Discovery leaves one candidate per display path, so no two files share a name and the
    // order is the same as a stable sort's, without the stable sort's buffer.
    files.sort_unstable_by(|a, b| a.source.name.cmp(&b.source.name));
    // The secrets of the context are masked in the targets' messages too, as in a run over the
    // whole context.
    let reported = files.len();
    files.extend(hidden);
    report::mask::mask_messages(&mut files);
    files.truncate(reported);
    (
        Report {
            files,
            errors,
            notices,
        },
        resources,
    )
}

/// Add a file linted by itself to the report, and its part of the resources summary (by the
/// file's place among the candidates) when it has one.
fn keep(
    (file, part): Alone,
    index: usize,
    files: &mut Vec<FileResult>,
    parts: &mut Vec<(usize, Vec<resources::Group>)>,
) {
    files.push(file);
    if !part.is_empty() {
        parts.push((index, part));
    }
}

/// Lint Terraform modules in parallel, adding their files and read errors to the report's, and
/// the files of the context that hold secrets to `hidden`.
fn lint_modules(
    modules: &[TerraformModule],
    run: &Run,
    files: &mut Vec<FileResult>,
    hidden: &mut Vec<FileResult>,
    errors: &mut Vec<Error>,
) {
    let linted: Vec<LintedModule> = modules
        .par_iter()
        .map(|module| lint_terraform_module(module, run))
        .collect();
    for module in linted {
        files.extend(module.files);
        hidden.extend(module.hidden);
        errors.extend(module.errors);
    }
}

/// What linting a Terraform module gives the report.
#[derive(Default)]
struct LintedModule {
    /// The module's target files.
    files: Vec<FileResult>,
    /// Its files of the context that hold secrets, without findings: kept until the messages
    /// are masked, then dropped.
    hidden: Vec<FileResult>,
    /// Target files that could not be read.
    errors: Vec<Error>,
}

/// How many files (or modules) the later passes lint at a time: their results wait beside the
/// report until the whole slice is done, so the slice, not the run, bounds that overlap.
const SLICE: usize = 256;

/// What the first pass leaves of a file. The variants that wait for the second pass keep the
/// candidate to read it again, not its text.
enum First {
    /// Linted, with what it adds to the resources summary.
    Done(Box<Alone>),
    /// Its rules read facts of other files: linted once all are gathered.
    Later(Box<Pending>),
    /// A Terraform configuration or variable file, linted with its module.
    Member(Box<Member>),
    /// A file of the context: the facts and autoscalers it gives the targets.
    Facts(Box<(RunFacts, Vec<resources::Autoscaler>)>),
}

/// A file whose rules read facts of other files, with the facts and autoscalers it adds to the
/// run's.
struct Pending {
    candidate: Candidate,
    facts: RunFacts,
    autoscalers: Vec<resources::Autoscaler>,
}

/// A Terraform configuration or variable file, with what its module and the others of the run
/// need to know of its text.
struct Member {
    candidate: Candidate,
    /// Its directory, absolute and normalized: the module it belongs to.
    dir: PathBuf,
    /// The text names a budget resource type.
    budget: bool,
    /// The other directories its `module` blocks use as a local `source`, normalized.
    sources: Vec<PathBuf>,
}

/// A file linted on its own, with what it adds to the resources summary.
type Alone = (FileResult, Vec<resources::Group>);

/// The resource types that define a budget, for `terraform/missing-budget`.
pub(crate) const BUDGET_TYPES: [&str; 3] = [
    "aws_budgets_budget",
    "google_billing_budget",
    "azurerm_consumption_budget_",
];

/// Read a candidate and lint it when nothing else of the run is needed for it; otherwise keep
/// what the rest of the run needs of it, and drop its text.
fn first_pass(candidate: Candidate, run: &Run) -> Result<Option<First>, Box<Error>> {
    let loaded = match load(&candidate) {
        Ok(Some(loaded)) => loaded,
        // A context file that cannot be read gives nothing: it is never reported on.
        Err(_) if candidate.context => return Ok(None),
        Ok(None) => return Ok(None),
        Err(err) => return Err(Box::new(err)),
    };
    if is_module_member(&loaded)
        && let Some(dir) = loaded.source.dir().map(|d| paths::absolute_in(&run.cwd, d))
    {
        let text = &loaded.source.text;
        let budget = BUDGET_TYPES.iter().any(|ty| text.contains(ty));
        let mut sources: Vec<PathBuf> = formats::terraform::scan_local_sources(text)
            .into_iter()
            .map(|local| normalize(&dir.join(local)))
            .filter(|target| *target != dir)
            .collect();
        sources.shrink_to_fit();
        return Ok(Some(First::Member(Box::new(Member {
            candidate,
            dir,
            budget,
            sources,
        }))));
    }
    if candidate.context {
        return Ok(context_facts(&loaded).map(|given| First::Facts(Box::new(given))));
    }
    // A file whose rules need the run's facts gives only its facts now: the second pass reads
    // it again, and reads its unit then, so nothing around it is read twice.
    match parse_alone(&loaded) {
        Some(parsed) if RunFacts::read_by(loaded.format) => {
            let mut facts = RunFacts::default();
            facts.collect(&parsed);
            Ok(Some(First::Later(Box::new(Pending {
                candidate,
                facts,
                autoscalers: resources::autoscalers_of(&parsed),
            }))))
        }
        parsed => {
            let parsed = parsed.map(|parsed| with_unit(&loaded, parsed, run));
            let alone = finish_alone(loaded, parsed.as_ref(), &RunFacts::default(), &[], run);
            Ok(Some(First::Done(Box::new(alone))))
        }
    }
}

/// What a file of the context gives the targets: the run-wide facts of a Kubernetes manifest
/// or a Kestra flow. Only files that name a kind or a trigger that gives facts are parsed.
fn context_facts(loaded: &Loaded) -> Option<(RunFacts, Vec<resources::Autoscaler>)> {
    if !RunFacts::read_by(loaded.format) || !RunFacts::may_give(&loaded.source.text) {
        return None;
    }
    let parsed = parse_alone(loaded)?;
    let mut facts = RunFacts::default();
    facts.collect(&parsed);
    Some((facts, resources::autoscalers_of(&parsed)))
}

/// Read a file of the first pass's `Later` again and lint it with the facts of the whole run.
/// A file that changed in between is linted as it reads now (the facts it gave are those of
/// its first reading); one that can no longer be read is an error, as on a first reading.
fn second_pass(
    candidate: &Candidate,
    facts: &RunFacts,
    autoscalers: &[resources::Autoscaler],
    run: &Run,
) -> Result<Option<Alone>, Error> {
    let Some(loaded) = load(candidate)? else {
        return Ok(None);
    };
    let parsed = parse_target(&loaded, run);
    Ok(Some(finish_alone(
        loaded,
        parsed.as_ref(),
        facts,
        autoscalers,
        run,
    )))
}

/// The model of a file linted by itself: none when its content could not be read as text, or
/// for a Terraform module member, whose rules need the module.
pub(crate) fn parse_alone(loaded: &Loaded) -> Option<Parsed> {
    match loaded.problem {
        None if !is_module_member(loaded) => Some(formats::parse(loaded.format, &loaded.source)),
        _ => None,
    }
}

/// The model of a target linted by itself, with what its lint unit reads from around it.
pub(crate) fn parse_target(loaded: &Loaded, run: &Run) -> Option<Parsed> {
    parse_alone(loaded).map(|parsed| with_unit(loaded, parsed, run))
}

/// A target's model with what its lint unit reads from around it.
fn with_unit(loaded: &Loaded, mut parsed: Parsed, run: &Run) -> Parsed {
    let siblings = loaded
        .source
        .dir()
        .map_or(Siblings::None, |dir| Siblings::dir_in_run(dir, &run.shared));
    formats::attach(&mut parsed, &loaded.source, &siblings);
    parsed
}

/// Lint a file by itself, with what it adds to the resources summary.
pub(crate) fn finish_alone(
    loaded: Loaded,
    parsed: Option<&Parsed>,
    facts: &RunFacts,
    autoscalers: &[resources::Autoscaler],
    run: &Run,
) -> Alone {
    let part = parsed.map_or_else(Vec::new, |p| {
        resources::part(&loaded.source.name, p, autoscalers)
    });
    (lint_loaded(loaded, parsed, facts, run), part)
}

/// What every file of a run shares: the settings, and the rules by format, selected once.
pub(crate) struct Run<'a> {
    pub(crate) settings: &'a Settings,
    pub(crate) registry: &'static rules::Registry,
    /// The run's selection (a file's, unless a per-path ignore matches it) and the ids of the
    /// rules it enables on each format.
    selection: Selection,
    enabled: Vec<(Format, Arc<[&'static str]>)>,
    /// The current directory, which relative paths are read against.
    cwd: PathBuf,
    /// What the lint units of the run's files read alike, read once.
    shared: Arc<Shared>,
}

impl<'a> Run<'a> {
    pub(crate) fn new(settings: &'a Settings) -> Run<'a> {
        let registry = rules::Registry::shared(settings.options.profile);
        let selection = settings.selection_for(None);
        let enabled = Format::ALL
            .into_iter()
            .map(|format| (format, select(registry, format, &selection)))
            .collect();
        Run {
            settings,
            registry,
            selection,
            enabled,
            cwd: std::env::current_dir().unwrap_or_default(),
            shared: Arc::default(),
        }
    }

    /// The ids of the rules that run on a file of a format with a selection, sorted.
    pub(crate) fn enabled_rules(
        &self,
        format: Format,
        selection: &Selection,
    ) -> Arc<[&'static str]> {
        if *selection == self.selection
            && let Some((_, ids)) = self.enabled.iter().find(|(f, _)| *f == format)
        {
            return Arc::clone(ids);
        }
        select(self.registry, format, selection)
    }
}

/// The ids of the rules a selection enables on a file of a format, sorted.
fn select(
    registry: &rules::Registry,
    format: Format,
    selection: &Selection,
) -> Arc<[&'static str]> {
    registry
        .for_file(format)
        .iter()
        .filter(|r| selection.enables(r))
        .map(|r| r.id)
        .collect()
}

/// The files of one Terraform module, to be read when the module is linted.
struct TerraformModule {
    dir: PathBuf,
    files: Vec<Candidate>,
    child: bool,
    /// Some module of the run defines a budget.
    budget: bool,
    /// An example or a test fixture, not a production root.
    example: bool,
}

/// Group Terraform configuration and variable files by directory into modules. A module is a
/// child when another module of the run uses its directory as a local `source` or when it sits
/// under a `modules/` directory; it is an example when it sits under `examples/`, `test/`,
/// `fixtures/` … below the root it was found under: the context root of a run with context,
/// else the path given. `roots` and the members' directories are absolute. A module none of
/// whose files is a target is left out: its members only told the others of budgets and
/// sources.
fn group_modules(members: Vec<Member>, roots: &[PathBuf], context: bool) -> Vec<TerraformModule> {
    let budget = members.iter().any(|m| m.budget);
    let referenced: std::collections::HashSet<PathBuf> = members
        .iter()
        .flat_map(|m| m.sources.iter().cloned())
        .collect();
    let mut modules: Vec<(PathBuf, Vec<Candidate>)> = Vec::new();
    // Where each directory's module is in `modules`: a search through the list for every file
    // grew with the square of the run.
    let mut index: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    for member in members {
        let Member { candidate, dir, .. } = member;
        match index.get(&dir).and_then(|&i| modules.get_mut(i)) {
            Some((_, files)) => files.push(candidate),
            None => {
                index.insert(dir.clone(), modules.len());
                modules.push((dir, vec![candidate]));
            }
        }
    }
    modules
        .into_iter()
        .filter(|(_, files)| files.iter().any(|c| !c.context))
        .map(|(dir, files)| {
            let below = below_root(&dir, roots);
            let under_modules = if context {
                below.components().any(|c| c.as_os_str() == "modules")
            } else {
                files.first().is_some_and(|c| {
                    Path::new(&c.display)
                        .parent()
                        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "modules"))
                })
            };
            TerraformModule {
                child: under_modules || referenced.contains(&dir),
                example: formats::terraform::is_example_dir(below),
                dir,
                files,
                budget,
            }
        })
        .collect()
}

/// A module's directory below the root it was found under (the longest root that holds it).
fn below_root<'a>(dir: &'a Path, roots: &[PathBuf]) -> &'a Path {
    roots
        .iter()
        .filter_map(|root| dir.strip_prefix(root).ok())
        .min_by_key(|rest| rest.components().count())
        .unwrap_or(dir)
}

/// Read the files of a module again and lint them together. The module's facts (child, budget)
/// are those of the first reading; a file that no longer reads as a module member (it became
/// unreadable as text) is linted by itself, and one that can no longer be read is an error.
fn lint_terraform_module(module: &TerraformModule, run: &Run) -> LintedModule {
    let TerraformModule {
        dir,
        files,
        child,
        budget,
        example,
    } = module;
    let settings = run.settings;
    let mut out = LintedModule::default();
    let mut sources: Vec<SourceFile> = Vec::with_capacity(files.len());
    // Which of `sources` are files of the context: linted with the module, not reported.
    let mut context: Vec<bool> = Vec::with_capacity(files.len());
    for candidate in files {
        match load(candidate) {
            Ok(Some(loaded)) if is_module_member(&loaded) && loaded.source.dir().is_some() => {
                sources.push(loaded.source);
                context.push(candidate.context);
            }
            Ok(_) | Err(_) if candidate.context => {}
            Ok(Some(loaded)) => {
                let parsed = parse_target(&loaded, run);
                let (file, _) =
                    finish_alone(loaded, parsed.as_ref(), &RunFacts::default(), &[], run);
                out.files.push(file);
            }
            Ok(None) => {}
            Err(err) => out.errors.push(err),
        }
    }
    if sources.is_empty() {
        return out;
    }
    // The module's files in the order Terraform reads them.
    let mut ordered: Vec<(SourceFile, bool)> = sources.into_iter().zip(context).collect();
    ordered.sort_by_cached_key(|(source, _)| formats::terraform::unit::load_rank(&source.name));
    let (sources, context): (Vec<SourceFile>, Vec<bool>) = ordered.into_iter().unzip();
    let selections: Vec<Selection> = sources
        .iter()
        .map(|s| settings.selection_for(s.path.as_deref()))
        .collect();
    let unit = engine::ModuleFiles {
        sources: &sources,
        child: *child,
        run_has_budget: *budget,
        example: *example,
    };
    let findings = engine::lint_module_in(
        run.registry,
        &unit,
        &Siblings::dir(dir.as_path()),
        settings,
        &selections,
    );
    for (((source, linted), selection), context) in sources
        .into_iter()
        .zip(findings)
        .zip(selections)
        .zip(context)
    {
        // A file of the context is kept only for the secrets it holds, which the messages of
        // the targets' findings may quote (a variable's default, say).
        if context && linted.masks.is_empty() {
            continue;
        }
        let file = FileResult {
            source: shed_text(source, &linted.findings, &linted.masks),
            format: Format::Terraform,
            findings: if context {
                Vec::new()
            } else {
                shrunk(linted.findings)
            },
            masks: linted.masks,
            rules: run.enabled_rules(Format::Terraform, &selection),
        };
        if context {
            out.hidden.push(file);
        } else {
            out.files.push(file);
        }
    }
    out
}

/// A Terraform configuration or variable file that could be read: linted with its module.
pub(crate) fn is_module_member(file: &Loaded) -> bool {
    file.format == Format::Terraform
        && file.problem.is_none()
        && formats::terraform::FileKind::of(&file.source.name)
            != formats::terraform::FileKind::State
}

/// The infrastructure files under `paths` and their formats, without linting them.
pub fn discover_files(
    paths: &[PathBuf],
    settings: &Settings,
) -> (Vec<(String, Format)>, Vec<Error>) {
    let (mut candidates, mut errors) = discover::walk(paths);
    candidates.retain(|c| !settings.is_excluded(&c.path));
    let results: Vec<Result<Option<(String, Format)>, Error>> = candidates
        .par_iter()
        .map(|candidate| Ok(load(candidate)?.map(|l| (l.source.name, l.format))))
        .collect();
    let mut files = Vec::new();
    for result in results {
        match result {
            Ok(Some(file)) => files.push(file),
            Ok(None) => {}
            Err(err) => errors.push(err),
        }
    }
    (files, errors)
}

fn lint_loaded(loaded: Loaded, parsed: Option<&Parsed>, facts: &RunFacts, run: &Run) -> FileResult {
    let settings = run.settings;
    let Loaded {
        source,
        format,
        problem,
    } = loaded;
    let selection = settings.selection_for(source.path.as_deref());
    let parse_error_enabled = selection.enables(&rules::infralint::PARSE_ERROR);
    let engine::Linted { findings, masks } = match (problem, parsed) {
        (Some(problem), _) if parse_error_enabled => {
            let mut findings = vec![problem];
            settings.override_severities(&mut findings);
            engine::Linted {
                findings,
                masks: engine::file_masks(&source.text, false, []),
            }
        }
        (Some(_), _) | (None, None) => engine::Linted::default(),
        (None, Some(parsed)) => {
            let siblings = source.dir().map_or(Siblings::None, Siblings::dir);
            engine::lint_parsed(
                run.registry,
                &source,
                parsed,
                &siblings,
                &selection,
                facts,
                settings,
            )
        }
    };
    let rules = run.enabled_rules(format, &selection);
    FileResult {
        source: shed_text(source, &findings, &masks),
        format,
        findings: shrunk(findings),
        masks,
        rules,
    }
}

/// The source as the report keeps it: reporters read the text only around findings, so a file
/// without any keeps its name and path alone (unless it holds secrets, which are masked
/// wherever else they appear).
pub(crate) fn shed_text(source: SourceFile, findings: &[Finding], masks: &[Span]) -> SourceFile {
    if findings.is_empty() && masks.is_empty() && !source.text.is_empty() {
        SourceFile::new(source.name, source.path, String::new())
    } else {
        source
    }
}

/// Findings without spare capacity, as the report keeps them until the end of the run.
pub(crate) fn shrunk(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.shrink_to_fit();
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::NameClass;

    /// The first pass of a Kubernetes manifest and of a Terraform file, which keep only their
    /// candidates for the second.
    fn first_passes(
        dir: &Path,
        run: &Run,
    ) -> std::io::Result<(PathBuf, Box<Pending>, PathBuf, Box<Member>)> {
        let manifest = dir.join("deploy.yaml");
        std::fs::write(
            &manifest,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n",
        )?;
        let config = dir.join("main.tf");
        std::fs::write(&config, "variable \"region\" {\n  type = string\n}\n")?;
        let later = first_pass(Candidate::at(manifest.clone(), NameClass::Yaml), run);
        let member = first_pass(
            Candidate::at(config.clone(), NameClass::Format(Format::Terraform)),
            run,
        );
        let (Ok(Some(First::Later(pending))), Ok(Some(First::Member(member)))) = (later, member)
        else {
            return Err(std::io::Error::other(
                "the first pass linted a file too early",
            ));
        };
        Ok((manifest, pending, config, member))
    }

    /// Files read by the first pass and deleted before the second: errors naming them, as when
    /// the first reading fails.
    #[test]
    fn a_file_deleted_between_the_passes_is_an_error() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let settings = Settings::default();
        let run = Run::new(&settings);
        let (manifest, pending, config, member) = first_passes(dir.path(), &run)?;
        std::fs::remove_file(&manifest)?;
        std::fs::remove_file(&config)?;
        let Err(Error::Io { path, source }) =
            second_pass(&pending.candidate, &RunFacts::default(), &[], &run)
        else {
            return Err(std::io::Error::other("a deleted manifest was not reported"));
        };
        assert_eq!(path, manifest);
        assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        let mut files = Vec::new();
        let mut errors = Vec::new();
        lint_modules(
            &group_modules(vec![*member], &[], false),
            &run,
            &mut files,
            &mut Vec::new(),
            &mut errors,
        );
        assert!(files.is_empty());
        let [Error::Io { path, source }] = errors.as_slice() else {
            return Err(std::io::Error::other(
                "a deleted Terraform file was not reported",
            ));
        };
        assert_eq!(*path, config);
        assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        Ok(())
    }

    /// Files that changed between the passes are linted as they read the second time: here
    /// both stopped being valid UTF-8, which is reported instead of their rules' findings.
    #[test]
    fn a_file_changed_between_the_passes_is_linted_as_read_again() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let settings = Settings::default();
        let run = Run::new(&settings);
        let (manifest, pending, config, member) = first_passes(dir.path(), &run)?;
        std::fs::write(&manifest, b"apiVersion: v1\nkind: Pod\n# \xFF\n")?;
        std::fs::write(&config, b"variable \"region\" {}\n# \xFF\n")?;
        let Ok(Some((file, _))) = second_pass(&pending.candidate, &RunFacts::default(), &[], &run)
        else {
            return Err(std::io::Error::other("a changed manifest was not linted"));
        };
        let mut files = vec![file];
        let mut errors = Vec::new();
        lint_modules(
            &group_modules(vec![*member], &[], false),
            &run,
            &mut files,
            &mut Vec::new(),
            &mut errors,
        );
        assert!(errors.is_empty());
        assert_eq!(files.len(), 2);
        for file in &files {
            let rules: Vec<&str> = file.findings.iter().map(|f| f.rule).collect();
            assert_eq!(rules, ["infralint/parse-error"], "{}", file.source.name);
        }
        Ok(())
    }
}
