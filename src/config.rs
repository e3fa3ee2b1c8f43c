//! `infralint.toml`: discovery upward from the current directory, the schema (unknown keys are
//! errors with their TOML location), and the effective [`Settings`] of a run (defaults < file <
//! command-line flags).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::Error;
use crate::finding::{Finding, Severity};
use crate::format::Format;
use crate::paths::absolute;
use crate::rules;
use crate::rules::options::Options;
use crate::rules::selection::{self, Selection};
use crate::source::SourceFile;

/// The names a configuration file may have, in order of preference within one directory.
pub const FILE_NAMES: [&str; 2] = ["infralint.toml", ".infralint.toml"];

/// The least severe finding that fails the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    #[default]
    Critical,
    Warning,
    Suggestion,
    /// Report only; findings never fail the run.
    Never,
}

impl FailOn {
    /// The least severe finding that fails, or `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Suggestion => Some(Severity::Suggestion),
            FailOn::Never => None,
        }
    }

    /// Whether a finding of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        severity != Severity::Positive && self.threshold().is_some_and(|t| severity >= t)
    }

    fn parse(s: &str) -> Option<FailOn> {
        match s {
            "critical" => Some(FailOn::Critical),
            "warning" => Some(FailOn::Warning),
            "suggestion" => Some(FailOn::Suggestion),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }
}

/// A compiled list of globs relative to a base directory.
#[derive(Clone, Debug)]
pub struct Globs {
    pub patterns: Vec<String>,
    set: GlobSet,
}

impl Default for Globs {
    fn default() -> Globs {
        Globs {
            patterns: Vec::new(),
            set: GlobSet::empty(),
        }
    }
}

impl Globs {
    /// Whether a `/`-separated relative path, or one of its parent directories, matches.
    pub fn matches(&self, relative: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let mut path = relative;
        loop {
            if self.set.is_match(path) {
                return true;
            }
            match path.rsplit_once('/') {
                Some((parent, _)) if !parent.is_empty() => path = parent,
                _ => return false,
            }
        }
    }
}

fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(pattern.trim_end_matches('/'))
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

/// Everything a run is asked to do besides the paths.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The configuration file read, if any.
    pub config_path: Option<PathBuf>,
    /// Absolute directory that `exclude` and `[per-path-ignores]` globs are relative to: the
    /// configuration file's directory, else the current directory.
    pub base: PathBuf,
    pub fail_on: FailOn,
    pub selection: Selection,
    /// Globs of files and directories not to lint, added to the built-in excludes.
    pub exclude: Globs,
    /// Severity overrides by selector (`all`, a format, a rule id); the most specific wins.
    pub severity: BTreeMap<String, Severity>,
    /// Selectors ignored for the files matching a glob.
    pub per_path_ignores: Vec<(Globs, Vec<String>)>,
    /// Whether `infralint: ignore[...]` comments are honoured.
    pub inline_ignores: bool,
    /// Whether the files around the paths given are read for the facts their rules need
    /// (`--no-context` turns it off): see `discover::context`.
    pub context: bool,
    pub options: Options,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            config_path: None,
            base: std::env::current_dir().unwrap_or_default(),
            fail_on: FailOn::Critical,
            selection: Selection::default(),
            exclude: Globs::default(),
            severity: BTreeMap::new(),
            per_path_ignores: Vec::new(),
            inline_ignores: true,
            context: true,
            options: Options::default(),
        }
    }
}

