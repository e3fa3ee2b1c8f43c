//! The command line: flags, the choice of reporter, and the exit policy
//! (2 for usage and I/O problems, 1 for findings at or above `--fail-on`, else 0).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use infralint::config::{self, FailOn, Settings};
use infralint::error::Error;
use infralint::report::{self, OutputFormat, human};
use infralint::rules::{self, selection};
use infralint::{Report, baseline};

/// A fast, read-only linter for Dockerfiles, compose files, Kubernetes manifests, Kestra flows,
/// systemd units and Terraform.
#[derive(Debug, Parser)]
#[command(name = "infralint", version, about)]
pub struct Args {
    /// Files and directories to lint; `-` alone lints standard input.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// With `-`: the name of standard input, which decides its format as a file name would,
    /// names its findings and selects its per-path configuration. Without it, the format is
    /// told from the content.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Output format, optionally written to a file instead of stdout: `-f human -f
    /// sarif=results.sarif`. Repeatable. Formats: human, json, json-lines, sarif, github,
    /// gitlab, junit, markdown.
    #[arg(short = 'f', long = "format", value_name = "FORMAT[=PATH]", value_parser = parse_output)]
    pub format: Vec<Output>,

    /// Exit with 1 when a finding of this severity or worse is reported [default: critical].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOnArg>,

    /// List positive findings (good practices found), not just count them.
    #[arg(long)]
    pub show_positive: bool,

    /// Never colour the output (also off when stdout is not a terminal or NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,

    /// Only run these rules: `all` (every rule, also those off by default), a format (its rules
    /// that are on by default) or a rule id; comma-separated. Replaces the configuration's
    /// `select`.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Run these rules as well as the selected ones (the default rules without --select); same
    /// selectors; comma-separated. Added to the configuration's `extend-select`.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub extend_select: Vec<String>,

    /// Do not run these rules: a format or a rule id; comma-separated; beats --select. Added to
    /// the configuration's `ignore`.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Read this configuration file instead of looking for `infralint.toml` upward from the
    /// current directory.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no configuration file.
    #[arg(long)]
    pub no_config: bool,

    /// Print the effective settings (defaults, configuration file and flags) and exit.
    #[arg(long)]
    pub show_config: bool,

    /// Ignore every `infralint: ignore[...]` comment.
    #[arg(long)]
    pub no_inline_ignores: bool,

    /// Read only the paths given. By default the files around them (up to the repository root,
    /// the nearest directory holding `.git`) are read for the facts their rules need: the other
    /// files of a Terraform module, the NetworkPolicies and PodDisruptionBudgets of the
    /// repository, the Kestra flows that watch failures. Those files are never reported on.
    #[arg(long)]
    pub no_context: bool,

    /// Render the Helm charts (`helm template`) and Kustomize roots (`kubectl kustomize`, or
    /// `kustomize build`) found, and lint their output as `infralint -` would. A directory that
    /// would fetch from the network or run a plugin is refused (`infralint/render-refused`);
    /// a missing tool or a failed rendering is an error.
    #[arg(long)]
    pub render: bool,

    /// Report only the findings that this baseline file does not record.
    #[arg(long, value_name = "PATH")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in this baseline file (and exit 0 unless something could
    /// not be read).
    #[arg(long, value_name = "PATH")]
    pub write_baseline: Option<PathBuf>,

    /// Print the documentation of a rule and exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// Print every rule with its severity and summary, and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// Print each infrastructure file found with its format, and exit.
    #[arg(long)]
    pub show_files: bool,

    /// `resources`: the human output is the estimated-resources summary alone (memory and CPU
    /// declared by compose services and Kubernetes workloads, times replicas). The human report
    /// also shows it after the findings whenever there is something to sum.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub summary: Option<SummaryKind>,

    /// In the Markdown review, the locations listed for a rule found many times; the others
    /// are counted.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_per_rule: usize,
}

