//! Constrained profile: services without an OOM priority, with an unkillable one, or with a
//! memory cap that swap can bypass.
use crate::formats::systemd::UnitKind;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/missing-oom-policy",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/systemd/missing-oom-policy.md"),
    check: Check::Systemd(check),
};

/// At or below this `OOMScoreAdjust=`, the kernel practically never picks the process.
const UNKILLABLE: i64 = -900;

fn check(unit: &Unit, cx: &mut Ctx) {
    // Runs only with the constrained profile: the registry leaves it out otherwise.
    if unit.kind != UnitKind::Service || unit.partial {
        return;
    }
    let Some(header) = unit.header("Service") else {
        return;
    };
    let mut fine = true;
    match unit.get("Service", "OOMScoreAdjust") {
        None => {
            fine = false;
            cx.report(header, "the service has no OOM priority")
                .help("set `OOMScoreAdjust=`: high (up to `1000`) for expendable services, lower for important ones");
        }
        Some(entry) => match entry.value.trim().parse::<i64>() {
            Ok(score) if score <= UNKILLABLE => {
                fine = false;
                cx.report(
                    entry.span,
                    format!("`OOMScoreAdjust={score}` makes the service practically unkillable"),
                )
                .help("use a value above `-900` so that a leak in this service does not kill everything else first");
            }
            _ => {}
        },
    }
    if let Some(max) = unit.get("Service", "MemoryMax")
        && !max.value.trim().eq_ignore_ascii_case("infinity")
        && unit.get("Service", "MemorySwapMax").is_none()
    {
        fine = false;
        cx.report(
            max.span,
            format!(
                "`MemoryMax={}` without `MemorySwapMax=` lets the service spill into swap",
                max.value
            ),
        )
        .help("add `MemorySwapMax=` (`0` to forbid swap)");
    }
    if fine && let Some(entry) = unit.get("Service", "OOMScoreAdjust") {
        cx.pass(
            entry.span,
            format!("OOM priority set to `{}`", entry.value.trim()),
        );
    }
}
