//! Standard input: `infralint -` lints one stream, as a pipe gives it (`helm template chart/ |
//! infralint -`, `kubectl kustomize overlay/ | infralint -`, an editor's unsaved buffer).
//!
//! The format comes from a name (`--stdin-filename`), decided as for a file on disk, or else
//! from the content: a stream of Kubernetes objects, a Kestra flow, a compose file or a
//! Dockerfile. A stream that is none of these is an error, never a silent pass. The bytes go
//! through the same loading as a file's, so an oversized, non-UTF-8 or UTF-16 stream gets the
//! finding a file would.
//!
//! Helm writes a `# Source: chart/templates/x.yaml` comment at the top of every document it
//! renders. The documents of one template are linted as one file named after it: its text is
//! those documents after their `# Source:` line, joined by `---` lines, so line 1 is the first
//! line the template rendered. Messages then end with [`RENDERED_SUFFIX`], since the lines are
//! not those of the template on disk. Facts that span files (NetworkPolicies, disruption
//! budgets, autoscalers, Kestra failure triggers) are gathered from every document of the
//! stream before any is linted.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::discover::{self, Candidate, NameClass};
use crate::error::Error;
use crate::finding::{FileResult, Report};
use crate::formats::siblings::Siblings;
use crate::formats::{Format, Parsed};
use crate::load::{self, CLASSIFY_HEAD, Loaded, MAX_FILE_SIZE};
use crate::resources::Resources;
use crate::rules::RunFacts;
use crate::run::{self, Run};
use crate::source::SourceFile;

/// The name of the stream in findings when `--stdin-filename` does not give one.
pub const STDIN_NAME: &str = "-";

/// Ends the message of every finding in a document attributed to a template by a `# Source:`
/// comment: the line is in the rendered output, not in the template.
pub const RENDERED_SUFFIX: &str = " (in rendered output)";

/// What linting standard input gives.
#[derive(Debug)]
pub struct Outcome {
    pub report: Report,
    /// The estimated-resources summary of the stream's workloads.
    pub resources: Resources,
    /// Why the named stream was left alone (the configuration excludes its name, or its YAML
    /// is not infrastructure), as for a file named on the command line; the report is empty.
    pub skipped: Option<&'static str>,
}

/// Whether the command line asks to lint standard input: `-` as the only path. `-` among
/// other paths, and a stream name without `-`, are usage errors.
pub fn requested(paths: &[PathBuf], name: Option<&str>) -> Result<bool, Error> {
    let dash = paths.iter().any(|p| p.as_os_str() == STDIN_NAME);
    if dash && paths.len() > 1 {
        return Err(Error::Usage(
            "`-` (standard input) cannot be combined with other paths".to_string(),
        ));
    }
    if name.is_some() && !dash {
        return Err(Error::Usage(
            "--stdin-filename names standard input: pass `-` as the path".to_string(),
        ));
    }
    Ok(dash)
}

/// Lint the process's standard input.
pub fn lint_stdin(name: Option<&str>, settings: &Settings) -> Result<Outcome, Error> {
    lint(std::io::stdin().lock(), name, settings)
}

/// Lint one stream, named `name` or [`STDIN_NAME`].
pub fn lint(input: impl Read, name: Option<&str>, settings: &Settings) -> Result<Outcome, Error> {
    Ok(match load(input, name, settings)? {
        Ok(loaded) => {
            let (report, resources) = lint_loaded(loaded, &Run::new(settings));
            Outcome {
                report,
                resources,
                skipped: None,
            }
        }
        Err(reason) => Outcome {
            report: Report::default(),
            resources: Resources::default(),
            skipped: Some(reason),
        },
    })
}

/// Lint the output of a renderer (`kubectl kustomize`, `helm template`) as an unnamed stream
/// is linted, its findings named `name` (the parts of Helm output by their templates). The
/// error says why the output could not be linted.
pub(crate) fn lint_rendering(
    input: impl Read,
    name: &str,
    settings: &Settings,
) -> Result<Report, String> {
    match load(input, None, settings) {
        Ok(Ok(loaded)) => {
            let loaded = Loaded {
                source: SourceFile::new(name.to_string(), None, loaded.source.text),
                ..loaded
            };
            Ok(lint_loaded(loaded, &Run::new(settings)).0)
        }
        Ok(Err(reason)) => Err(format!("its rendering was left alone: {reason}")),
        Err(Error::Usage(_)) => Err(
            "its rendering is not a stream of Kubernetes objects that infralint can lint"
                .to_string(),
        ),
        Err(err) => Err(err.to_string()),
    }
}

/// The files of a stream with their formats, sorted, or why the named stream is left alone.
pub type Listing = Result<Vec<(String, Format)>, &'static str>;

