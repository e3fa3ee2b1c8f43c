//! Containers whose effective `runAsUser` is 0.
use crate::formats::k8s::ContainerSet;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/root-user",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/root-user.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        // A pod-level `runAsUser: 0` is one place: one finding naming every container it reaches.
        // Each place: its span, whether the container sets it itself, the containers it
        // reaches, and whether they all are init containers that run to completion.
        let mut places: Vec<(Span, bool, Vec<String>, bool)> = vec![];
        for container in workload.containers() {
            let Some(user) = container.security_field("runAsUser") else {
                continue;
            };
            if user.as_i64() != Some(0) {
                continue;
            }
            let own = container.own_security_field("runAsUser").is_some();
            let who = format!("`{}`", container.name().unwrap_or("unnamed"));
            let init = container.set == ContainerSet::Init;
            match places.iter_mut().find(|(span, ..)| *span == user.span) {
                Some((_, _, names, all_init)) => {
                    names.push(who);
                    *all_init &= init;
                }
                None => places.push((user.span, own, vec![who], init)),
            }
        }
        for (span, own, names, all_init) in places {
            let object = workload.object.label();
            let (noun, verb) = if names.len() == 1 {
                ("container", "runs")
            } else {
                ("containers", "run")
            };
            let names = names.join(", ");
            let message = if own {
                format!("{noun} {names} of `{object}` {verb} as UID `0` (root)")
            } else {
                format!(
                    "the pod of `{object}` sets `runAsUser: 0`, so {noun} {names} {verb} as root"
                )
            };
            let finding = cx.report(span, message).help(
                "set `runAsUser` to a non-zero UID, such as `10001`, and `runAsNonRoot: true`",
            );
            // An init container runs its one command to completion before the app starts and
            // serves nothing: root there (often to `chown` a volume) is a risk, not an opening.
            if all_init {
                finding.severity = Severity::Warning;
            }
        }
    }
}
