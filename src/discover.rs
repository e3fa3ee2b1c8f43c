//! Finding the files to lint: a gitignore-aware walk with built-in excludes, and the
//! classification of each file into a format, by name first and by content for YAML.

use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::format::Format;
use crate::paths::{display_path, normalize};

pub mod context;
pub mod render;

/// Directories never entered, wherever they are: VCS data, dependencies, build output and
/// Terraform's provider cache.
pub const EXCLUDED_DIRS: [&str; 4] = [".git", "node_modules", "target", ".terraform"];

/// What a file's name says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameClass {
    /// The name alone decides the format.
    Format(Format),
    /// A YAML file: Kubernetes, Kestra or nothing, depending on its top-level keys.
    Yaml,
}

/// A file found by the walk that may be infrastructure.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Path on disk, as the walk produced it.
    pub path: PathBuf,
    /// Path shown in reports: relative to the current directory when possible, `/` separators.
    pub display: String,
    pub class: NameClass,
    /// Found in the context of the targets, not among them: read for the facts the targets
    /// need, never reported on.
    pub context: bool,
}

#[cfg(test)]
impl Candidate {
    /// A target at `path`, shown as the path itself: for tests that skip the walk.
    pub(crate) fn at(path: PathBuf, class: NameClass) -> Candidate {
        Candidate {
            display: crate::paths::display_path(&path),
            path,
            class,
            context: false,
        }
    }
}

/// Walk `paths` and keep the files whose name makes them candidates. Missing paths and walk
/// problems (an unreadable directory, a bad ignore file) come back as errors; the walk goes on.
pub fn walk(paths: &[PathBuf]) -> (Vec<Candidate>, Vec<Error>) {
    let walked = walk_all(paths);
    (walked.candidates, walked.errors)
}

/// What a walk found.
pub struct Walked {
    pub candidates: Vec<Candidate>,
    pub errors: Vec<Error>,
    /// The `Chart.yaml` and `kustomization.yaml` files met: see [`render::roots`].
    pub render_markers: Vec<PathBuf>,
}

/// Walk `paths` as [`walk`] does, also keeping the files that mark Helm charts and Kustomize
/// directories.
pub fn walk_all(paths: &[PathBuf]) -> Walked {
    let mut errors = Vec::new();
    let mut render_markers = Vec::new();
    let mut roots = Vec::new();
    for path in paths {
        if path.symlink_metadata().is_err() {
            errors.push(Error::MissingPath { path: path.clone() });
        } else {
            roots.push(path);
        }
    }
    let Some((first, rest)) = roots.split_first() else {
        return Walked {
            candidates: Vec::new(),
            errors,
            render_markers,
        };
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .filter_entry(|entry| entry.depth() == 0 || !is_pruned_dir(entry));

    let cwd = CurrentDir::get();
    let mut candidates = Vec::new();
    for result in builder.build() {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                errors.push(walk_error(err));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        // Roots given as files bypass `filter_entry`, so their directories are checked here.
        if entry.depth() == 0 && (has_excluded_dir(path) || in_helm_templates(path)) {
            continue;
        }
        if render::marks_root(path) {
            render_markers.push(path.to_path_buf());
        }
        let Some(class) = classify_name(path) else {
            continue;
        };
        candidates.push(Candidate {
            display: cwd.display(path),
            path: path.to_path_buf(),
            class,
            context: false,
        });
    }
    candidates.sort_by(|a, b| a.display.cmp(&b.display));
    candidates.dedup_by(|a, b| a.display == b.display);
    let mut includes = GitlabIncludes::default();
    for candidate in &mut candidates {
        if candidate.class == NameClass::Yaml
            && !is_compose_path(&candidate.path)
            && includes.includes(&candidate.path)
        {
            candidate.class = NameClass::Format(Format::Ci);
        }
    }
    render_markers.sort();
    render_markers.dedup();
    Walked {
        candidates,
        errors,
        render_markers,
    }
}

/// The files named in `paths` (not found through a directory) that were not linted, each with
/// its display path and why it was left alone. `excluded` tells the files the configuration
/// excludes, `linted` the display paths that were linted; files that could not be read are
/// left out (their error says why).
pub fn skipped_files(
    paths: &[PathBuf],
    excluded: impl Fn(&Path) -> bool,
    linted: impl Fn(&str) -> bool,
) -> Vec<(String, &'static str)> {
    let cwd = CurrentDir::get();
    let mut skipped = Vec::new();
    for path in paths {
        if !path.metadata().is_ok_and(|m| m.is_file()) {
            continue;
        }
        let display = cwd.display(path);
        if linted(&display) || skipped.iter().any(|(name, _)| *name == display) {
            continue;
        }
        let reason = if excluded(path) {
            Some("the configuration's `exclude` leaves it out")
        } else {
            skip_reason(path)
        };
        if let Some(reason) = reason {
            skipped.push((display, reason));
        }
    }
    skipped
}

/// Why a file is not linted, or `None` when it is (or cannot be read).
fn skip_reason(path: &Path) -> Option<&'static str> {
    if has_excluded_dir(path) {
        return Some(
            "it is inside a directory that is never linted (.git, node_modules, target, .terraform)",
        );
    }
    if in_helm_templates(path) {
        return Some("it is a Helm chart template, which is not YAML until it is rendered");
    }
    let Some(class) = classify_name(path) else {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "kustomization.yaml" | "kustomization.yml") {
            return Some("a Kustomize configuration is not linted");
        }
        return Some("its name is not that of an infrastructure file");
    };
    if class != NameClass::Yaml || GitlabIncludes::default().includes(path) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    if classify_yaml_file(path, &text).is_some() {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if (text.contains("{{") || text.contains("{%")) && is_go_template(text) {
        return Some("it is a Go template (Helm), which is not YAML until it is rendered");
    }
    Some("its content is not a Kubernetes manifest, Kestra flow, compose file or CI pipeline")
}