/// The files a stream gives, with their formats, as `--show-files` lists them.
pub fn files(input: impl Read, name: Option<&str>, settings: &Settings) -> Result<Listing, Error> {
    Ok(load(input, name, settings)?.map(|loaded| {
        let mut files: Vec<(String, Format)> = split_rendered(loaded)
            .into_iter()
            .map(|(part, _)| (part.source.name, part.format))
            .collect();
        files.sort();
        files
    }))
}

/// Read a stream and decide its format. `Ok(Err(reason))`: a named stream left alone, as a
/// file of that name would be.
fn load(
    input: impl Read,
    name: Option<&str>,
    settings: &Settings,
) -> Result<Result<Loaded, &'static str>, Error> {
    let display = name.unwrap_or(STDIN_NAME);
    let (bytes, size) = read(input).map_err(|source| Error::Io {
        path: PathBuf::from(display),
        source,
    })?;
    let class = match name {
        Some(name) => {
            let path = Path::new(name);
            if settings.is_excluded(path) {
                return Ok(Err("the configuration's `exclude` leaves it out"));
            }
            name_class(path).ok_or_else(|| {
                Error::Usage(format!(
                    "--stdin-filename {name}: its name is not that of an infrastructure file; \
                     give the name the stream would have on disk (Dockerfile, compose.yaml, \
                     deploy.yaml …)"
                ))
            })?
        }
        None => NameClass::Format(detect(&bytes, size).ok_or_else(|| {
            Error::Usage(no_format_message(bytes.iter().all(u8::is_ascii_whitespace)))
        })?),
    };
    let candidate = Candidate {
        path: PathBuf::from(display),
        display: display.to_string(),
        class,
        context: false,
    };
    let loaded = if size > MAX_FILE_SIZE {
        load::unreadable_content(&candidate, &load::too_large(size), || Ok(head_text(&bytes)))
    } else {
        load::load_bytes(&candidate, bytes)
    }
    .map_err(|source| Error::Io {
        path: PathBuf::from(display),
        source,
    })?;
    let Some(loaded) = loaded else {
        return Ok(Err(
            "its content is not a Kubernetes manifest, Kestra flow, compose file or CI pipeline",
        ));
    };
    // An unnamed stream has no place on disk: no siblings, no per-path configuration.
    Ok(Ok(match name {
        Some(_) => loaded,
        None => Loaded {
            source: SourceFile::new(loaded.source.name, None, loaded.source.text),
            ..loaded
        },
    }))
}

/// The class of a stream's name, as discovery gives a file's (a GitLab include is CI).
fn name_class(path: &Path) -> Option<NameClass> {
    match discover::classify_name(path)? {
        NameClass::Yaml if discover::GitlabIncludes::default().includes(path) => {
            Some(NameClass::Format(Format::Ci))
        }
        class => Some(class),
    }
}

/// The error for a stream whose format cannot be told without a name.
fn no_format_message(empty: bool) -> String {
    let what = if empty {
        "standard input is empty"
    } else {
        "standard input is not a Kubernetes manifest stream, Kestra flow, compose file or \
         Dockerfile"
    };
    format!(
        "{what}; pass --stdin-filename NAME to lint it as the file NAME \
         (e.g. `--stdin-filename Dockerfile`)"
    )
}

