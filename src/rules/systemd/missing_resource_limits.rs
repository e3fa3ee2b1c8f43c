//! Long-running services without a memory ceiling.
use crate::formats::systemd::UnitKind;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/missing-resource-limits",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/systemd/missing-resource-limits.md"),
    check: Check::Systemd(check),
};

fn check(unit: &Unit, cx: &mut Ctx) {
    if unit.kind != UnitKind::Service || unit.partial || unit.is_one_shot() {
        return;
    }
    let Some(header) = unit.header("Service") else {
        return;
    };
    let limit = |key: &'static str| {
        unit.get("Service", key)
            .filter(|e| !e.value.trim().eq_ignore_ascii_case("infinity"))
    };
    if let Some(entry) = limit("MemoryMax").or_else(|| limit("MemoryHigh")) {
        cx.pass(
            entry.span,
            format!("memory is capped by `{}={}`", entry.key.value, entry.value),
        );
        return;
    }
    if let Some(entry) = limit("MemoryLimit") {
        cx.pass(
            entry.span,
            format!(
                "memory is capped by the legacy `MemoryLimit={}`",
                entry.value
            ),
        )
        .help("rename it to `MemoryMax=`, which replaces it");
        return;
    }
    let infinite = unit
        .get("Service", "MemoryMax")
        .or_else(|| unit.get("Service", "MemoryHigh"));
    let (span, message) = match infinite {
        Some(entry) => (
            entry.span,
            format!("`{}=infinity` sets no ceiling", entry.key.value),
        ),
        None => (header, "the service has no memory ceiling".to_string()),
    };
    cx.report(span, message).help(
        "set `MemoryMax=` (or `MemoryHigh=`) above its normal peak; consider `CPUQuota=` and `TasksMax=` too",
    );
}