fn walk_error(err: ignore::Error) -> Error {
    let path = walk_error_path(&err);
    Error::Walk {
        path: path.unwrap_or_default(),
        message: walk_error_message(&err),
    }
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithLineNumber { err, .. } | ignore::Error::WithDepth { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

fn walk_error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            walk_error_message(err)
        }
        other => other.to_string(),
    }
}

fn is_pruned_dir(entry: &ignore::DirEntry) -> bool {
    if !entry.file_type().is_some_and(|t| t.is_dir()) {
        return false;
    }
    let name = entry.file_name();
    if EXCLUDED_DIRS.iter().any(|d| name == *d) {
        return true;
    }
    name == "templates" && is_helm_chart(entry.path().parent())
}

fn is_helm_chart(dir: Option<&Path>) -> bool {
    dir.is_some_and(|d| d.join("Chart.yaml").is_file() || d.join("Chart.yml").is_file())
}

fn has_excluded_dir(path: &Path) -> bool {
    let Some(parent) = path.parent() else {
        return false;
    };
    parent.components().any(|c| match c {
        Component::Normal(name) => EXCLUDED_DIRS.iter().any(|d| name == *d),
        _ => false,
    })
}

/// Whether a file sits somewhere under a Helm chart's `templates/` directory.
fn in_helm_templates(path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .any(|dir| dir.file_name().is_some_and(|n| n == "templates") && is_helm_chart(dir.parent()))
}

/// The format of a file from its path and content, as discovery decides it (`None`: not an
/// infrastructure file).
pub fn classify(path: &Path, text: &str) -> Option<Format> {
    match classify_name(path)? {
        NameClass::Format(format) => Some(format),
        NameClass::Yaml if GitlabIncludes::default().includes(path) => Some(Format::Ci),
        NameClass::Yaml => classify_yaml_file(path, text),
    }
}

/// Classify a file by its name alone. `None` means the file is not infrastructure (or is one
/// infralint deliberately leaves alone, like `kustomization.yaml` or `.dockerignore`).
pub fn classify_name(path: &Path) -> Option<NameClass> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();

    if is_dockerfile(name, &lower) {
        return Some(NameClass::Format(Format::Docker));
    }
    // A compose name is decided by content too: a Kestra flow may be named like a compose file.
    if is_compose(&lower) {
        return Some(NameClass::Yaml);
    }
    if is_dotenv(&lower) {
        return Some(NameClass::Format(Format::Compose));
    }
    if is_systemd(path, &lower) {
        return Some(NameClass::Format(Format::Systemd));
    }
    if is_terraform(&lower) {
        return Some(NameClass::Format(Format::Terraform));
    }
    if is_ci_by_name(path, &lower) {
        return Some(NameClass::Format(Format::Ci));
    }
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json");
    let not_manifest = matches!(lower.as_str(), "kustomization.yaml" | "kustomization.yml");
    (yaml && !not_manifest).then_some(NameClass::Yaml)
}

/// `.gitlab-ci.yml`, and GitHub workflows: YAML files directly in `.github/workflows/`.
fn is_ci_by_name(path: &Path, lower: &str) -> bool {
    if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" {
        return true;
    }
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    let parent = path.parent();
    let in_workflows = parent
        .and_then(Path::file_name)
        .is_some_and(|n| n == "workflows");
    let in_github = parent
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .is_some_and(|n| n == ".github");
    yaml && in_workflows && in_github
}

/// Classify a YAML file by its content, knowing its name: a composite action
/// (`action.y(a)ml` whose `runs.using` is `composite`) is CI, a file named like a compose file
/// is compose unless it holds a Kestra flow, the rest goes through [`classify_yaml`].
pub fn classify_yaml_file(path: &Path, text: &str) -> Option<Format> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(name.as_deref(), Some("action.yml" | "action.yaml")) && is_composite_action(text) {
        return Some(Format::Ci);
    }
    if name.as_deref().is_some_and(is_compose) {
        let kestra = text.contains("tasks") && classify_yaml(text) == Some(Format::Kestra);
        return Some(if kestra {
            Format::Kestra
        } else {
            Format::Compose
        });
    }
    classify_yaml(text)
}

/// Whether an action metadata file describes a composite action.
fn is_composite_action(text: &str) -> bool {
    if !text.contains("composite") {
        return false;
    }
    let stream = crate::formats::yaml::parse(text);
    stream
        .documents
        .first()
        .and_then(|d| d.root.as_ref())
        .and_then(|r| r.path(&["runs", "using"]))
        .and_then(|u| u.as_str())
        .is_some_and(|u| u.trim().eq_ignore_ascii_case("composite"))
}