/// Read a stream: its bytes up to one past the size limit, and its whole size (the rest is
/// read and dropped, so that the writer of a pipe is not cut off).
fn read(mut input: impl Read) -> std::io::Result<(Vec<u8>, u64)> {
    let mut bytes = Vec::new();
    (&mut input)
        .take(MAX_FILE_SIZE.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let mut size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > MAX_FILE_SIZE {
        size = size.saturating_add(std::io::copy(&mut input, &mut std::io::sink())?);
    }
    Ok((bytes, size))
}

/// The start of a stream as text, for deciding what it is: as much as a file over the size
/// limit is classified on.
fn head_text(bytes: &[u8]) -> String {
    let head = usize::try_from(CLASSIFY_HEAD).unwrap_or(usize::MAX);
    String::from_utf8_lossy(bytes.get(..head).unwrap_or(bytes)).into_owned()
}

/// The format of an unnamed stream from its content: the YAML formats as discovery tells them
/// by content, then a Dockerfile.
fn detect(bytes: &[u8], size: u64) -> Option<Format> {
    let text = if size > MAX_FILE_SIZE {
        head_text(bytes)
    } else if let Some(big_endian) = load::utf16_bom(bytes) {
        load::decode_utf16(bytes, big_endian)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    discover::classify_yaml(text).or_else(|| is_dockerfile(text).then_some(Format::Docker))
}

/// A conservative test for a Dockerfile: the first line that is not blank, a comment or a
/// parser directive is a `FROM` or `ARG` instruction with an argument.
fn is_dockerfile(text: &str) -> bool {
    let Some(line) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return false;
    };
    let mut words = line.split_whitespace();
    let instruction = words.next().map(str::to_ascii_uppercase);
    matches!(instruction.as_deref(), Some("FROM" | "ARG")) && words.next().is_some()
}

/// Lint a loaded stream: split by template when it is rendered Helm output, gather the run's
/// facts from every part, then lint each part.
fn lint_loaded(loaded: Loaded, run: &Run) -> (Report, Resources) {
    if run::is_module_member(&loaded) {
        let file = lint_terraform(loaded, run);
        return finish(vec![file], Vec::new());
    }
    let parts = split_rendered(loaded);
    // The templates of a chart are independent once the facts are known: parsed and linted in
    // parallel, as the files of a directory are.
    let parsed: Vec<Option<Parsed>> = parts.par_iter().map(|(l, _)| parse(l, run)).collect();
    let mut facts = RunFacts::default();
    let mut autoscalers = Vec::new();
    for model in parsed.iter().flatten() {
        facts.collect(model);
        autoscalers.extend(crate::resources::autoscalers_of(model));
    }
    let (files, groups): (Vec<FileResult>, Vec<_>) = parts
        .into_par_iter()
        .zip(parsed)
        .map(|((loaded, rendered), model)| {
            let (mut file, part) =
                run::finish_alone(loaded, model.as_ref(), &facts, &autoscalers, run);
            if rendered {
                for finding in &mut file.findings {
                    finding.message.push_str(RENDERED_SUFFIX);
                }
            }
            (file, part)
        })
        .unzip();
    finish(files, groups)
}

/// The model of a part. A compose file told by its content is YAML: its name (`-`) is not
/// the one the compose parser would tell YAML from dotenv by.
fn parse(loaded: &Loaded, run: &Run) -> Option<Parsed> {
    let unnamed = loaded.source.path.is_none() && loaded.source.name == STDIN_NAME;
    match loaded.problem {
        None if unnamed && loaded.format == Format::Compose => Some(Parsed::Compose(
            crate::formats::compose::parse("compose.yaml", &loaded.source.text),
        )),
        _ => run::parse_target(loaded, run),
    }
}

/// The report of a stream's files, in name order, with secrets masked in messages.
fn finish(
    mut files: Vec<FileResult>,
    parts: Vec<Vec<crate::resources::Group>>,
) -> (Report, Resources) {
    files.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    crate::report::mask::mask_messages(&mut files);
    (
        Report {
            files,
            errors: Vec::new(),
            notices: Vec::new(),
        },
        crate::resources::assemble(parts.into_iter()),
    )
}

/// A Terraform file from a named stream: a module of one file, since the others of its
/// directory were not given.
fn lint_terraform(loaded: Loaded, run: &Run) -> FileResult {
    let source = loaded.source;
    let selection = run.settings.selection_for(source.path.as_deref());
    let child = Path::new(&source.name)
        .parent()
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "modules"));
    let unit = crate::engine::ModuleFiles {
        sources: std::slice::from_ref(&source),
        child,
        run_has_budget: run::BUDGET_TYPES.iter().any(|t| source.text.contains(t)),
        example: source
            .path
            .as_deref()
            .and_then(Path::parent)
            .is_some_and(crate::formats::terraform::is_example_dir),
    };
    let siblings = source.dir().map_or(Siblings::None, Siblings::dir);
    let linted = crate::engine::lint_module_in(
        run.registry,
        &unit,
        &siblings,
        run.settings,
        std::slice::from_ref(&selection),
    )
    .pop()
    .unwrap_or_default();
    FileResult {
        source: run::shed_text(source, &linted.findings, &linted.masks),
        format: Format::Terraform,
        findings: run::shrunk(linted.findings),
        masks: linted.masks,
        rules: run.enabled_rules(Format::Terraform, &selection),
    }
}

/// The parts of a stream to lint, each with whether it is attributed to a Helm template. A
/// stream without `# Source:` comments (Kustomize output, a plain manifest, any other format)
/// is one part, as read; rendered Helm output gives one part per template, and one named after
/// the stream for documents without a `# Source:` comment.
fn split_rendered(loaded: Loaded) -> Vec<(Loaded, bool)> {
    if loaded.format != Format::K8s || loaded.problem.is_some() {
        return vec![(loaded, false)];
    }
    let groups = group_by_template(&loaded.source.text);
    if groups.iter().all(|(template, _)| template.is_none()) {
        return vec![(loaded, false)];
    }
    let Loaded { source, format, .. } = loaded;
    let SourceFile { name, path, .. } = source;
    let mut parts: Vec<(Loaded, bool)> = groups
        .into_iter()
        .map(|(template, text)| {
            let rendered = template.is_some();
            let source = match template {
                Some(template) => SourceFile::new(template, None, text),
                None => SourceFile::new(name.clone(), path.clone(), text),
            };
            let loaded = Loaded {
                source,
                format,
                problem: None,
            };
            (loaded, rendered)
        })
        .collect();
    parts.shrink_to_fit();
    parts
}