impl Settings {
    /// A file's path relative to [`Settings::base`], with `/`, or `None` outside it.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let absolute = absolute(path);
        let rest = absolute.strip_prefix(&self.base).ok()?;
        let parts: Vec<String> = rest
            .components()
            .filter_map(|c| match c {
                Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        Some(parts.join("/"))
    }

    /// Whether a file (found by the walk or given explicitly) is excluded by the configuration.
    pub fn is_excluded(&self, path: &Path) -> bool {
        !self.exclude.patterns.is_empty()
            && self
                .relative(path)
                .is_some_and(|r| !r.is_empty() && self.exclude.matches(&r))
    }

    /// The selection for one file: the run's, plus its `[per-path-ignores]`.
    pub fn selection_for(&self, path: Option<&Path>) -> Selection {
        let mut selection = self.selection.clone();
        if self.per_path_ignores.is_empty() {
            return selection;
        }
        if let Some(relative) = path.and_then(|p| self.relative(p)) {
            for (globs, selectors) in &self.per_path_ignores {
                if globs.matches(&relative) {
                    selection.ignore.extend(selectors.iter().cloned());
                }
            }
        }
        selection
    }

    /// Apply the severity overrides to the findings of a file. Positives stay positives.
    pub fn override_severities(&self, findings: &mut [Finding]) {
        if self.severity.is_empty() {
            return;
        }
        for finding in findings
            .iter_mut()
            .filter(|f| f.severity != Severity::Positive)
        {
            let format = finding.rule.split('/').next().unwrap_or("");
            let chosen = self
                .severity
                .get(finding.rule)
                .or_else(|| self.severity.get(format))
                .or_else(|| self.severity.get("all"));
            if let Some(&severity) = chosen {
                finding.severity = severity;
            }
        }
    }

    /// The effective settings as TOML, for `--show-config`.
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "kebab-case")]
        struct Shown<'a> {
            fail_on: FailOn,
            exclude: Vec<String>,
            rules: ShownRules<'a>,
            per_path_ignores: BTreeMap<String, Vec<String>>,
            options: &'a Options,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "kebab-case")]
        struct ShownRules<'a> {
            select: Vec<String>,
            extend_select: &'a [String],
            ignore: &'a [String],
            severity: BTreeMap<&'a str, &'static str>,
        }
        let exclude = self.exclude.patterns.clone();
        let select = if self.selection.select.is_empty() {
            vec!["default".to_string()]
        } else {
            self.selection.select.clone()
        };
        let shown = Shown {
            fail_on: self.fail_on,
            exclude,
            rules: ShownRules {
                select,
                extend_select: &self.selection.extend_select,
                ignore: &self.selection.ignore,
                severity: self
                    .severity
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
            },
            per_path_ignores: self
                .per_path_ignores
                .iter()
                .flat_map(|(globs, selectors)| {
                    globs
                        .patterns
                        .iter()
                        .map(move |p| (p.clone(), selectors.clone()))
                })
                .collect(),
            options: &self.options,
        };
        let mut out = match &self.config_path {
            Some(path) => format!("# configuration file: {}\n", path.display()),
            None => "# no configuration file\n".to_string(),
        };
        out.push_str(&format!(
            "# globs are relative to: {}\n",
            self.base.display()
        ));
        out.push_str(&format!(
            "# always excluded: {}\n",
            crate::discover::EXCLUDED_DIRS.join(", ")
        ));
        out.push_str(&format!(
            "# inline suppressions: {}\n",
            if self.inline_ignores { "on" } else { "off" }
        ));
        match toml::to_string_pretty(&shown) {
            Ok(text) => {
                out.push_str(&text);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Err(err) => out.push_str(&format!("# cannot show the settings: {err}\n")),
        }
        out
    }
}

/// The configuration file for a run started in `dir`: the first of [`FILE_NAMES`] found in
/// `dir` or one of its ancestors.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    absolute(dir).ancestors().find_map(|d| {
        FILE_NAMES
            .iter()
            .map(|name| d.join(name))
            .find(|p| p.is_file())
    })
}

/// The file as written: every key known, values checked, spans kept for error messages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFile {
    fail_on: Option<Spanned<String>>,
    exclude: Option<Vec<Spanned<String>>>,
    rules: Option<RawRules>,
    per_path_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    options: Option<Options>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRules {
    select: Option<Vec<Spanned<String>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// Every key of the schema, for "did you mean" on an unknown one.
const KEYS: &[&str] = &[
    "fail-on",
    "exclude",
    "rules",
    "per-path-ignores",
    "options",
    "select",
    "extend-select",
    "ignore",
    "severity",
    "trusted-registries",
    "datastore-ports",
    "secret-file-patterns",
    "stateful-images",
    "placeholder-values",
    "secret-reference-prefixes",
    "nonroot-base-images",
    "unhealthy-restart-labels",
    "placeholder-namespaces",
    "assume-daemon-log-rotation",
    "pin-first-party-actions",
    "profile",
    "kubernetes-version",
    "max-exposure",
    "host-memory",
    "host-cpus",
];

/// Read and check a configuration file, and apply it over the defaults.
pub fn load(path: &Path) -> Result<Settings, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut settings = parse(&text, path)?;
    let absolute = absolute(path);
    settings.base = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    settings.config_path = Some(path.to_path_buf());
    Ok(settings)
}