/// The names a Dockerfile goes by, as hadolint's file type (pre-commit's `dockerfile` tag)
/// recognises them: `Dockerfile` or `Containerfile` as one of the name's dot-separated parts
/// (`Dockerfile`, `Dockerfile.dev`, `api.Dockerfile`, `api.Dockerfile.dev`), an extension
/// `.dockerfile` in any case, and the base name followed by `-` or `_` and a variant
/// (`Dockerfile-alpine`, `Dockerfile_alpine`) unless the extension names another kind of file
/// (`Dockerfile-linux.template`, `Dockerfile_notes.md`).
fn is_dockerfile(name: &str, lower: &str) -> bool {
    const BASES: [&str; 2] = ["Dockerfile", "Containerfile"];
    if lower.ends_with(".dockerignore") {
        return false;
    }
    if name.split('.').any(|part| BASES.contains(&part)) || lower.ends_with(".dockerfile") {
        return true;
    }
    BASES.iter().any(|base| {
        name.strip_prefix(base).is_some_and(|rest| {
            rest.len() > 1 && rest.starts_with(['-', '_']) && !has_other_extension(rest)
        })
    })
}

/// Extensions of files that sit beside Dockerfiles and share their name without being one:
/// templates rendered into a Dockerfile, notes, scripts and data.
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    "template", "tmpl", "tpl", "j2", "jinja", "jinja2", "erb", "in", "md", "txt", "rst", "sh",
    "ps1", "py", "json", "yml", "yaml", "toml", "bak", "orig", "swp", "lock", "log",
];

fn has_other_extension(rest: &str) -> bool {
    rest.rsplit_once('.').is_some_and(|(_, ext)| {
        NOT_DOCKERFILE_EXTENSIONS
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    })
}

fn is_compose_path(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| is_compose(&n.to_ascii_lowercase()))
}

fn is_compose(lower: &str) -> bool {
    let Some(stem) = lower
        .strip_suffix(".yaml")
        .or_else(|| lower.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "compose" || stem.starts_with("compose.") || stem.starts_with("docker-compose")
}

fn is_dotenv(lower: &str) -> bool {
    const TEMPLATES: [&str; 4] = [".example", ".sample", ".template", ".dist"];
    let dotenv = lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env");
    dotenv && !TEMPLATES.iter().any(|t| lower.ends_with(t))
}

const UNIT_SUFFIXES: [&str; 9] = [
    ".service",
    ".socket",
    ".timer",
    ".mount",
    ".path",
    ".target",
    ".slice",
    ".automount",
    ".swap",
];

fn is_unit_name(lower: &str) -> bool {
    UNIT_SUFFIXES
        .iter()
        .any(|s| lower.len() > s.len() && lower.ends_with(s))
}

fn is_systemd(path: &Path, lower: &str) -> bool {
    if is_unit_name(lower) {
        return true;
    }
    if !lower.ends_with(".conf") {
        return false;
    }
    // Drop-ins: `foo.service.d/override.conf`, or `service.d/*.conf` for every unit of a type.
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .map(str::to_ascii_lowercase);
    let Some(dir) = parent.as_deref().and_then(|p| p.strip_suffix(".d")) else {
        return false;
    };
    is_unit_name(dir) || UNIT_SUFFIXES.iter().any(|s| s.get(1..) == Some(dir))
}

fn is_terraform(lower: &str) -> bool {
    [
        ".tf",
        ".tf.json",
        ".tfvars",
        ".tfvars.json",
        ".tfstate",
        ".tfstate.backup",
    ]
    .iter()
    .any(|s| lower.ends_with(s))
}

/// Classify a YAML (or JSON) file by its top-level keys: Kubernetes when a document has
/// `apiVersion` and `kind`, Kestra when one has `id`, `namespace` and `tasks`, compose when it
/// has a `services` mapping whose services set `image` or `build`. A line scan, no YAML parser:
/// keys at column 0 are the top-level keys of block-style documents, which is what these files
/// use; JSON goes through the parser. Go templates (`{{` outside comments) are not YAML yet and
/// are left alone.
pub fn classify_yaml(text: &str) -> Option<Format> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with(['{', '[']) {
        return classify_json(text);
    }
    // Go templates (Helm) are not YAML until rendered; Kestra's Pebble `{{ }}` are expressions
    // inside YAML strings, so only the other formats are held back.
    // YAML ends a line at `\n`, `\r\n` or a lone `\r`.
    let lines = || text.split(['\n', '\r']);
    let templated = (text.contains("{{") || text.contains("{%")) && is_go_template(text);
    let mut kestra = false;
    let mut compose = false;
    let mut doc = DocKeys::default();
    for line in lines() {
        if line.starts_with("---") || line.starts_with("...") {
            if doc.is_k8s() && !templated {
                return Some(Format::K8s);
            }
            kestra |= doc.is_kestra();
            compose |= doc.is_compose();
            doc = DocKeys::default();
            continue;
        }
        doc.see_line(line);
    }
    if doc.is_k8s() && !templated {
        return Some(Format::K8s);
    }
    if kestra || doc.is_kestra() {
        return Some(Format::Kestra);
    }
    (!templated && (compose || doc.is_compose())).then_some(Format::Compose)
}

