//! `rclone` commands in `Exec*=` lines without a bounded VFS cache or a log file.
use crate::formats::shell::{self, Dialect, Word};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/unbounded-rclone-cache",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/systemd/unbounded-rclone-cache.md"),
    check: Check::Systemd(check),
};

/// Subcommands that serve a remote through rclone's VFS layer and its cache.
const MOUNTS: &[&str] = &["mount", "nfsmount", "cmount"];

fn check(unit: &Unit, cx: &mut Ctx) {
    let env = unit.environment();
    let from_env = |name: &str| {
        env.iter()
            .rev()
            .find(|a| a.name.value == name)
            .map(|a| a.value.value.clone())
    };
    let logs_to_file = stderr_goes_to_file(unit);
    for entry in unit.exec_lines() {
        let commands = shell::read(&entry.value, Dialect::Systemd);
        let Some((words, at)) = commands.iter().find_map(|c| {
            let at = c
                .words
                .iter()
                .position(|w| shell::basename(&w.text) == "rclone")?;
            Some((&c.words, at))
        }) else {
            continue;
        };
        let args = words.get(at + 1..).unwrap_or_default();
        let flag =
            |name: &str, env_name: &str| flag_value(args, name).or_else(|| from_env(env_name));
        let subcommand = args
            .iter()
            .find(|w| !w.text.starts_with('-'))
            .map(|w| w.text.as_str())
            .unwrap_or("");
        let mut missing = Vec::new();
        if MOUNTS.contains(&subcommand) {
            match flag("vfs-cache-mode", "RCLONE_VFS_CACHE_MODE").map(|v| v.to_ascii_lowercase()) {
                Some(mode) if mode == "writes" || mode == "full" => {
                    match flag("vfs-cache-max-size", "RCLONE_VFS_CACHE_MAX_SIZE") {
                        Some(size) if !size.eq_ignore_ascii_case("off") && !size.is_empty() => {}
                        Some(_) => missing.push("a `--vfs-cache-max-size` other than `off`"),
                        None => missing.push("`--vfs-cache-max-size`"),
                    }
                }
                Some(_) => missing.push("`--vfs-cache-mode writes` or `full`"),
                None => missing.push("`--vfs-cache-mode`"),
            }
        }
        let has_log = flag("log-file", "RCLONE_LOG_FILE").is_some_and(|v| !v.is_empty())
            || flag_present(args, "syslog")
            || from_env("RCLONE_SYSLOG").is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || logs_to_file;
        if !has_log {
            missing.push("`--log-file`");
        }
        if missing.is_empty() {
            continue;
        }
        let shown = if subcommand.is_empty() {
            "rclone".to_string()
        } else {
            format!("rclone {subcommand}")
        };
        cx.report(
            entry.value_span,
            format!("`{shown}` runs without {}", join(&missing)),
        )
        .help(if MOUNTS.contains(&subcommand) {
            "add `--vfs-cache-mode writes` (or `full`), a `--vfs-cache-max-size` that fits the disk and `--log-file`"
        } else {
            "add `--log-file` so that sync errors are kept where they can be read"
        });
    }
}

/// A flag's value: `--name=value` or `--name value`; underscores count as dashes.
fn flag_value(args: &[Word], name: &str) -> Option<String> {
    let mut iter = args.iter();
    while let Some(word) = iter.next() {
        let Some(flag) = word.text.strip_prefix("--") else {
            continue;
        };
        let normalized = flag.replace('_', "-");
        if let Some(value) = normalized
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('='))
        {
            let at = flag.len() - value.len();
            return Some(flag.get(at..).unwrap_or(value).to_string());
        }
        if normalized == name {
            return iter.next().map(|w| w.text.clone());
        }
    }
    None
}

fn flag_present(args: &[Word], name: &str) -> bool {
    args.iter().any(|w| {
        w.text
            .strip_prefix("--")
            .is_some_and(|f| f.replace('_', "-") == name)
    })
}

/// `StandardError=` (or `StandardOutput=`, which stderr inherits by default) writes to a file.
fn stderr_goes_to_file(unit: &Unit) -> bool {
    let to_file = |v: &str| {
        ["file:", "append:", "truncate:"]
            .iter()
            .any(|p| v.starts_with(p))
    };
    match unit
        .get("Service", "StandardError")
        .map(|e| e.value.as_str())
    {
        Some("inherit") | None => unit
            .get("Service", "StandardOutput")
            .is_some_and(|e| to_file(&e.value)),
        Some(v) => to_file(v),
    }
}

fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
