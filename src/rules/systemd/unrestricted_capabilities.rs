//! Root services that keep the full capability set.
use super::privilege::{CapSet, DANGEROUS, bounding_set, runs_as, service_owner};
use super::system_task::is_system_task;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/unrestricted-capabilities",
    severity: Severity::Warning,
    default: false,
    doc: include_str!("../../../rules/systemd/unrestricted-capabilities.md"),
    check: Check::Systemd(check),
};

const HELP: &str = "list the capabilities the service needs in `CapabilityBoundingSet=` (an empty `CapabilityBoundingSet=` drops them all)";

fn check(unit: &Unit, cx: &mut Ctx) {
    // Early-boot units and one-shot setup jobs need root's capabilities for their work.
    if !runs_as(unit).is_root() || is_system_task(unit) {
        return;
    }
    let last = unit.all("Service", "CapabilityBoundingSet").last();
    let Some(last) = last else {
        if let Some(owner) = service_owner(unit) {
            cx.report(
                owner,
                "the root service keeps every capability: no `CapabilityBoundingSet=`",
            )
            .help(HELP);
        }
        return;
    };
    match bounding_set(unit) {
        CapSet::Only(caps) if caps.is_empty() => {
            cx.pass(last.span, "the capability bounding set is empty");
        }
        CapSet::Only(caps) => {
            let names: Vec<String> = caps.iter().map(|c| format!("`CAP_{c}`")).collect();
            cx.pass(
                last.span,
                format!(
                    "the capability bounding set keeps only {}",
                    names.join(", ")
                ),
            );
        }
        set @ CapSet::AllBut(_) => {
            // A deny list keeps everything it does not name, including capabilities that newer
            // kernels add; it is only judged by what it leaves of the root-equivalent ones.
            let kept: Vec<String> = DANGEROUS
                .iter()
                .filter(|c| set.contains(c))
                .map(|c| format!("`CAP_{c}`"))
                .collect();
            if !kept.is_empty() {
                cx.report(
                    last.span,
                    format!(
                        "the root service keeps {}: `CapabilityBoundingSet=` only removes the capabilities it lists",
                        kept.join(", ")
                    ),
                )
                .help(HELP);
            }
        }
    }
}