/// Whether a text is a Go template (a Helm chart's) rather than YAML: a `{{` or `{%` stands where
/// YAML expects a node (`name: {{ .Values.name }}`, a `{{- if }}` line), or an action reads one
/// of Helm's built-in objects or helpers, wherever it stands (`"{{ .Values.image }}"`). Template
/// text inside a string value is the value's own business: Prometheus alert annotations
/// (`summary: "{{ $labels.instance }} is down"`), block strings and comments are YAML.
fn is_go_template(text: &str) -> bool {
    helm_action(text) || has_template_node(text)
}

/// Helm's built-in objects and its own template functions.
const HELM_WORDS: &[&str] = &[
    ".Values",
    ".Release",
    ".Chart",
    ".Capabilities",
    ".Files",
    ".Template",
    "include ",
    "tpl ",
    "toYaml",
    "required ",
];

/// Whether a `{{ }}` action names one of [`HELM_WORDS`].
fn helm_action(text: &str) -> bool {
    text.match_indices("{{").any(|(start, _)| {
        let rest = text.get(start + 2..).unwrap_or("");
        let action = rest
            .find("}}")
            .map_or(rest, |end| rest.get(..end).unwrap_or(rest));
        HELM_WORDS.iter().any(|word| {
            action.match_indices(word).any(|(at, _)| {
                // `.Values` but not `.ValuesFrom`: a name ends where the word does.
                let next = action.get(at + word.len()..).and_then(|r| r.chars().next());
                word.ends_with(' ') || !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
    })
}

/// Whether a `{{` or `{%` starts a node of the YAML structure: at the start of a line, after a
/// `key:` or a `- `, or in a flow collection, outside quoted strings, plain scalars, block
/// scalars and comments.
fn has_template_node(text: &str) -> bool {
    // Indentation of the key or dash that opened a block scalar: more indented lines are its text.
    let mut block: Option<usize> = None;
    // A quoted string that goes on over lines.
    let mut quote: Option<char> = None;
    for line in text.split(['\n', '\r']) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block = None;
        }
        match scan_line(line, &mut quote) {
            LineScan::Template => return true,
            LineScan::Block(at) => block = Some(at),
            LineScan::Yaml => {}
        }
    }
    false
}

enum LineScan {
    /// A template action stands where a node should.
    Template,
    /// The line opens a block scalar; its key or dash is at this column.
    Block(usize),
    Yaml,
}

/// Scan one line for template actions in node positions. `quote` carries a quoted string
/// that is still open at the end of the line over to the next.
fn scan_line(line: &str, quote: &mut Option<char>) -> LineScan {
    let bytes = line.as_bytes();
    let mut i = 0;
    // Where a node may start: the line's start, after `- `, `: `, `? `, `[`, `{` and `,`.
    let mut node_start = quote.is_none();
    let mut in_plain = false;
    let mut flow = 0usize;
    // Column of the key or dash that owns the next node, for block scalars.
    let mut owner = line.len() - line.trim_start().len();
    while let Some(&b) = bytes.get(i) {
        if let Some(q) = *quote {
            if b == b'\\' && q == '"' {
                i += 2;
                continue;
            }
            if b == q as u8 {
                if q == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                *quote = None;
            }
            i += 1;
            continue;
        }
        let prev_space = i == 0 || bytes.get(i - 1).is_some_and(|p| p.is_ascii_whitespace());
        match b {
            b' ' | b'\t' => {}
            b'#' if prev_space => return LineScan::Yaml,
            b'{' if node_start && matches!(bytes.get(i + 1), Some(b'{' | b'%')) => {
                return LineScan::Template;
            }
            b'"' | b'\'' if node_start => {
                *quote = Some(b as char);
                node_start = false;
            }
            b'[' | b'{' if node_start || (flow > 0 && !in_plain) => {
                flow += 1;
                node_start = true;
            }
            b']' | b'}' if flow > 0 => {
                flow -= 1;
                in_plain = false;
            }
            b',' if flow > 0 => {
                in_plain = false;
                node_start = true;
            }
            b'-' | b'?' if node_start && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => {
                owner = i;
            }
            b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t'))
                || (flow > 0 && !in_plain) =>
            {
                in_plain = false;
                node_start = true;
            }
            b'|' | b'>' if node_start && flow == 0 => {
                let rest = line.get(i + 1..).unwrap_or("");
                let indicators =
                    rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
                let tail = indicators.trim_start();
                if tail.is_empty() || tail.starts_with('#') {
                    return LineScan::Block(owner);
                }
                in_plain = true;
                node_start = false;
            }
            _ => {
                if node_start {
                    // A key's column owns the node after its `:`.
                    owner = i;
                }
                in_plain = true;
                node_start = false;
            }
        }
        i += 1;
    }
    LineScan::Yaml
}

/// JSON manifests: a Kubernetes object (or a `List` of them) at the top.
fn classify_json(text: &str) -> Option<Format> {
    if !(text.contains("\"apiVersion\"") && text.contains("\"kind\"")) {
        return None;
    }
    let stream = crate::formats::yaml::parse(text);
    let root = stream.documents.first()?.root.as_ref()?;
    (root.get("apiVersion").is_some() && root.get("kind").is_some()).then_some(Format::K8s)
}

#[derive(Default)]
struct DocKeys {
    api_version: bool,
    kind: bool,
    id: bool,
    namespace: bool,
    tasks: bool,
    services: Services,
    /// `apiVersion` names a tool's own configuration, not a cluster object.
    tool_config: bool,
}

impl Services {
    /// `next`, unless a compose file was already recognised.
    fn max_found(self, next: Services) -> Services {
        if self == Services::Found { self } else { next }
    }
}

/// Where a line scan is with respect to a top-level `services:` key.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Services {
    #[default]
    Outside,
    /// Just after `services:`.
    Start,
    /// Inside a `services:` mapping.
    Mapping,
    /// A service sets `image` or `build`: this is a compose file.
    Found,
}

impl DocKeys {
    fn see_line(&mut self, line: &str) {
        if let Some(key) = top_level_key(line) {
            self.see(key);
            if key == "apiVersion" && is_tool_config(line) {
                self.tool_config = true;
            }
            if key == "services" {
                self.services = self.services.max_found(Services::Start);
            } else if self.services != Services::Found {
                self.services = Services::Outside;
            }
            return;
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return;
        }
        self.services = match self.services {
            // GitLab CI's `services:` is a list of images, not a mapping of services.
            Services::Start if trimmed.starts_with('-') => Services::Outside,
            Services::Start => Services::Mapping,
            Services::Mapping if trimmed.starts_with("image:") || trimmed.starts_with("build:") => {
                Services::Found
            }
            other => other,
        };
    }

    fn is_compose(&self) -> bool {
        self.services == Services::Found
    }

    fn see(&mut self, key: &str) {
        match key {
            "apiVersion" => self.api_version = true,
            "kind" => self.kind = true,
            "id" => self.id = true,
            "namespace" => self.namespace = true,
            "tasks" => self.tasks = true,
            _ => {}
        }
    }

    fn is_k8s(&self) -> bool {
        self.api_version && self.kind && !self.tool_config
    }

    fn is_kestra(&self) -> bool {
        self.id && self.namespace && self.tasks
    }
}

/// API groups of tools that borrow the Kubernetes object shape for their own configuration
/// files (Skaffold, kind, Kustomize components, kpt): nothing in them is applied to a cluster.
const TOOL_CONFIG_GROUPS: &[&str] = &[
    "skaffold/",
    "kind.x-k8s.io/",
    "kustomize.config.k8s.io/",
    "kpt.dev/",
    "config.kubernetes.io/",
];

/// Whether an `apiVersion:` line names one of [`TOOL_CONFIG_GROUPS`].
fn is_tool_config(line: &str) -> bool {
    let value = line
        .split_once(':')
        .map_or("", |(_, v)| v)
        .trim()
        .trim_matches(['"', '\'']);
    TOOL_CONFIG_GROUPS.iter().any(|g| value.starts_with(g))
}

/// The key of an unindented `key:` line, quotes removed.
fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '%' | '{' | '[') {
        return None;
    }
    let (key, rest) = if let Some(quote @ ('"' | '\'')) = line.chars().next() {
        let inner = line.get(1..)?;
        let close = inner.find(quote)?;
        (inner.get(..close)?, inner.get(close + 1..)?)
    } else {
        let colon = line.find(':')?;
        (line.get(..colon)?.trim_end(), line.get(colon..)?)
    };
    let after = rest.trim_start().strip_prefix(':')?;
    (after.is_empty() || after.starts_with([' ', '\t', '\r'])).then_some(key)
}

