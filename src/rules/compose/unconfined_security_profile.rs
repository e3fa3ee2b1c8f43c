//! Services that switch off seccomp, AppArmor, SELinux labelling or the masking of system paths.
use super::security_opt::security_opts;
use crate::formats::compose::Project;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/unconfined-security-profile",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/unconfined-security-profile.md"),
    check: Check::Compose(check),
};

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    for service in compose.services() {
        for opt in security_opts(service.node, project.env) {
            // Seccomp, AppArmor and SELinux are layers against kernel bugs and missing
            // settings; writable `/proc/sys` and `/proc/sysrq-trigger` are the host itself.
            let (effect, host) = match (opt.key.as_str(), opt.value.as_deref(), opt.equals) {
                ("seccomp", Some("unconfined"), _) => ("runs without a seccomp filter", false),
                ("apparmor", Some("unconfined"), _) => ("runs without an AppArmor profile", false),
                ("label", Some("disable"), _) => ("turns off SELinux label separation", false),
                // Compose itself handles only this exact spelling; with `:` the daemon
                // refuses the option and the container is not created.
                ("systempaths", Some("unconfined"), true) => (
                    "unmasks the `/proc` and `/sys` paths the runtime hides and makes them writable",
                    true,
                ),
                _ => continue,
            };
            let finding = cx
                .report(
                    opt.node.span,
                    format!("service `{}` {effect} (`{}`)", service.name, opt.text),
                )
                .help("remove the entry; if a syscall or path is really needed, allow just that one in a custom profile");
            if !host {
                finding.severity = Severity::Warning;
            }
        }
    }
}
