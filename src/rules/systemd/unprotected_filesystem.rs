//! Services without `ProtectSystem=`, `ProtectHome=` and `PrivateTmp=`.
use super::system_task::{is_system_task, needs_home, writes_os};
use crate::formats::systemd::{UnitKind, parse_bool};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/unprotected-filesystem",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/systemd/unprotected-filesystem.md"),
    check: Check::Systemd(check),
};

fn check(unit: &Unit, cx: &mut Ctx) {
    // Early-boot services (`DefaultDependencies=no`) may run before `/tmp`, `/home` or `/var`
    // are mounted, and setup jobs change the system itself; systemd-analyze calls these
    // settings "not appropriate" for such units.
    if unit.kind != UnitKind::Service || unit.partial || is_system_task(unit) {
        return;
    }
    let Some(header) = unit.header("Service") else {
        return;
    };
    // A setting that would break the unit is neither asked for nor needed for the praise: a
    // read-only OS for a unit that writes or remounts it, hidden homes for a unit living there.
    let mut missing = Vec::new();
    let mut unset = 0;
    for (key, good, fits) in [
        ("ProtectSystem", &["strict", "full"][..], !writes_os(unit)),
        (
            "ProtectHome",
            &["read-only", "tmpfs"][..],
            !needs_home(unit),
        ),
        ("PrivateTmp", &["disconnected"][..], true),
    ] {
        let set = match unit.get("Service", key) {
            Some(entry) => {
                let value = entry.value.trim();
                parse_bool(value) == Some(true) || good.contains(&value)
            }
            None => false,
        };
        if set || unit.implied_by_dynamic_user(key) {
            continue;
        }
        unset += 1;
        if fits {
            missing.push(key);
        }
    }
    if unset == 0 {
        cx.pass(header, "the OS, home directories and `/tmp` are protected");
    }
    if missing.is_empty() {
        return;
    }
    let names: Vec<String> = missing.iter().map(|k| format!("`{k}=`")).collect();
    let advice: Vec<&str> = missing
        .iter()
        .map(|k| match *k {
            "ProtectSystem" => "`ProtectSystem=strict` (with `ReadWritePaths=` for its data)",
            "ProtectHome" => "`ProtectHome=yes`",
            _ => "`PrivateTmp=yes`",
        })
        .collect();
    cx.report(header, format!("the service runs without {}", join(&names)))
        .help(format!("add {}", join(&advice)));
}

fn join<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}