/// How many files of one project are read while following nested GitLab includes.
const MAX_INCLUDED_FILES: usize = 150;

/// The GitLab projects seen so far, for recognising the YAML files a `.gitlab-ci.yml` includes
/// by local path. The configuration that governs a file is the nearest `.gitlab-ci.yml` among
/// its ancestors, looked for up to the repository root (the first directory holding `.git`);
/// its `include:` entries (nested ones of literal paths too) are read once per project.
#[derive(Default)]
pub struct GitlabIncludes {
    /// Directory → index of its project in `projects`, `None` when none governs it.
    dirs: std::collections::HashMap<PathBuf, Option<usize>>,
    projects: Vec<Project>,
}

/// A GitLab project root and the local files its configuration includes.
struct Project {
    root: PathBuf,
    literal: Vec<PathBuf>,
    globs: globset::GlobSet,
}

impl GitlabIncludes {
    /// Whether a `.gitlab-ci.yml` includes the file at `path`.
    pub fn includes(&mut self, path: &Path) -> bool {
        let absolute = normalize(&std::env::current_dir().unwrap_or_default().join(path));
        let Some(dir) = absolute.parent() else {
            return false;
        };
        let Some(project) = self.project_for(dir).and_then(|i| self.projects.get(i)) else {
            return false;
        };
        let Ok(relative) = absolute.strip_prefix(&project.root) else {
            return false;
        };
        project.literal.iter().any(|l| l == relative) || project.globs.is_match(relative)
    }

