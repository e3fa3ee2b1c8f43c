//! `--render`: the Helm charts and Kustomize roots met in a walk are rendered by their own
//! tools and the output is linted as `infralint -` lints a piped rendering. This runs after
//! the files of the walk are linted, and adds to that report: the rendered streams as files,
//! the refusals as findings of `infralint/render-refused`, and what could not be rendered as
//! errors.
//!
//! Nothing runs before the directory is read: [`refuse`] turns away what would fetch from the
//! network or execute a plugin. The tools run with the hygiene of [`tool`].

pub mod refuse;
pub mod tool;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Settings;
use crate::discover::{self, render::Kind, render::Root};
use crate::error::Error;
use crate::finding::{FileResult, Finding, Report, Severity};
use crate::format::Format;
use crate::rules::infralint::RENDER_REFUSED;
use crate::source::SourceFile;

/// The settings kubectl and kustomize render with: no Helm, no plugins, and no file loaded
/// from outside the kustomization's directory (kustomize's default, written out so that a
/// changed default cannot loosen it).
const KUSTOMIZE_FLAGS: [&str; 3] = [
    "--enable-helm=false",
    "--enable-alpha-plugins=false",
    "--load-restrictor=LoadRestrictionsRootOnly",
];

/// Helm's directories and the XDG ones they default to, each pointed into the temporary
/// `HOME`: no repository, registry login, plugin or cache of the user is read.
const HELM_DIRS: [&str; 6] = [
    "HELM_CACHE_HOME",
    "HELM_CONFIG_HOME",
    "HELM_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
];

/// Render the charts and Kustomize roots under `paths` and add what that gives to `report`,
/// which is the report of [`crate::lint_paths`] on the same paths. The notice of what was not
/// rendered then names only the roots that were refused or failed.
pub fn render_paths(paths: &[PathBuf], settings: &Settings, report: &mut Report) {
    let walked = discover::walk_all(paths);
    let roots = discover::render::roots(&walked.render_markers);
    if roots.is_empty() {
        return;
    }
    let limit = tool::timeout();
    let outcomes: Vec<Outcome> = roots
        .par_iter()
        .map(|root| render_root(root, settings, limit))
        .collect();
    let mut not_rendered = Vec::new();
    let mut refused: BTreeMap<PathBuf, refuse::RefusedFile> = BTreeMap::new();
    for (root, outcome) in roots.iter().zip(outcomes) {
        match outcome {
            Outcome::Rendered(files) => report.files.extend(files),
            Outcome::Refused(files) => {
                not_rendered.push(root.clone());
                for file in files {
                    match refused.get_mut(&file.path) {
                        // A base shared by two roots is refused once.
                        Some(known) => {
                            for refusal in file.refusals {
                                if !known.refusals.contains(&refusal) {
                                    known.refusals.push(refusal);
                                }
                            }
                        }
                        None => {
                            refused.insert(file.path.clone(), file);
                        }
                    }
                }
            }
            Outcome::Failed(err) => {
                not_rendered.push(root.clone());
                report.errors.push(err);
            }
            Outcome::Excluded => not_rendered.push(root.clone()),
        }
    }
    for file in refused.into_values() {
        add_refusals(report, file, settings);
    }
    report
        .files
        .sort_by(|a, b| a.source.name.cmp(&b.source.name));
    let before = discover::render::unrendered_notice(&roots);
    let after = discover::render::unrendered_notice(&not_rendered);
    match report
        .notices
        .iter()
        .position(|n| Some(n) == before.as_ref())
    {
        Some(index) => match after {
            Some(notice) => {
                if let Some(slot) = report.notices.get_mut(index) {
                    *slot = notice;
                }
            }
            None => {
                report.notices.remove(index);
            }
        },
        None => report.notices.extend(after),
    }
}

/// What rendering one root gave.
enum Outcome {
    /// The files of its rendering, linted.
    Rendered(Vec<FileResult>),
    /// The files whose entries stopped it.
    Refused(Vec<refuse::RefusedFile>),
    /// The tool was missing, failed or timed out, or the chart cannot be rendered offline.
    Failed(Error),
    /// The configuration excludes it.
    Excluded,
}

