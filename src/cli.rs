//! The command line: flags, the choice of reporter, and the exit policy
//! (2 for usage and I/O problems, 1 for findings at or above `--fail-on`, else 0).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::engine::{self, Selection};
use crate::error::Error;
use crate::finding::Severity;
use crate::formats::Format;
use crate::report::{OutputFormat, human};
use crate::rules;
use crate::{Options, Report};

/// A fast, read-only linter for Dockerfiles, compose files, Kubernetes manifests, Kestra flows,
/// systemd units and Terraform.
#[derive(Debug, Parser)]
#[command(name = "infralint", version, about)]
pub struct Args {
    /// Files and directories to lint.
    #[arg(value_name = "PATHS", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short = 'f', long = "format", value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Exit with 1 when a finding of this severity or worse is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Critical, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// List positive findings (good practices found), not just count them.
    #[arg(long)]
    pub show_positive: bool,

    /// Never colour the output (also off when stdout is not a terminal or NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,

    /// Only run these rules: `all`, a format (`docker`) or a rule id; comma-separated.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these rules: a format or a rule id; comma-separated; beats --select.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Print the documentation of a rule and exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// Print every rule with its severity and summary, and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// Print each infrastructure file found with its format, and exit.
    #[arg(long)]
    pub show_files: bool,
}

/// The least severe finding that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Critical,
    Warning,
    Suggestion,
    /// Report only; findings never fail the run.
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Suggestion => Some(Severity::Suggestion),
            FailOn::Never => None,
        }
    }
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
        match selection(args) {
            Err(err) => (fail(&err), Ok(())),
            Ok(_) if args.show_files => show_files(&mut out, &args.paths),
            Ok(selection) => lint(&mut out, args, selection),
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

/// Lint, report, and return the exit code with the outcome of writing the report.
fn lint(
    out: &mut impl Write,
    args: &Args,
    selection: Selection,
) -> (ExitCode, std::io::Result<()>) {
    let options = Options { selection };
    let report = crate::lint_paths(&args.paths, &options);
    let written = match args.format {
        OutputFormat::Human => human::write(out, &report, &human_style(args)),
        OutputFormat::Json => crate::report::json::write(out, &report),
    }
    .and_then(|()| out.flush());
    print_errors(&report.errors);
    (exit_code(&report, args.fail_on), written)
}

/// 2 beats 1: an incomplete run must not look clean or merely failing.
pub fn exit_code(report: &Report, fail_on: FailOn) -> ExitCode {
    if !report.errors.is_empty() {
        return ExitCode::from(EXIT_ERROR);
    }
    let failing = fail_on.threshold().is_some_and(|threshold| {
        report
            .findings()
            .any(|(_, f)| f.severity != Severity::Positive && f.severity >= threshold)
    });
    if failing {
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

fn show_files(out: &mut impl Write, paths: &[PathBuf]) -> (ExitCode, std::io::Result<()>) {
    let (files, errors) = crate::discover_files(paths);
    let written = files
        .iter()
        .try_for_each(|(path, format)| writeln!(out, "{:<10} {}", format.id(), path))
        .and_then(|()| out.flush());
    print_errors(&errors);
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
        if let Some(near) = closest(id, ids.iter().copied()) {
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
            "{:<width$}  {:<10}  {}",
            rule.id,
            rule.severity.as_str(),
            rule.summary()
        )?;
    }
    Ok(())
}

/// The selection from `--select`/`--ignore`, every selector checked.
fn selection(args: &Args) -> Result<Selection, Error> {
    let clean = |list: &[String]| -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        for selector in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !engine::is_known_selector(selector) {
                return Err(Error::Usage(unknown_selector(selector)));
            }
            out.push(selector.to_string());
        }
        Ok(out)
    };
    Ok(Selection {
        select: clean(&args.select)?,
        ignore: clean(&args.ignore)?,
    })
}

fn unknown_selector(selector: &str) -> String {
    let rules = rules::all();
    let known = ["all", "infralint"]
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
fn closest<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(2);
    known
        .map(|k| (edit_distance(input, k), k))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, k)| (d, k))
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
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
}