    fn project_for(&mut self, dir: &Path) -> Option<usize> {
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in dir.ancestors() {
            if let Some(known) = self.dirs.get(ancestor) {
                found = *known;
                break;
            }
            visited.push(ancestor.to_path_buf());
            let config = [".gitlab-ci.yml", ".gitlab-ci.yaml"]
                .iter()
                .map(|n| ancestor.join(n))
                .find(|p| p.is_file());
            if let Some(config) = config {
                self.projects.push(Project::read(ancestor, &config));
                found = Some(self.projects.len() - 1);
                break;
            }
            if ancestor.join(".git").exists() {
                break;
            }
        }
        for dir in visited {
            self.dirs.insert(dir, found);
        }
        found
    }
}

impl Project {
    fn read(root: &Path, config: &Path) -> Project {
        let mut literal: Vec<PathBuf> = Vec::new();
        let mut globs = globset::GlobSetBuilder::new();
        let mut queue = vec![config.to_path_buf()];
        let mut read = 0;
        while let Some(file) = queue.pop() {
            read += 1;
            if read > MAX_INCLUDED_FILES {
                break;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let stream = crate::formats::yaml::parse(&text);
            for root_node in stream.documents.iter().filter_map(|d| d.root.as_ref()) {
                for include in crate::formats::ci::local_includes(root_node) {
                    let pattern = include.value.trim_start_matches('/');
                    if pattern.contains('$') || pattern.is_empty() {
                        continue;
                    }
                    if pattern.contains(['*', '?', '[', '{']) {
                        if let Ok(glob) = globset::GlobBuilder::new(pattern)
                            .literal_separator(true)
                            .build()
                        {
                            globs.add(glob);
                        }
                        continue;
                    }
                    let path = normalize(Path::new(pattern));
                    if !literal.contains(&path) {
                        queue.push(root.join(&path));
                        literal.push(path);
                    }
                }
            }
        }
        Project {
            root: root.to_path_buf(),
            literal,
            globs: globs.build().unwrap_or_else(|_| globset::GlobSet::empty()),
        }
    }
}

/// The current directory, in the two spellings a path under it may use.
struct CurrentDir {
    plain: Option<PathBuf>,
    canonical: Option<PathBuf>,
}

impl CurrentDir {
    fn get() -> CurrentDir {
        let plain = std::env::current_dir().ok();
        let canonical = plain.as_ref().and_then(|p| p.canonicalize().ok());
        CurrentDir { plain, canonical }
    }