/// Check configuration text; `path` only names the file in errors.
pub fn parse(text: &str, path: &Path) -> Result<Settings, Error> {
    let source = SourceFile::new(path.display().to_string(), None, text.to_string());
    let error = |span: Option<std::ops::Range<usize>>, message: String| {
        let at = span.map_or(0, |s| s.start);
        let lc = source.line_col(u32::try_from(at).unwrap_or(u32::MAX));
        Error::Config {
            path: path.to_path_buf(),
            line: lc.line,
            column: lc.column,
            message,
        }
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        error(e.span(), with_suggestion(message))
    })?;
    let spanned_error = |s: &Spanned<String>, message: String| error(Some(s.span()), message);
    let selector = |s: &Spanned<String>| -> Result<String, Error> {
        let value = s.get_ref().trim();
        if selection::is_known_selector(value) {
            Ok(value.to_string())
        } else {
            Err(spanned_error(s, unknown_selector(value)))
        }
    };
    let globs = |list: &[Spanned<String>]| -> Result<Globs, Error> {
        let mut builder = GlobSetBuilder::new();
        let mut patterns = Vec::new();
        for pattern in list {
            let compiled = glob(pattern.get_ref()).map_err(|e| {
                spanned_error(
                    pattern,
                    format!("invalid glob `{}`: {}", pattern.get_ref(), e.kind()),
                )
            })?;
            builder.add(compiled);
            patterns.push(pattern.get_ref().clone());
        }
        let set = builder
            .build()
            .map_err(|e| error(None, format!("invalid globs: {e}")))?;
        Ok(Globs { patterns, set })
    };

    let mut settings = Settings::default();
    if let Some(fail_on) = &raw.fail_on {
        settings.fail_on = FailOn::parse(fail_on.get_ref()).ok_or_else(|| {
            spanned_error(
                fail_on,
                with_choices(
                    fail_on.get_ref(),
                    "fail-on",
                    &["critical", "warning", "suggestion", "never"],
                ),
            )
        })?;
    }
    if let Some(exclude) = &raw.exclude {
        settings.exclude = globs(exclude)?;
    }
    if let Some(rules) = &raw.rules {
        if let Some(select) = &rules.select {
            settings.selection.select = select.iter().map(selector).collect::<Result<_, _>>()?;
        }
        if let Some(extend) = &rules.extend_select {
            settings.selection.extend_select =
                extend.iter().map(selector).collect::<Result<_, _>>()?;
        }
        if let Some(ignore) = &rules.ignore {
            settings.selection.ignore = ignore.iter().map(selector).collect::<Result<_, _>>()?;
        }
        for (key, value) in rules.severity.iter().flatten() {
            let key = selector(key)?;
            let severity = Severity::parse(value.get_ref())
                .filter(|s| *s != Severity::Positive)
                .ok_or_else(|| {
                    spanned_error(
                        value,
                        with_choices(
                            value.get_ref(),
                            "severity",
                            &["critical", "warning", "suggestion"],
                        ),
                    )
                })?;
            settings.severity.insert(key, severity);
        }
    }
    for (pattern, selectors) in raw.per_path_ignores.iter().flatten() {
        let compiled = globs(std::slice::from_ref(pattern))?;
        let selectors = selectors.iter().map(selector).collect::<Result<_, _>>()?;
        settings.per_path_ignores.push((compiled, selectors));
    }
    if let Some(options) = raw.options {
        settings.options = options;
    }
    Ok(settings)
}

/// Keys that earlier versions documented but that no rule reads, with why: a setting that is
/// accepted and ignored would pass silently, so the file is refused instead.
const UNSUPPORTED: &[(&str, &str)] = &[(
    "dangerous-capabilities",
    "the lists of `compose/dangerous-capability`, `k8s/dangerous-capability` and the systemd capability rules are built in; select, ignore or re-rate those rules instead",
)];