/// The documents of a YAML stream grouped by the template of their `# Source:` comment (`None`:
/// no comment), in the order each template first appears. A group's text is its documents,
/// without their `# Source:` line, joined by `---` lines. Documents that are blank are left out.
fn group_by_template(text: &str) -> Vec<(Option<String>, String)> {
    let mut groups: Vec<(Option<String>, String)> = Vec::new();
    let mut index: HashMap<Option<&str>, usize> = HashMap::new();
    for (template, body) in documents(text) {
        if body.trim().is_empty() {
            continue;
        }
        match index.get(&template).and_then(|&i| groups.get_mut(i)) {
            Some((_, joined)) => {
                if !joined.ends_with('\n') {
                    joined.push('\n');
                }
                joined.push_str("---\n");
                joined.push_str(body);
            }
            None => {
                index.insert(template, groups.len());
                groups.push((template.map(str::to_string), body.to_string()));
            }
        }
    }
    groups
}

/// The documents of a YAML stream, each with the template its first line names (`# Source:
/// PATH`, as `helm template` writes it) and its text after that line. A document marker that
/// carries content (`--- |`) stays in its document's text.
fn documents(text: &str) -> Vec<(Option<&str>, &str)> {
    let mut docs = Vec::new();
    let mut template: Option<&str> = None;
    let mut start = 0;
    // Where the current document's text starts is decided on its first line only.
    let mut first = true;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(rest) = marker(content) {
            docs.push((template.take(), text.get(start..here).unwrap_or("")));
            first = rest.trim().is_empty();
            start = if first { offset } else { here };
            continue;
        }
        if first {
            first = false;
            if let Some(path) = content.strip_prefix("# Source: ") {
                template = Some(path.trim()).filter(|p| !p.is_empty());
                start = offset;
            }
        }
    }
    docs.push((template, text.get(start..).unwrap_or("")));
    docs
}

/// What follows a document marker (`---` starts a document, `...` ends one) at the start of a
/// line, or `None` when the line is not one.
fn marker(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("---")
        .or_else(|| line.strip_prefix("..."))?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_take_their_template_from_the_source_comment() {
        let text = "---\n# Source: web/templates/a.yaml\nkind: A\n---\n# Source: web/templates/b.yaml\nkind: B\n---\nkind: C\n";
        let docs = documents(text);
        assert_eq!(
            docs,
            [
                (None, ""),
                (Some("web/templates/a.yaml"), "kind: A\n"),
                (Some("web/templates/b.yaml"), "kind: B\n"),
                (None, "kind: C\n"),
            ]
        );
    }

    #[test]
    fn documents_of_one_template_are_joined() {
        let text = "# Source: t/x.yaml\nkind: A\n---\n# Source: t/y.yaml\nkind: B\n---\n# Source: t/x.yaml\nkind: C";
        let groups = group_by_template(text);
        assert_eq!(
            groups,
            [
                (
                    Some("t/x.yaml".to_string()),
                    "kind: A\n---\nkind: C".to_string()
                ),
                (Some("t/y.yaml".to_string()), "kind: B\n".to_string()),
            ]
        );
    }

    #[test]
    fn a_marker_with_content_stays_in_its_document() {
        let docs = documents("a: 1\n--- # next\nb: 2\n");
        assert_eq!(docs, [(None, "a: 1\n"), (None, "--- # next\nb: 2\n")]);
    }

    #[test]
    fn dockerfiles_are_told_by_their_first_instruction() {
        assert!(is_dockerfile(
            "# syntax=docker/dockerfile:1\n\nFROM alpine:3.21\n"
        ));
        assert!(is_dockerfile("arg BASE=alpine\nFROM $BASE\n"));
        assert!(!is_dockerfile("FROM\n"));
        assert!(!is_dockerfile("RUN make\n"));
        assert!(!is_dockerfile("from: here\n"));
        assert!(!is_dockerfile(""));
    }

    #[test]
    fn dash_must_stand_alone() {
        let dash = PathBuf::from("-");
        assert!(matches!(
            requested(std::slice::from_ref(&dash), None),
            Ok(true)
        ));
        assert!(matches!(requested(&[PathBuf::from(".")], None), Ok(false)));
        assert!(requested(&[dash, PathBuf::from(".")], None).is_err());
        assert!(requested(&[PathBuf::from(".")], Some("Dockerfile")).is_err());
    }
}