    fn display(&self, path: &Path) -> String {
        let relative = if path.is_absolute() {
            [&self.plain, &self.canonical]
                .into_iter()
                .flatten()
                .find_map(|cwd| path.strip_prefix(cwd).ok())
                .unwrap_or(path)
        } else {
            path
        };
        display_path(relative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(path: &str) -> Option<NameClass> {
        classify_name(Path::new(path))
    }

    fn format(path: &str) -> Option<Format> {
        match name(path) {
            Some(NameClass::Format(f)) => Some(f),
            _ => None,
        }
    }

    #[test]
    fn dockerfiles_by_name() {
        for p in [
            "Dockerfile",
            "app/Dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "api.dockerfile",
            "Containerfile",
            "Containerfile.build",
            "Dockerfile-alpine",
            "Dockerfile_alpine",
            "Dockerfile-alpine.dev",
            "Containerfile-ubi",
            "alpine.Dockerfile",
            "api.Dockerfile.prod",
            ".Dockerfile",
            "docker/Dockerfile_3.12-slim",
        ] {
            assert_eq!(format(p), Some(Format::Docker), "{p}");
        }
        for p in [
            ".dockerignore",
            "Dockerfile.dockerignore",
            "Dockerfile-alpine.dockerignore",
            "api.Dockerfile.dockerignore",
            "Dockerfiles",
            "MyDockerfile",
            "Dockerfile-",
            "Dockerfile-linux.template",
            "Dockerfile_notes.md",
            "Dockerfile-build.sh",
            "dockerfile-alpine",
        ] {
            assert_eq!(format(p), None, "{p}");
        }
    }

    #[test]
    fn compose_and_dotenv_by_name() {
        for p in [
            "compose.yaml",
            "compose.yml",
            "compose.override.yaml",
            "docker-compose.yml",
            "docker-compose.prod.yaml",
            "docker-compose-dev.yml",
        ] {
            assert_eq!(name(p), Some(NameClass::Yaml), "{p}");
            let service = "services:\n  web:\n    image: nginx:1.27\n";
            assert_eq!(
                classify_yaml_file(Path::new(p), service),
                Some(Format::Compose),
                "{p}"
            );
            // Whatever the content, except a Kestra flow.
            assert_eq!(
                classify_yaml_file(Path::new(p), "x: 1\n"),
                Some(Format::Compose)
            );
            let flow = "id: compose\nnamespace: ops\ntasks:\n  - id: up\n    type: io.kestra.plugin.docker.Compose\n";
            assert_eq!(
                classify_yaml_file(Path::new(p), flow),
                Some(Format::Kestra),
                "{p}"
            );
        }
        for p in [".env", ".env.production", "db.env"] {
            assert_eq!(format(p), Some(Format::Compose), "{p}");
        }
        for p in [
            ".env.example",
            ".env.sample",
            "db.env.template",
            ".env.dist",
            ".envrc",
            "environment",
        ] {
            assert_eq!(name(p), None, "{p}");
        }
        assert_eq!(name("composer.yaml"), Some(NameClass::Yaml));
    }

    #[test]
    fn systemd_units_and_drop_ins() {
        for p in [
            "web.service",
            "web.socket",
            "backup.timer",
            "data.mount",
            "watch.path",
            "multi-user.target",
            "user.slice",
            "data.automount",
            "disk.swap",
            "etc/web.service.d/override.conf",
            "etc/service.d/10-defaults.conf",
        ] {
            assert_eq!(format(p), Some(Format::Systemd), "{p}");
        }
        for p in [
            "nginx.conf",
            "conf.d/site.conf",
            ".service",
            "web.service.bak",
        ] {
            assert_eq!(name(p), None, "{p}");
        }
    }

    #[test]
    fn terraform_by_name() {
        for p in [
            "main.tf",
            "main.tf.json",
            "prod.tfvars",
            "prod.tfvars.json",
            "terraform.tfstate",
            "terraform.tfstate.backup",
        ] {
            assert_eq!(format(p), Some(Format::Terraform), "{p}");
        }
        assert_eq!(name("main.tfx"), None);
    }

    #[test]
    fn yaml_is_decided_by_content() {
        assert_eq!(name("deploy.yaml"), Some(NameClass::Yaml));
        assert_eq!(name("k8s/app.yml"), Some(NameClass::Yaml));
        assert_eq!(name("kustomization.yaml"), None);
        assert_eq!(name("README.md"), None);
        assert_eq!(name("data.json"), Some(NameClass::Yaml));
    }

    #[test]
    fn kubernetes_content() {
        let text = "# comment\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n";
        assert_eq!(classify_yaml(text), Some(Format::K8s));
        let multi = "foo: 1\n---\n\"apiVersion\": v1\nkind:   Service\r\n";
        assert_eq!(classify_yaml(multi), Some(Format::K8s));
        // Keys must be in the same document.
        assert_eq!(classify_yaml("apiVersion: v1\n---\nkind: Pod\n"), None);
        // Indented keys are not top-level.
        assert_eq!(
            classify_yaml("spec:\n  apiVersion: v1\n  kind: Pod\n"),
            None
        );
    }

    #[test]
    fn kestra_content() {
        let flow = "id: hello\nnamespace: company.team\ntasks:\n  - id: log\n    type: x\n";
        assert_eq!(classify_yaml(flow), Some(Format::Kestra));
        assert_eq!(classify_yaml("id: a\nnamespace: b\n"), None);
    }

    #[test]
    fn other_yaml_does_not_classify() {
        assert_eq!(classify_yaml("replicaCount: 1\nimage:\n  tag: x\n"), None);
        assert_eq!(classify_yaml("on: push\njobs:\n  build: {}\n"), None);
        assert_eq!(
            classify_yaml("stages: [build]\nbuild:\n  script: make\n"),
            None
        );
        assert_eq!(classify_yaml("- kind: x\n- apiVersion: y\n"), None);
        assert_eq!(classify_yaml("kind:x\napiVersion:y\n"), None);
        assert_eq!(classify_yaml(""), None);
    }

    #[test]
    fn tool_configurations_are_not_manifests() {
        assert_eq!(
            classify_yaml("apiVersion: skaffold/v4beta6\nkind: Config\n"),
            None
        );
        assert_eq!(
            classify_yaml("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n"),
            None
        );
        let component = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n";
        assert_eq!(classify_yaml(component), None);
        assert_eq!(
            classify_yaml("apiVersion: v1\nkind: Pod\n"),
            Some(Format::K8s)
        );
    }

    #[test]
    fn compose_by_content() {
        let compose = "# stack\nservices:\n  web:\n    # the app\n    image: nginx:1.27\n";
        assert_eq!(classify_yaml(compose), Some(Format::Compose));
        let built = "networks:\n  main: {}\nservices:\n  app:\n    build: .\n";
        assert_eq!(classify_yaml(built), Some(Format::Compose));
        // GitLab CI: `services` is a list, `image` is top-level.
        let gitlab = "image: ruby:3.3\nservices:\n  - postgres:16\ntest:\n  script: rake\n";
        assert_eq!(classify_yaml(gitlab), None);
        // `image:` under another top-level key does not count.
        let other = "services:\n  a: 1\nbuild:\n  image: x\n";
        assert_eq!(classify_yaml(other), None);
    }

    #[test]
    fn go_templates_and_json() {
        let helm = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n";
        assert_eq!(classify_yaml(helm), None);
        let flow =
            "id: hello\nnamespace: dev\ntasks:\n  - id: log\n    message: \"{{ inputs.name }}\"\n";
        assert_eq!(classify_yaml(flow), Some(Format::Kestra));
        let commented = "apiVersion: v1\nkind: Pod # not {{ templated }}\n";
        assert_eq!(classify_yaml(commented), Some(Format::K8s));
        // Helm: actions where YAML expects a node, or reading Helm's objects in a string.
        for helm in [
            "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\n",
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - {{ .Values.container }}\n",
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: \"{{ .Values.image }}\"\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app-{{ .Release.Name }}\n",
            "{{ if .Values.enabled }}\napiVersion: v1\nkind: Pod\n{{ end }}\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {a: {{ $x }}}\n",
            "apiVersion: v1\nkind: Pod\n{% if x %}\nmetadata: {}\n{% endif %}\n",
        ] {
            assert_eq!(classify_yaml(helm), None, "{helm}");
        }
        // Template text inside string values is the value's: Prometheus and Alertmanager
        // templates in quoted, plain and block strings.
        for manifest in [
            "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - rules:\n        - alert: Down\n          annotations:\n            summary: \"{{ $labels.instance }} is down\"\n            value: '{{ printf \"%.2f\" $value }}'\n            text: Instance {{ $labels.instance }} is down\n",
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  alert.tmpl: |\n    {{ define \"x\" }}\n    {{ .CommonLabels.alertname }}\n    {{ end }}\n  other: >-\n    {{ .Value }}\nmetadata:\n  name: t\n",
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  - |\n    {{ range .Alerts }}{{ end }}\n",
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: \"line one\n    {{ $labels.job }} line two\"\n",
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: [\"{{ $value }}\", '{{ $labels.pod }}']\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    text: \"it's {{ .ValuesFrom }}\"\n",
        ] {
            assert_eq!(classify_yaml(manifest), Some(Format::K8s), "{manifest}");
        }
        let json = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\"\n}\n";
        assert_eq!(classify_yaml(json), Some(Format::K8s));
        assert_eq!(classify_yaml("{\"name\": \"pkg\", \"kind\": 1}"), None);
        assert_eq!(classify_yaml("{\"apiVersion\": 1"), None);
        assert_eq!(name("package.json"), Some(NameClass::Yaml));
        assert_eq!(name(".gitlab-ci.yml"), Some(NameClass::Format(Format::Ci)));
    }

    #[test]
    fn ci_by_name_and_content() {
        for p in [
            ".gitlab-ci.yml",
            "repo/.gitlab-ci.yaml",
            ".github/workflows/ci.yml",
            "repo/.github/workflows/release.yaml",
        ] {
            assert_eq!(format(p), Some(Format::Ci), "{p}");
        }
        for p in [
            ".github/workflows/sub/ci.yml",
            "workflows/ci.yml",
            ".github/dependabot.yml",
            ".github/workflows/README.md",
            "action.yml",
        ] {
            assert_ne!(format(p), Some(Format::Ci), "{p}");
        }
        let composite = "name: setup\nruns:\n  using: \"composite\"\n  steps:\n    - run: make\n";
        let action = Path::new(".github/actions/setup/action.yml");
        assert_eq!(classify_yaml_file(action, composite), Some(Format::Ci));
        let node = "name: x\nruns:\n  using: node20\n  main: index.js\n";
        assert_eq!(classify_yaml_file(action, node), None);
        // Only action metadata files: the same content elsewhere is not CI.
        assert_eq!(classify_yaml_file(Path::new("setup.yml"), composite), None);
    }

    #[test]
    fn gitlab_includes_are_found_from_the_including_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("ci/jobs")).unwrap();
        std::fs::create_dir_all(root.join("k8s")).unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(
            root.join(".gitlab-ci.yml"),
            "include:\n  - local: /ci/build.yml\n  - 'ci/jobs/*.yml'\n  - remote: https://x/y.yml\n  - local: $CI_FILE\n",
        )
        .unwrap();
        std::fs::write(
            root.join("ci/build.yml"),
            "include: ci/nested.yml\nb:\n  script: make\n",
        )
        .unwrap();
        std::fs::write(root.join("ci/nested.yml"), "n:\n  script: make\n").unwrap();
        std::fs::write(root.join("ci/jobs/test.yml"), "t:\n  script: make\n").unwrap();
        std::fs::write(root.join("ci/other.yml"), "o:\n  script: make\n").unwrap();
        std::fs::write(root.join("k8s/pod.yaml"), "apiVersion: v1\nkind: Pod\n").unwrap();
        let mut includes = GitlabIncludes::default();
        assert!(includes.includes(&root.join("ci/build.yml")));
        assert!(includes.includes(&root.join("ci/nested.yml")));
        assert!(includes.includes(&root.join("ci/jobs/test.yml")));
        assert!(!includes.includes(&root.join("ci/other.yml")));
        assert!(!includes.includes(&root.join("k8s/pod.yaml")));
        let (found, errors) = walk(&[root.to_path_buf()]);
        assert!(errors.is_empty());
        let ci: Vec<_> = found
            .iter()
            .filter(|c| c.class == NameClass::Format(Format::Ci))
            .map(|c| {
                c.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(
            ci,
            [
                ".gitlab-ci.yml",
                "ci/build.yml",
                "ci/jobs/test.yml",
                "ci/nested.yml"
            ]
        );
    }
}