/// `--fail-on`: the least severe finding that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Critical,
    Warning,
    Suggestion,
    /// Report only; findings never fail the run.
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(arg: FailOnArg) -> FailOn {
        match arg {
            FailOnArg::Critical => FailOn::Critical,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Suggestion => FailOn::Suggestion,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

/// The names `-f/--format` accepts, one per output format of the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Code frames and a summary, for people.
    Human,
    /// One line a finding (`path:line:col: severity rule message`) and the summary.
    Concise,
    /// One JSON document, for machines.
    Json,
    /// One JSON object per finding and line, for streaming and grep.
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML: a test suite per file, a test case per rule.
    Junit,
    /// A Markdown review for pull-request comments and CI job summaries.
    Markdown,
}

impl From<FormatArg> for OutputFormat {
    fn from(arg: FormatArg) -> OutputFormat {
        match arg {
            FormatArg::Human => OutputFormat::Human,
            FormatArg::Concise => OutputFormat::Concise,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::JsonLines => OutputFormat::JsonLines,
            FormatArg::Sarif => OutputFormat::Sarif,
            FormatArg::Github => OutputFormat::Github,
            FormatArg::Gitlab => OutputFormat::Gitlab,
            FormatArg::Junit => OutputFormat::Junit,
            FormatArg::Markdown => OutputFormat::Markdown,
        }
    }
}

/// What `--summary` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryKind {
    Resources,
}

/// One `-f FORMAT[=PATH]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub format: OutputFormat,
    /// Where to write; stdout when `None`.
    pub path: Option<PathBuf>,
}

fn parse_output(value: &str) -> Result<Output, String> {
    let (name, path) = match value.split_once('=') {
        Some((name, "")) => return Err(format!("`{name}=` needs a file name after `=`")),
        Some((name, path)) => (name, Some(PathBuf::from(path))),
        None => (value, None),
    };
    let format = FormatArg::from_str(name, true).map_err(|_| {
        let names: Vec<String> = FormatArg::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!(
            "unknown format `{name}`; expected one of {}",
            names.join(", ")
        )
    })?;
    Ok(Output {
        format: format.into(),
        path,
    })
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// Parse the process arguments and run.
pub fn run() -> ExitCode {
    match Args::try_parse() {
        Ok(args) => execute(&args),
        Err(err) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2.
            let _ = err.print();
            ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_ERROR))
        }
    }
}

/// Run with parsed arguments.
pub fn execute(args: &Args) -> ExitCode {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (code, written) = if let Some(id) = &args.explain {
        explain(&mut out, id)
    } else if args.list_rules {
        (ExitCode::SUCCESS, list_rules(&mut out))
    } else {
        match settings(args) {
            Err(err) => (fail(&err), Ok(())),
            Ok(settings) if args.show_config => (
                ExitCode::SUCCESS,
                out.write_all(settings.to_toml().as_bytes()),
            ),
            Ok(settings) if args.show_files => show_files(
                &mut out,
                &args.paths,
                &settings,
                args.stdin_filename.as_deref(),
            ),
            Ok(settings) => lint(&mut out, args, &settings),
        }
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => code,
        // A reader that went away (`infralint | head`) is not a failure of the run.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(err) => fail(&Error::Output {
            path: "stdout".to_string(),
            source: err,
        }),
    }
}

/// The effective settings: defaults, then the configuration file, then the flags.
pub fn settings(args: &Args) -> Result<Settings, Error> {
    let path = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        if !path.is_file() {
            return Err(Error::MissingPath { path: path.clone() });
        }
        Some(path.clone())
    } else {
        config::discover(Path::new("."))
    };
    let mut settings = match &path {
        Some(path) => config::load(path)?,
        None => Settings::default(),
    };
    if let Some(fail_on) = args.fail_on {
        settings.fail_on = fail_on.into();
    }
    let select = selectors(&args.select)?;
    if !select.is_empty() {
        settings.selection.select = select;
    }
    settings
        .selection
        .extend_select
        .extend(selectors(&args.extend_select)?);
    settings.selection.ignore.extend(selectors(&args.ignore)?);
    if args.no_inline_ignores {
        settings.inline_ignores = false;
    }
    if args.no_context {
        settings.context = false;
    }
    Ok(settings)
}

/// The outputs asked for, human on stdout by default; at most one may go to stdout.
fn outputs(args: &Args) -> Result<Vec<Output>, Error> {
    if args.format.is_empty() {
        return Ok(vec![Output {
            format: OutputFormat::Human,
            path: None,
        }]);
    }
    if args.format.iter().filter(|o| o.path.is_none()).count() > 1 {
        return Err(Error::Usage(
            "only one output format can go to stdout; give the others a file with `-f FORMAT=PATH`"
                .to_string(),
        ));
    }
    Ok(args.format.clone())
}

