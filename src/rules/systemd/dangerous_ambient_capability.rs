//! `AmbientCapabilities=` that hand a non-root service a root-equivalent capability.
use super::privilege::{
    CapLine, CapSet, DANGEROUS, RunsAs, bounding_set, cap_lines, fold_caps, runs_as,
};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/dangerous-ambient-capability",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/systemd/dangerous-ambient-capability.md"),
    check: Check::Systemd(check),
};

const HELP: &str = "grant only the capability the service needs (`CAP_NET_BIND_SERVICE` for a low port), or move the privileged step into an `ExecStartPre=+` command";

fn check(unit: &Unit, cx: &mut Ctx) {
    let runs = runs_as(unit);
    // Root holds every capability in the bounding set anyway (`root-service` and
    // `unrestricted-capabilities` judge it), and the per-user manager has none to hand out.
    if unit.kind != UnitKind::Service || runs.is_root() || matches!(runs, RunsAs::UserManager) {
        return;
    }
    let lines = cap_lines(unit, "AmbientCapabilities");
    let granted = fold_caps(&lines, &CapSet::none());
    let bounding = bounding_set(unit);
    // systemd drops ambient capabilities that the bounding set does not keep.
    let dangerous: Vec<&str> = DANGEROUS
        .into_iter()
        .filter(|c| granted.contains(c) && bounding.contains(c))
        .collect();
    if dangerous.is_empty() {
        return;
    }
    // The lines that still count: those after the last one that replaced the whole set.
    let start = lines
        .iter()
        .rposition(|l| l.caps.is_empty())
        .unwrap_or_default();
    let live = lines.get(start..).unwrap_or_default();
    let mut by_inversion: Vec<(&CapLine, Vec<&str>)> = Vec::new();
    for cap in dangerous {
        if let Some((line, range)) = named(live, cap) {
            let message = if cap == NETWORK_ONLY {
                format!("`AmbientCapabilities=` grants `CAP_{cap}`: control of the host's network")
            } else {
                format!("`AmbientCapabilities=` grants the root-equivalent `CAP_{cap}`")
            };
            let finding = cx.report(line.entry.source_span(range), message).help(HELP);
            if cap == NETWORK_ONLY {
                finding.severity = Severity::Warning;
            }
        } else if let Some(line) = live.iter().rev().find(|l| l.invert) {
            match by_inversion
                .iter_mut()
                .find(|(l, _)| std::ptr::eq(*l, line))
            {
                Some((_, caps)) => caps.push(cap),
                None => by_inversion.push((line, vec![cap])),
            }
        }
    }
    for (line, caps) in by_inversion {
        let names: Vec<String> = caps.iter().map(|c| format!("`CAP_{c}`")).collect();
        let network_only = caps.iter().all(|c| *c == NETWORK_ONLY);
        let finding = cx.report(
            line.entry.span,
            format!(
                "`AmbientCapabilities=~…` grants every capability it does not list, among them the root-equivalent {}",
                names.join(", ")
            ),
        )
        .help(HELP);
        if network_only {
            finding.severity = Severity::Warning;
        }
    }
}

/// The one capability of the list that is the daily tool of network daemons (VPN clients,
/// `systemd-networkd` itself runs with it ambient): it rules the host's network, not the whole
/// host, so granting it alone is a warning.
const NETWORK_ONLY: &str = "NET_ADMIN";

/// The last plain (not `~`) line that names a capability, with the name's range in its value.
fn named<'a>(
    lines: &'a [CapLine<'a>],
    cap: &str,
) -> Option<(&'a CapLine<'a>, std::ops::Range<usize>)> {
    lines.iter().rev().filter(|l| !l.invert).find_map(|l| {
        l.caps
            .iter()
            .find(|(name, _)| name == cap)
            .map(|(_, range)| (l, range.clone()))
    })
}