fn render_root(root: &Root, settings: &Settings, limit: std::time::Duration) -> Outcome {
    if settings.is_excluded(&root.dir) {
        return Outcome::Excluded;
    }
    let shown = discover::render::display(&root.dir);
    let failed = |message: String| {
        Outcome::Failed(Error::Render {
            path: shown.clone(),
            message,
        })
    };
    let rendering = match root.kind {
        Kind::KustomizeOverlay => {
            let refused = refuse::kustomization_tree(&root.dir);
            if !refused.is_empty() {
                return Outcome::Refused(refused);
            }
            kustomize(&root.dir, limit).map(|bytes| (bytes, format!("{shown} (kustomize)")))
        }
        Kind::HelmChart => {
            let check = refuse::chart(&root.dir);
            if !check.unvendored.is_empty() {
                let names: Vec<String> =
                    check.unvendored.iter().map(|n| format!("`{n}`")).collect();
                return failed(format!(
                    "the chart's dependencies {} are not vendored under charts/: run `helm \
                     dependency build {shown}` first",
                    names.join(", ")
                ));
            }
            if !check.refused.is_empty() {
                return Outcome::Refused(check.refused);
            }
            helm(&root.dir, &shown, limit).map(|bytes| (bytes, format!("{shown} (helm)")))
        }
    };
    let (bytes, name) = match rendering {
        Ok(rendered) => rendered,
        Err(message) => return failed(message),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Outcome::Rendered(Vec::new());
    }
    match crate::stdin::lint_rendering(bytes.as_slice(), &name, settings) {
        Ok(report) => Outcome::Rendered(report.files),
        Err(message) => failed(message),
    }
}

/// Render a Kustomize root with `kubectl kustomize`, or `kustomize build` where kubectl is
/// missing.
fn kustomize(dir: &Path, limit: std::time::Duration) -> Result<Vec<u8>, String> {
    let (program, subcommand) = match tool::find("kubectl") {
        Some(kubectl) => (kubectl, "kustomize"),
        None => match tool::find("kustomize") {
            Some(kustomize) => (kustomize, "build"),
            None => {
                return Err(
                    "cannot render the Kustomize directory: neither `kubectl` nor \
                            `kustomize` is on PATH"
                        .to_string(),
                );
            }
        },
    };
    let mut args: Vec<OsString> = vec![subcommand.into()];
    args.extend(KUSTOMIZE_FLAGS.iter().map(OsString::from));
    args.push(crate::paths::absolute(dir).into_os_string());
    let scratch = Scratch::new()?;
    tool::run(
        &tool::Invocation {
            program: &program,
            args,
            scratch_dirs: &["XDG_CONFIG_HOME", "XDG_CACHE_HOME"],
        },
        scratch.path(),
        limit,
    )
}

/// Render a chart with `helm template`, its `# Source:` comments naming the templates by their
/// paths as the report shows them.
fn helm(dir: &Path, shown: &str, limit: std::time::Duration) -> Result<Vec<u8>, String> {
    let Some(program) = tool::find("helm") else {
        return Err("cannot render the Helm chart: `helm` is not on PATH".to_string());
    };
    let name = refuse::chart_yaml(dir)
        .and_then(|(_, text)| {
            let stream = crate::formats::yaml::parse(&text);
            let root = stream.documents.into_iter().next()?.root?;
            root.get("name")
                .and_then(crate::formats::yaml::Node::as_str)
                .map(str::to_string)
        })
        .unwrap_or_default();
    let args: Vec<OsString> = vec![
        "template".into(),
        release_name(&name).into(),
        crate::paths::absolute(dir).into_os_string(),
    ];
    let scratch = Scratch::new()?;
    let bytes = tool::run(
        &tool::Invocation {
            program: &program,
            args,
            scratch_dirs: &HELM_DIRS,
        },
        scratch.path(),
        limit,
    )?;
    Ok(retarget_sources(&bytes, &name, shown))
}

/// The release to render a chart as: the chart's name, which most charts' name helpers then
/// use alone, when it is a valid release name.
fn release_name(chart: &str) -> String {
    let valid = !chart.is_empty()
        && chart.len() <= 53
        && chart
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !chart.starts_with('-')
        && !chart.ends_with('-');
    if valid {
        chart.to_string()
    } else {
        "release".to_string()
    }
}

