//! Services without `ProtectSystem=`, `ProtectHome=` and `PrivateTmp=`.
use crate::formats::systemd::{UnitKind, parse_bool};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/unprotected-filesystem",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/systemd/unprotected-filesystem.md"),
    check: Check::Systemd(check),
};

fn check(unit: &Unit, cx: &mut Ctx) {
    // Early-boot services (`DefaultDependencies=no`) may run before `/tmp`, `/home` or `/var`
    // are mounted; systemd-analyze calls these settings "not appropriate" for them.
    if unit.kind != UnitKind::Service
        || unit.partial
        || unit.bool("Unit", "DefaultDependencies") == Some(false)
    {
        return;
    }
    let Some(header) = unit.header("Service") else {
        return;
    };
    let mut missing = Vec::new();
    for (key, good) in [
        ("ProtectSystem", &["strict", "full"][..]),
        ("ProtectHome", &["read-only", "tmpfs"][..]),
        ("PrivateTmp", &["disconnected"][..]),
    ] {
        let set = match unit.get("Service", key) {
            Some(entry) => {
                let value = entry.value.trim();
                parse_bool(value) == Some(true) || good.contains(&value)
            }
            None => false,
        };
        if !set && !unit.implied_by_dynamic_user(key) {
            missing.push(format!("`{key}=`"));
        }
    }
    if missing.is_empty() {
        cx.pass(header, "the OS, home directories and `/tmp` are protected");
        return;
    }
    let list = match missing.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    };
    cx.report(header, format!("the service runs without {list}"))
        .help("add `ProtectSystem=strict` (with `ReadWritePaths=` for its data), `ProtectHome=yes` and `PrivateTmp=yes`");
}
