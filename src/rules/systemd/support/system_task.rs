//! System tasks, and the sandboxing a unit cannot take: the facts shared by the hardening rules.
//!
//! A system task prepares or tears down the machine itself: an early-boot or shutdown unit, a
//! one-shot setup job made of the operating system's own programs, a unit that does nothing
//! but order others. It runs as root by design, often before `/tmp`, `/home` or `/var` exist,
//! so the advice written for long-running daemons (a dedicated user, a capability bounding
//! set, `NoNewPrivileges=`, a read-only OS, finite timeouts) does not apply to it.
use crate::formats::shell::{self, Dialect, Word};
use crate::formats::systemd::{Unit, UnitKind};

/// Units of early boot (and of the initrd): a service ordered before one of them, or pulled
/// in by one, runs while the system is still being set up.
const EARLY_UNITS: [&str; 13] = [
    "sysinit.target",
    "local-fs.target",
    "local-fs-pre.target",
    "swap.target",
    "cryptsetup.target",
    "cryptsetup-pre.target",
    "initrd.target",
    "initrd-fs.target",
    "initrd-root-fs.target",
    "initrd-root-device.target",
    "initrd-switch-root.target",
    "sysroot.mount",
    "systemd-remount-fs.service",
];

/// Whether a service is a system task (see the module's documentation):
/// - `DefaultDependencies=no`, which systemd reserves for early-boot and late-shutdown units;
/// - ordered `Before=`, or pulled in (`WantedBy=`, `RequiredBy=`) by, a unit of early boot, a
///   mount or a swap unit;
/// - a no-op: every command is `true` or `false` (a unit that only orders others);
/// - a `Type=oneshot` job that is not started by a timer and runs only programs of the
///   operating system (`/usr`, `/bin`, `/sbin`, `/lib`, not `/usr/local`), such as a remount,
///   a `sysctl` or a `udevadm trigger`.
pub(crate) fn is_system_task(unit: &Unit) -> bool {
    if unit.kind != UnitKind::Service {
        return false;
    }
    if unit.bool("Unit", "DefaultDependencies") == Some(false) {
        return true;
    }
    let early = |key: &str, section: &str| {
        unit.list(section, key)
            .iter()
            .flat_map(|e| e.value.split_whitespace())
            .any(is_early_unit)
    };
    if early("Before", "Unit") || early("WantedBy", "Install") || early("RequiredBy", "Install") {
        return true;
    }
    let commands: Vec<Vec<Word>> = unit
        .exec_lines()
        .flat_map(|e| shell::read(&e.value, Dialect::Systemd))
        .map(|c| c.words)
        .collect();
    let no_op = !commands.is_empty()
        && commands.iter().all(|words| {
            words
                .first()
                .is_some_and(|w| matches!(shell::basename(&w.text), "true" | "false"))
        });
    if no_op {
        return true;
    }
    unit.service_type() == "oneshot"
        && !unit.timer_activated
        && commands.iter().all(|words| runs_os_program(words))
}

fn is_early_unit(name: &str) -> bool {
    EARLY_UNITS.contains(&name)
        || name.starts_with("initrd-")
        || name.ends_with(".mount")
        || name.ends_with(".swap")
}

/// Programs that run the script named by their first argument.
const INTERPRETERS: [&str; 12] = [
    "sh", "bash", "dash", "zsh", "ksh", "python", "python3", "perl", "ruby", "node", "php", "env",
];

/// Whether a command runs a program of the operating system: a bare name, or a path under the
/// OS's own directories; for an interpreter, also the script it runs.
fn runs_os_program(words: &[Word]) -> bool {
    let Some(first) = words.first() else {
        return true;
    };
    if !is_os_path(&first.text) {
        return false;
    }
    if !INTERPRETERS.contains(&shell::basename(&first.text)) {
        return true;
    }
    // `sh -c '…'` runs inline text; otherwise the first operand is the script.
    let mut args = words.iter().skip(1).map(|w| w.text.as_str());
    for arg in args.by_ref() {
        if arg == "-c" {
            return true;
        }
        if !arg.starts_with('-') {
            return is_os_path(arg);
        }
    }
    true
}

/// A bare program name (found on systemd's search path), or a path under `/usr`, `/bin`,
/// `/sbin` or `/lib` outside `/usr/local`.
fn is_os_path(word: &str) -> bool {
    if !word.contains('/') {
        return true;
    }
    !word.starts_with("/usr/local/")
        && ["/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/"]
            .iter()
            .any(|dir| word.starts_with(dir))
}

/// Programs that write the OS's own directories: mounts and remounts, package and boot
/// managers. `ProtectSystem=` would make their run fail.
const OS_WRITERS: [&str; 27] = [
    "mount",
    "umount",
    "apt",
    "apt-get",
    "dpkg",
    "dnf",
    "yum",
    "rpm",
    "zypper",
    "pacman",
    "apk",
    "rpm-ostree",
    "ostree",
    "bootc",
    "bootctl",
    "grub-install",
    "grub2-install",
    "update-grub",
    "grub-mkconfig",
    "grub2-mkconfig",
    "update-initramfs",
    "dracut",
    "kernel-install",
    "snap",
    "flatpak",
    "update-ca-trust",
    "update-ca-certificates",
];

/// Programs that write every file named by their arguments.
const FILE_WRITERS: [&str; 6] = ["rm", "mkdir", "touch", "tee", "chmod", "chown"];

/// Programs that write their last argument (the destination).
const COPIERS: [&str; 5] = ["cp", "mv", "install", "ln", "rsync"];