/// Helm names a template `CHART/templates/x.yaml` after the chart's name; the report names it
/// by the chart's directory, as the walk shows it, so that it can be opened.
fn retarget_sources(bytes: &[u8], chart: &str, shown: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    if chart.is_empty() {
        return bytes.to_vec();
    }
    let from = format!("# Source: {chart}/");
    let to = if shown == "." {
        "# Source: ".to_string()
    } else {
        format!("# Source: {shown}/")
    };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.strip_prefix(&from) {
            Some(rest) => {
                out.push_str(&to);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out.into_bytes()
}

/// Add the refusals of a file to the report, as findings of `infralint/render-refused` when
/// the file's selection enables it.
fn add_refusals(report: &mut Report, file: refuse::RefusedFile, settings: &Settings) {
    let selection = settings.selection_for(Some(&file.path));
    if !selection.enables(&RENDER_REFUSED) {
        return;
    }
    let mut findings: Vec<Finding> = file
        .refusals
        .into_iter()
        .map(|refusal| Finding {
            rule: RENDER_REFUSED.id,
            severity: RENDER_REFUSED.severity,
            span: refusal.span,
            message: refusal.message,
            help: Some(refusal.help.to_string()),
            mask: None,
        })
        .collect();
    settings.override_severities(&mut findings);
    findings.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.rule.cmp(b.rule)));
    let name = discover::render::display(&file.path);
    // A file the walk linted too (a plugin configuration reads as a manifest) keeps one
    // entry; the walk dropped the text of a file without findings, which the refusals need.
    if let Some(known) = report.files.iter_mut().find(|f| f.source.name == name) {
        if known.source.text.is_empty() {
            known.source = SourceFile::new(name, Some(file.path), file.text);
        }
        known.findings.extend(findings);
        known
            .findings
            .sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.rule.cmp(b.rule)));
        if !known.rules.contains(&RENDER_REFUSED.id) {
            let mut rules: Vec<&'static str> = known.rules.to_vec();
            rules.push(RENDER_REFUSED.id);
            rules.sort_unstable();
            known.rules = Arc::from(rules);
        }
        return;
    }
    report.files.push(FileResult {
        source: SourceFile::new(name, Some(file.path), file.text),
        format: Format::K8s,
        findings,
        masks: Vec::new(),
        rules: Arc::from([RENDER_REFUSED.id]),
    });
}

/// The findings of `infralint/render-refused` on one kustomization or values schema, for the
/// rule's examples: what [`render_paths`] would report on that file, without looking on disk.
pub fn refusal_findings(source: &SourceFile) -> Vec<Finding> {
    let mut refusals = if source.name.ends_with(".json") {
        refuse::schema_refusals(&source.text)
    } else {
        refuse::kustomization_refusals(&source.text)
    };
    refusals.sort_by_key(|r| r.span.start);
    refusals
        .into_iter()
        .map(|refusal| Finding {
            rule: RENDER_REFUSED.id,
            severity: Severity::Warning,
            span: refusal.span,
            message: refusal.message,
            help: Some(refusal.help.to_string()),
            mask: None,
        })
        .collect()
}

/// A private temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir();
        let mut last = None;
        for _ in 0..16 {
            let n = COUNT.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let dir = base.join(format!(
                "infralint-render-{}-{n}-{nanos}",
                std::process::id()
            ));
            let mut builder = std::fs::DirBuilder::new();
            // Readable by its owner only: the tools' HOME and output.
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            match builder.create(&dir) {
                Ok(()) => return Ok(Scratch(dir)),
                Err(e) => last = Some(e),
            }
        }
        Err(format!(
            "cannot create a temporary directory in {}: {}",
            base.display(),
            last.map_or_else(String::new, |e| e.to_string())
        ))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_named_by_the_chart_directory() {
        let out = retarget_sources(
            b"---\n# Source: web/templates/a.yaml\nkind: A\n---\n# Source: web/charts/cache/templates/s.yaml\n# Source: other/x\n",
            "web",
            "deploy/charts/web",
        );
        assert_eq!(
            String::from_utf8_lossy(&out),
            "---\n# Source: deploy/charts/web/templates/a.yaml\nkind: A\n---\n# Source: deploy/charts/web/charts/cache/templates/s.yaml\n# Source: other/x\n"
        );
    }

    #[test]
    fn release_names() {
        assert_eq!(release_name("web"), "web");
        assert_eq!(release_name("Web_App"), "release");
        assert_eq!(release_name(""), "release");
    }
}
