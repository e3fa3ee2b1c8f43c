//! Services that add a capability which opens a path from the container to the host.
use crate::formats::compose::Project;
use crate::rules::prelude::*;
use crate::rules::shared::capabilities::{Reach, reach};

pub(crate) static RULE: Rule = Rule {
    id: "compose/dangerous-capability",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/dangerous-capability.md"),
    check: Check::Compose(check),
};

/// Capabilities that let a process reach past the container: kernel modules, mounts, raw
/// devices, other processes' memory, host files by handle, the network stack, eBPF.
const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "DAC_READ_SEARCH",
    "NET_ADMIN",
    "BPF",
];

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for view in &project.services {
        let service = &view.service;
        let Some(cap_add) = service.get("cap_add") else {
            continue;
        };
        // Docker compares the modes exactly: `host` is the only spelling it accepts.
        let shares = |key: &str| {
            view.get(key)
                .and_then(Node::as_str)
                .is_some_and(|m| project.env.interpolate(m) == "host")
        };
        for item in cap_add.items() {
            let Some(written) = item.as_str() else {
                continue;
            };
            let Some(name) = dangerous(&project.env.interpolate(written)) else {
                continue;
            };
            let what = if name == "ALL" {
                "every capability".to_string()
            } else {
                format!("capability `{name}`")
            };
            // Within the container's own namespace, the capability reaches only the container.
            let confined = match reach(name) {
                Reach::Host => None,
                Reach::Network => (!shares("network_mode")).then_some("network namespace"),
                Reach::Processes => (!shares("pid")).then_some("PID namespace"),
            };
            let message = match confined {
                Some(ns) => format!(
                    "service `{}` adds {what}, which acts on its own {ns} only",
                    service.name
                ),
                None => format!("service `{}` adds {what}", service.name),
            };
            let finding = cx.report(item.span, message).help(
                "remove it from `cap_add` and grant only the narrow capability the process needs",
            );
            if confined.is_some() {
                finding.severity = Severity::Warning;
            }
        }
    }
}

/// The capability's canonical name when it is one of [`DANGEROUS`]. Docker upper-cases the
/// name and adds the `CAP_` prefix itself, so `sys_admin` and `CAP_SYS_ADMIN` are the same.
fn dangerous(written: &str) -> Option<&'static str> {
    let upper = written.trim().to_ascii_uppercase();
    let bare = match upper.strip_prefix("CAP_") {
        // Docker knows `ALL` only without the prefix; `CAP_ALL` is refused as unknown.
        Some("ALL") => return None,
        Some(bare) => bare,
        None => &upper,
    };
    DANGEROUS.iter().copied().find(|d| *d == bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized() {
        assert_eq!(dangerous("sys_admin"), Some("SYS_ADMIN"));
        assert_eq!(dangerous("CAP_NET_ADMIN"), Some("NET_ADMIN"));
        assert_eq!(dangerous("all"), Some("ALL"));
        assert_eq!(dangerous("NET_BIND_SERVICE"), None);
        assert_eq!(dangerous("CAP_CHOWN"), None);
        assert_eq!(dangerous("CAP_ALL"), None);
    }
}