/// Lint, report, and return the exit code with the outcome of writing to stdout.
fn lint(out: &mut impl Write, args: &Args, settings: &Settings) -> (ExitCode, std::io::Result<()>) {
    let outputs = match outputs(args) {
        Ok(outputs) => outputs,
        Err(err) => return (fail(&err), Ok(())),
    };
    let recorded = match args.baseline.as_deref().map(baseline::read).transpose() {
        Ok(recorded) => recorded,
        Err(err) => return (fail(&err), Ok(())),
    };
    let stdin = match infralint::stdin::requested(&args.paths, args.stdin_filename.as_deref()) {
        Ok(stdin) => stdin,
        Err(err) => return (fail(&err), Ok(())),
    };
    if stdin && args.render {
        return (
            fail(&Error::Usage(
                "--render renders the charts and overlays under the paths given; it does not \
                 apply to `-` (standard input)"
                    .to_string(),
            )),
            Ok(()),
        );
    }
    let (mut report, resources) = if stdin {
        match infralint::stdin::lint_stdin(args.stdin_filename.as_deref(), settings) {
            Ok(outcome) => {
                if let Some(reason) = outcome.skipped {
                    let name = args
                        .stdin_filename
                        .as_deref()
                        .unwrap_or(infralint::stdin::STDIN_NAME);
                    eprintln!("infralint: skipped {name}: {reason}");
                }
                (outcome.report, outcome.resources)
            }
            Err(err) => return (fail(&err), Ok(())),
        }
    } else {
        let (mut report, resources) = infralint::lint_paths(&args.paths, settings);
        if args.render {
            infralint::render::render_paths(&args.paths, settings, &mut report);
        }
        (report, resources)
    };
    let outcome = match (&recorded, &args.baseline) {
        (Some(recorded), Some(path)) => Some(baseline::apply(&mut report, recorded, path)),
        _ => None,
    };
    let mut problems = Vec::new();
    if let Some(path) = &args.write_baseline {
        let recorded = baseline::record(&report, path);
        match baseline::write(&recorded, path) {
            Ok(()) => eprintln!(
                "infralint: wrote {} {} to {}",
                recorded.findings.len(),
                if recorded.findings.len() == 1 {
                    "finding"
                } else {
                    "findings"
                },
                path.display()
            ),
            Err(err) => problems.push(err),
        }
    }
    let context = report::Context {
        fail_on: settings.fail_on,
        style: human_style(args),
        root: report::repository_root(),
        host: report::resources::Host {
            memory: settings
                .options
                .host_memory
                .as_deref()
                .and_then(infralint::resources::parse_size),
            cpus: settings.options.host_cpus,
        },
        resources_only: args.summary == Some(SummaryKind::Resources),
        max_per_rule: args.max_per_rule,
        resources,
        baseline: outcome,
    };
    // The human and concise outputs end with the summary, which says what the baseline did.
    let summary_on_stdout = outputs.iter().any(|o| {
        matches!(o.format, OutputFormat::Human | OutputFormat::Concise) && o.path.is_none()
    });
    if let (Some(outcome), false) = (&context.baseline, summary_on_stdout) {
        eprintln!("infralint: {}", report::baseline_note(outcome));
    }
    let mut written = Ok(());
    for output in &outputs {
        match &output.path {
            None => {
                written =
                    report::write(out, output.format, &report, &context).and_then(|()| out.flush());
            }
            Some(path) => {
                if let Err(err) = write_file(path, output.format, &report, &context) {
                    problems.push(Error::Output {
                        path: path.display().to_string(),
                        source: err,
                    });
                }
            }
        }
    }
    print_errors(&report.errors);
    print_errors(&problems);
    if !stdin {
        print_skipped(&args.paths, settings, |name| {
            report.files.iter().any(|f| f.source.name == name)
        });
    }
    let code = if !problems.is_empty() {
        ExitCode::from(EXIT_ERROR)
    } else if args.write_baseline.is_some() && report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        exit_code(&report, settings.fail_on)
    };
    (code, written)
}

fn write_file(
    path: &Path,
    format: OutputFormat,
    report: &Report,
    context: &report::Context,
) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    report::write(&mut file, format, report, context)?;
    file.flush()
}