/// `unknown field `x`, expected one of …` with the nearest known key appended, or why a key
/// that is no longer read is refused.
fn with_suggestion(message: String) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message;
    };
    let Some((field, _)) = rest.split_once('`') else {
        return message;
    };
    if let Some((_, why)) = UNSUPPORTED.iter().find(|(key, _)| *key == field) {
        return format!("option `{field}` is not supported: {why}");
    }
    match closest(field, KEYS.iter().copied()) {
        Some(near) => format!("unknown key `{field}`; did you mean `{near}`?"),
        None => format!("unknown key `{field}`"),
    }
}

fn with_choices(value: &str, what: &str, choices: &[&str]) -> String {
    let mut message = format!("invalid {what} `{value}`");
    if let Some(near) = closest(value, choices.iter().copied()) {
        message.push_str(&format!("; did you mean `{near}`?"));
    } else {
        message.push_str(&format!("; expected one of {}", choices.join(", ")));
    }
    message
}

/// The message for a selector that names no format or rule, with the nearest known one.
pub fn unknown_selector(selector: &str) -> String {
    let rules = rules::all();
    let known = ["all", "default", "infralint"]
        .into_iter()
        .chain(Format::ALL.iter().map(|f| f.id()))
        .chain(rules.iter().map(|r| r.id));
    let mut message = format!("unknown rule or format `{selector}`");
    if let Some(near) = closest(selector, known) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message
}

/// The known name nearest to `input`, when it is near enough to be a likely typo.
pub fn closest<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(2);
    known
        .map(|k| (edit_distance(input, k), k))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, k)| (d, k))
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let cost = if ca == *cb { diagonal } else { diagonal + 1 };
            let value = cost.min(above + 1).min(left + 1);
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
            left = value;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::unreachable)]
mod tests {
    use super::*;
    use crate::rules::options::Profile;

    fn parse_ok(text: &str) -> Settings {
        match parse(text, Path::new("infralint.toml")) {
            Ok(s) => s,
            Err(e) => unreachable!("{e}"),
        }
    }

