//! Running a renderer (`kubectl`, `kustomize`, `helm`) on a repository's directory, with as
//! little of the user's environment as it needs: an empty environment but `PATH`, a fresh empty
//! `HOME` (and Helm's cache, configuration and data directories inside it), so no kubeconfig,
//! credentials, plugins or repository settings of the user are read; standard input closed; the
//! temporary directory as the working directory, so nothing is written into the scanned tree;
//! and a time limit, after which the tool is killed.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a renderer may run.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Overrides [`TIMEOUT`], in milliseconds. For the test suite only, which checks the time
/// limit with a tool that sleeps; not documented for users.
const TIMEOUT_VARIABLE: &str = "INFRALINT_RENDER_TIMEOUT_MS";

/// Lines of the tool's standard error kept in the error of a failed rendering.
const STDERR_LINES: usize = 8;

/// The time limit of a rendering.
pub fn timeout() -> Duration {
    std::env::var(TIMEOUT_VARIABLE)
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map_or(TIMEOUT, Duration::from_millis)
}

/// An executable file named `name` (on Windows, `name.exe`) in a directory of `PATH`.
pub fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let file = if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_string()
    };
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(&file))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// One run of a renderer.
pub struct Invocation<'a> {
    pub program: &'a Path,
    pub args: Vec<OsString>,
    /// Variables set beside `PATH` and `HOME`; each value is a directory created under the
    /// scratch directory with that name.
    pub scratch_dirs: &'a [&'a str],
}

/// Run a renderer in `scratch` (an empty temporary directory) and return its standard output,
/// or why it gave none: it could not start, failed (with the first lines of its standard
/// error) or ran out of time.
pub fn run(invocation: &Invocation, scratch: &Path, limit: Duration) -> Result<Vec<u8>, String> {
    let home = scratch.join("home");
    std::fs::create_dir_all(&home).map_err(|e| format!("cannot create a temporary HOME: {e}"))?;
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    let open = |path: &Path| {
        std::fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
    };
    let mut command = Command::new(invocation.program);
    command
        .args(&invocation.args)
        .env_clear()
        .env("HOME", &home)
        .current_dir(scratch)
        .stdin(Stdio::null())
        .stdout(open(&out_path)?)
        .stderr(open(&err_path)?);
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    for name in invocation.scratch_dirs {
        let dir = home.join(name.to_ascii_lowercase());
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        command.env(name, dir);
    }
    let shown = shown(invocation);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    let started = Instant::now();
    let mut pause = Duration::from_millis(2);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                // The tool is killed and reaped: nothing of it outlives the run.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`{shown}` did not finish within {} and was stopped",
                    seconds(limit)
                ));
            }
            Ok(None) => {
                std::thread::sleep(pause.min(limit.saturating_sub(started.elapsed())));
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("cannot wait for `{shown}`: {e}"));
            }
        }
    };
    if !status.success() {
        let stderr = std::fs::read(&err_path).unwrap_or_default();
        let text = String::from_utf8_lossy(&stderr);
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
            .take(STDERR_LINES)
            .collect();
        let how = status
            .code()
            .map_or_else(|| "was killed".to_string(), |c| format!("exited with {c}"));
        return Err(if lines.is_empty() {
            format!("`{shown}` {how}")
        } else {
            format!("`{shown}` {how}: {}", lines.join("\n  "))
        });
    }
    std::fs::read(&out_path).map_err(|e| format!("cannot read the output of `{shown}`: {e}"))
}

/// The command as the user would type it: the program's name and the arguments.
fn shown(invocation: &Invocation) -> String {
    let mut words = vec![
        invocation
            .program
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
    ];
    words.extend(
        invocation
            .args
            .iter()
            .map(|a| a.to_string_lossy().into_owned()),
    );
    words.join(" ")
}

fn seconds(limit: Duration) -> String {
    let ms = limit.as_millis();
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}