/// Directories that `ProtectSystem=` makes read-only (`full` adds `/etc`).
const OS_DIRS: [&str; 4] = ["/usr", "/boot", "/efi", "/etc"];

/// Whether the unit writes or remounts the OS's directories (`/usr`, `/boot`, `/efi`, `/etc`):
/// a mount or a package manager, a file command on one of them, or a `ReadWritePaths=` that
/// opens one. Asking it for `ProtectSystem=` would break it.
pub(crate) fn writes_os(unit: &Unit) -> bool {
    let in_os = |arg: &str| {
        OS_DIRS
            .iter()
            .any(|d| arg == *d || arg.strip_prefix(d).is_some_and(|r| r.starts_with('/')))
    };
    let opened = unit
        .list("Service", "ReadWritePaths")
        .iter()
        .flat_map(|e| e.value.split_whitespace())
        .any(|p| in_os(p.trim_start_matches(['-', '+'])));
    opened
        || unit.exec_lines().any(|entry| {
            // Inline shell text (`sh -c 'mount -o remount,rw /usr'`) is split as well.
            let commands = shell::read(&entry.value, Dialect::Systemd);
            let tokens: Vec<&str> = commands
                .iter()
                .flat_map(|c| &c.words)
                .flat_map(|w| w.text.split([' ', '\t', ';']))
                .filter(|t| !t.is_empty())
                .collect();
            tokens.iter().enumerate().any(|(i, token)| {
                let program = shell::basename(token);
                let args = tokens.get(i + 1..).unwrap_or_default();
                OS_WRITERS.contains(&program)
                    || (FILE_WRITERS.contains(&program) && args.iter().any(|a| in_os(a)))
                    || (COPIERS.contains(&program) && args.last().is_some_and(|a| in_os(a)))
            })
        })
}

/// Whether hiding the home directories would break the unit: a user unit (its programs and
/// data live in the user's home), or a service whose program, working directory or
/// environment file is under `/home`, `/root` or `~`.
pub(crate) fn needs_home(unit: &Unit) -> bool {
    if unit.is_user_unit() {
        return true;
    }
    let in_home = |path: &str| {
        let path = path.trim_start_matches(['-', '!', '+', '@', ':', '|']);
        path.starts_with('~')
            || ["/home", "/root"]
                .iter()
                .any(|d| path == *d || path.strip_prefix(d).is_some_and(|r| r.starts_with('/')))
    };
    let program = unit.exec_lines().any(|e| {
        shell::read(&e.value, Dialect::Systemd)
            .first()
            .and_then(|c| c.words.first())
            .is_some_and(|w| in_home(&w.text))
    });
    let setting = ["WorkingDirectory", "EnvironmentFile", "ReadWritePaths"]
        .iter()
        .any(|key| {
            unit.list("Service", key)
                .iter()
                .flat_map(|e| e.value.split_whitespace())
                .any(in_home)
        });
    program || setting
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(text: &str) -> Unit {
        Unit::single("app.service", "app.service", text)
    }

    #[test]
    fn early_boot_and_setup_jobs_are_system_tasks() {
        for text in [
            "[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/usr/local/bin/x\n",
            "[Unit]\nBefore=sysinit.target\n[Service]\nExecStart=/opt/x\n",
            "[Unit]\nBefore=var.mount\n[Service]\nExecStart=/opt/x\n",
            "[Service]\nExecStart=/opt/x\n[Install]\nWantedBy=local-fs.target\n",
            "[Service]\nExecStart=/usr/bin/true\n",
            "[Service]\nType=oneshot\nExecStart=/usr/bin/mount -o remount,rw /usr\n",
            "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo 1 > /sys/x'\n",
        ] {
            assert!(is_system_task(&unit(text)), "{text}");
        }
        for text in [
            "[Service]\nExecStart=/usr/bin/app\n",
            "[Unit]\nBefore=shutdown.target\n[Service]\nExecStart=/usr/bin/app\n",
            "[Service]\nType=oneshot\nExecStart=/usr/local/bin/backup\n",
            "[Service]\nType=oneshot\nExecStart=/usr/bin/python3 /opt/app/job.py\n",
            "[Service]\nType=oneshot\nExecStart=/opt/app/migrate\n",
            "[Socket]\nListenStream=80\n",
        ] {
            assert!(!is_system_task(&unit(text)), "{text}");
        }
        let mut job = unit("[Service]\nType=oneshot\nExecStart=/usr/bin/find /var/cache -delete\n");
        assert!(is_system_task(&job));
        job.timer_activated = true;
        assert!(!is_system_task(&job));
    }

    #[test]
    fn os_writers_and_home_users() {
        assert!(writes_os(&unit(
            "[Service]\nExecStart=/usr/bin/mount -o remount,rw /usr\n"
        )));
        assert!(writes_os(&unit(
            "[Service]\nExecStart=/usr/bin/cp a /etc/app.conf\n"
        )));
        assert!(writes_os(&unit(
            "[Service]\nReadWritePaths=/usr/share/app\n"
        )));
        assert!(!writes_os(&unit(
            "[Service]\nExecStart=/usr/bin/cp /etc/a /var/lib/a\n"
        )));
        assert!(needs_home(&unit("[Service]\nExecStart=/home/pi/bot/run\n")));
        assert!(needs_home(&unit("[Service]\nWorkingDirectory=~\n")));
        assert!(!needs_home(&unit("[Service]\nExecStart=/usr/bin/app\n")));
        assert!(!needs_home(&unit("[Service]\nExecStart=/usr/bin/homer\n")));
    }
}
