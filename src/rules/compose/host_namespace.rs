//! Services that share the host's process, IPC or user namespace.
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/host-namespace",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/host-namespace.md"),
    check: Check::Compose(check),
};

/// The keys, what sharing the host's namespace through each exposes, and what to do instead.
const KEYS: &[(&str, &str, &str)] = &[
    (
        "pid",
        "sees and can signal every process of the host",
        "remove `pid: host`; to share processes with one other service, use `pid: \"service:<name>\"`",
    ),
    (
        "ipc",
        "shares the host's shared memory and semaphores",
        "remove `ipc: host`; to share memory with one other service, use `ipc: \"service:<name>\"`",
    ),
    (
        "userns_mode",
        "opts out of the user namespace remapping the daemon is configured with",
        "remove `userns_mode: host` so the container's root stays an unprivileged user on the host",
    ),
];

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for service in compose.services() {
        for (key, effect, help) in KEYS {
            let Some(value) = service.get(key) else {
                continue;
            };
            // Docker compares the mode exactly: `host` is the only spelling it accepts.
            let mode = value.as_str().map(|v| project.env.interpolate(v));
            if mode.as_deref() == Some("host") {
                let finding = cx
                    .report(
                        value.span,
                        format!("service `{}` sets `{key}: host` and {effect}", service.name),
                    )
                    .help(*help);
                // Without remapping the container's root is the host's root anyway: opting out
                // takes a layer away but opens nothing by itself.
                if *key == "userns_mode" {
                    finding.severity = Severity::Warning;
                }
            }
        }
    }
}