/// 2 beats 1: an incomplete run must not look clean or merely failing.
pub fn exit_code(report: &Report, fail_on: FailOn) -> ExitCode {
    if !report.errors.is_empty() {
        return ExitCode::from(EXIT_ERROR);
    }
    if report.findings().any(|(_, f)| fail_on.fails(f.severity)) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn human_style(args: &Args) -> human::Style {
    let terminal = std::io::stdout().is_terminal();
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let width = if terminal {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .filter(|&w: &usize| w >= 40)
            .unwrap_or(100)
    } else {
        100
    };
    human::Style {
        color: terminal && !no_color_env && !args.no_color,
        unicode: terminal,
        width,
        show_positive: args.show_positive,
    }
}

fn show_files(
    out: &mut impl Write,
    paths: &[PathBuf],
    settings: &Settings,
    stdin_filename: Option<&str>,
) -> (ExitCode, std::io::Result<()>) {
    let (files, errors) = match infralint::stdin::requested(paths, stdin_filename) {
        Ok(false) => infralint::discover_files(paths, settings),
        Ok(true) => {
            match infralint::stdin::files(std::io::stdin().lock(), stdin_filename, settings) {
                Ok(Ok(files)) => (files, Vec::new()),
                Ok(Err(reason)) => {
                    let name = stdin_filename.unwrap_or(infralint::stdin::STDIN_NAME);
                    eprintln!("infralint: skipped {name}: {reason}");
                    (Vec::new(), Vec::new())
                }
                Err(err) => (Vec::new(), vec![err]),
            }
        }
        Err(err) => (Vec::new(), vec![err]),
    };
    let written = files
        .iter()
        .try_for_each(|(path, format)| writeln!(out, "{:<10} {}", format.id(), path))
        .and_then(|()| out.flush());
    print_errors(&errors);
    print_skipped(paths, settings, |name| files.iter().any(|(f, _)| f == name));
    let code = if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_ERROR)
    };
    (code, written)
}

fn explain(out: &mut impl Write, id: &str) -> (ExitCode, std::io::Result<()>) {
    let Some(rule) = rules::by_id(id) else {
        let ids: Vec<&str> = rules::all().iter().map(|r| r.id).collect();
        let mut message = format!("unknown rule `{id}`");
        if let Some(near) = config::closest(id, ids.iter().copied()) {
            message.push_str(&format!("; did you mean `{near}`?"));
        }
        message.push_str(" (see --list-rules)");
        return (fail(&Error::Usage(message)), Ok(()));
    };
    let mut written = out.write_all(rule.doc.as_bytes());
    if !rule.doc.ends_with('\n') {
        written = written.and_then(|()| writeln!(out));
    }
    (ExitCode::SUCCESS, written)
}

fn list_rules(out: &mut impl Write) -> std::io::Result<()> {
    let all = rules::all();
    let width = all.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for rule in all {
        writeln!(
            out,
            "{:<width$}  {:<10}  {:<3}  {}{}",
            rule.id,
            rule.severity.as_str(),
            if rule.default { "on" } else { "off" },
            rule.summary(),
            rule.profile()
                .map(|p| format!(" (profile: {})", p.as_str()))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// The selectors of `--select`/`--ignore`, every one checked.
fn selectors(list: &[String]) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for selector in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !selection::is_known_selector(selector) {
            return Err(Error::Usage(config::unknown_selector(selector)));
        }
        out.push(selector.to_string());
    }
    Ok(out)
}

/// One line on stderr for each file named on the command line that was not linted: a note,
/// not an error, so the exit code stays what the findings make it.
fn print_skipped(paths: &[PathBuf], settings: &Settings, linted: impl Fn(&str) -> bool) {
    let skipped = infralint::skipped_files(paths, |p| settings.is_excluded(p), linted);
    let mut stderr = std::io::stderr().lock();
    for (name, reason) in skipped {
        let _ = writeln!(stderr, "infralint: skipped {name}: {reason}");
    }
}

fn print_errors(errors: &[Error]) {
    for err in errors {
        print_error(err);
    }
}

fn print_error(err: &Error) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {err}");
}

fn fail(err: &Error) -> ExitCode {
    print_error(err);
    ExitCode::from(EXIT_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_parse_with_optional_paths() {
        assert_eq!(
            parse_output("sarif=out/results.sarif"),
            Ok(Output {
                format: OutputFormat::Sarif,
                path: Some(PathBuf::from("out/results.sarif"))
            })
        );
        assert_eq!(
            parse_output("json-lines").map(|o| o.format),
            Ok(OutputFormat::JsonLines)
        );
        assert!(parse_output("xml").is_err());
        assert!(parse_output("junit=").is_err());
    }
}