    fn parse_err(text: &str) -> String {
        match parse(text, Path::new("infralint.toml")) {
            Ok(_) => unreachable!("accepted: {text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("docker", "docker"), 0);
        assert_eq!(edit_distance("dokcer", "docker"), 2);
        assert_eq!(edit_distance("k8", "k8s"), 1);
        assert_eq!(edit_distance("abc", ""), 3);
    }

    #[test]
    fn suggestions_only_when_close() {
        let known = ["docker", "compose", "k8s"];
        assert_eq!(closest("dockr", known.into_iter()), Some("docker"));
        assert_eq!(closest("terraformx", known.into_iter()), None);
    }

    #[test]
    fn a_full_file() {
        let s = parse_ok(
            r#"
fail-on = "warning"
exclude = ["vendor/**", "generated"]
[rules]
select = ["all"]
extend-select = ["default", "k8s"]
ignore = ["docker/missing-healthcheck"]
severity = { "docker/unpinned-base-image" = "critical", docker = "suggestion" }
[per-path-ignores]
"legacy/**" = ["docker"]
[options]
trusted-registries = ["ghcr.io/acme"]
profile = "constrained"
datastore-ports = [9999]
"#,
        );
        assert_eq!(s.fail_on, FailOn::Warning);
        assert_eq!(s.selection.select, ["all"]);
        assert_eq!(s.selection.extend_select, ["default", "k8s"]);
        assert_eq!(s.selection.ignore, ["docker/missing-healthcheck"]);
        assert_eq!(
            s.severity.get("docker/unpinned-base-image"),
            Some(&Severity::Critical)
        );
        assert!(s.exclude.matches("vendor/a/b"));
        assert!(s.exclude.matches("generated/Dockerfile"));
        assert!(!s.exclude.matches("src/vendor/Dockerfile"));
        assert_eq!(s.per_path_ignores.len(), 1);
        assert_eq!(s.options.trusted_registries, ["ghcr.io/acme"]);
        assert_eq!(s.options.profile, Profile::Constrained);
        assert_eq!(s.options.datastore_ports, [9999]);
        assert!((s.options.max_exposure - 7.0).abs() < f64::EPSILON);
    }

    #[test]
    fn unknown_keys_have_a_location_and_a_suggestion() {
        let e = parse_err("fail-on = \"warning\"\nexlude = [\"x\"]\n");
        assert!(e.contains("infralint.toml:2:1"), "{e}");
        assert!(e.contains("did you mean `exclude`"), "{e}");
        let e = parse_err("[options]\ntrusted-registry = []\n");
        assert!(e.contains(":2:1"), "{e}");
        assert!(e.contains("did you mean `trusted-registries`"), "{e}");
    }

    #[test]
    fn unsupported_options_are_refused_where_they_are_written() {
        let e = parse_err(
            "[options]\nprofile = \"default\"\ndangerous-capabilities = [\"SYS_TIME\"]\n",
        );
        assert!(e.contains("infralint.toml:3:1"), "{e}");
        assert!(
            e.contains("option `dangerous-capabilities` is not supported"),
            "{e}"
        );
    }

    #[test]
    fn unknown_rules_bad_globs_and_severities() {
        let e = parse_err("[rules]\nignore = [\"docker/root-usr\"]\n");
        assert!(e.contains(":2:11"), "{e}");
        assert!(e.contains("did you mean `docker/root-user`"), "{e}");
        let e = parse_err("exclude = [\"a/{b\"]\n");
        assert!(e.contains("invalid glob `a/{b`"), "{e}");
        let e = parse_err("[rules.severity]\n\"docker/root-user\" = \"critcal\"\n");
        assert!(e.contains("did you mean `critical`"), "{e}");
        let e = parse_err("[rules.severity]\n\"dockr\" = \"critical\"\n");
        assert!(e.contains(":2:1"), "{e}");
        let e = parse_err("fail-on = \"sometimes\"\n");
        assert!(e.contains("expected one of"), "{e}");
        let e = parse_err("[per-path-ignores]\n\"x/**\" = [\"kubernetes\"]\n");
        assert!(e.contains("unknown rule or format `kubernetes`"), "{e}");
    }

    #[test]
    fn kubernetes_versions_name_a_release() {
        let s = parse_ok("[options]\nkubernetes-version = \"v1.29.4\"\n");
        assert_eq!(s.options.kubernetes_minor(), Some(29));
        assert_eq!(parse_ok("").options.kubernetes_minor(), None);
        for bad in ["1", "2.0", "1.x", "latest", "1.31.2.1"] {
            let e = parse_err(&format!("[options]\nkubernetes-version = \"{bad}\"\n"));
            assert!(e.contains(":2:22"), "{e}");
            assert!(e.contains("invalid kubernetes-version"), "{e}");
        }
    }

    #[test]
    fn severity_overrides_prefer_the_most_specific_selector() {
        let s = parse_ok(
            "[rules.severity]\nall = \"suggestion\"\n\"docker/root-user\" = \"warning\"\n",
        );
        let finding = |rule| Finding {
            rule,
            severity: Severity::Critical,
            span: crate::source::Span::point(0),
            message: String::new(),
            help: None,
            mask: None,
        };
        let mut findings = vec![
            finding("docker/root-user"),
            finding("docker/hardcoded-secret"),
        ];
        findings.push(Finding {
            severity: Severity::Positive,
            ..finding("docker/missing-user")
        });
        s.override_severities(&mut findings);
        let severities: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
        assert_eq!(
            severities,
            [Severity::Warning, Severity::Suggestion, Severity::Positive]
        );
    }

    #[test]
    fn show_config_is_toml() {
        let s = parse_ok("[options]\nsecret-file-patterns = [\"*.secret\"]\n");
        let shown = s.to_toml();
        assert!(shown.contains("fail-on = \"critical\""), "{shown}");
        assert!(shown.contains("secret-file-patterns"), "{shown}");
        let body: String = shown
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        // What is shown can be read back as a configuration file.
        let reread = parse(&body, Path::new("shown.toml"));
        assert!(reread.is_ok(), "{shown}");
    }
}
