//! A `.timer` whose unit is not among the unit files of its directory.
use crate::formats::systemd::{Beside, UnitKind};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/timer-without-unit",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/systemd/timer-without-unit.md"),
    check: Check::Systemd(check),
};

fn check(unit: &Unit, cx: &mut Ctx) {
    let Some(beside) = unit.beside.as_ref() else {
        return;
    };
    if unit.kind != UnitKind::Timer || unit.partial {
        return;
    }
    // A unit directory of the operating system (an image overlay of `usr/lib/systemd/system/`,
    // `etc/systemd/system/`) is where packages install their units too; and a directory that
    // holds no unit besides timers does not show where the repository keeps its services. In
    // both, the unit may well come from a package: only a directory that ships the
    // repository's own units is expected to hold the timer's.
    if unit.system_path || unit.user_path || !ships_units(beside, &unit.name) {
        return;
    }
    let explicit = unit.get("Timer", "Unit");
    let target = match explicit {
        Some(entry) => entry.value.trim().to_string(),
        None => match unit.name.strip_suffix(".timer") {
            Some(stem) => format!("{stem}.service"),
            None => return,
        },
    };
    if target.is_empty() || exists(beside, &target) {
        return;
    }
    let (span, message) = match explicit {
        Some(entry) => (
            entry.value_span,
            format!("`{target}` is not among the unit files beside the timer"),
        ),
        None => match unit.header("Timer").or_else(|| unit.header("Unit")) {
            Some(header) => (
                header,
                format!("the timer starts `{target}`, which is not beside it"),
            ),
            None => return,
        },
    };
    cx.report(span, message).help(
        "commit the unit beside its timer or fix `Unit=`; for a unit installed by a package, suppress with a reason",
    );
}

/// Whether the timer's directory holds a unit file other than timers.
fn ships_units(beside: &Beside, timer: &str) -> bool {
    beside.files.iter().any(|name| {
        name != timer
            && !matches!(UnitKind::of(name), UnitKind::Timer | UnitKind::Other)
            && name.contains('.')
    })
}

/// Whether the unit file exists beside the timer; an instance (`a@b.service`, or one named
/// with a specifier such as `a@%i.service`) is provided by its template (`a@.service`).
fn exists(beside: &Beside, name: &str) -> bool {
    if !name.contains('%') && beside.exists(name) {
        return true;
    }
    match (name.split_once('@'), name.rfind('.')) {
        (Some((prefix, _)), Some(dot)) => {
            let suffix = name.get(dot..).unwrap_or("");
            beside.exists(&format!("{prefix}@{suffix}"))
        }
        _ => false,
    }
}
