//! Liveness probes that restart healthy containers: a copy of the readiness probe, a 1s timeout
//! without a startup probe, or a single allowed failure.
use super::names;
use crate::formats::yaml::Value;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/unreasonable-probe",
    severity: Severity::Suggestion,
    default: false,
    doc: include_str!("../../../rules/k8s/unreasonable-probe.md"),
    check: Check::K8s(check),
};

const HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];

/// Probe timing fields and the values Kubernetes uses when they are not written.
const TIMINGS: &[(&str, i64)] = &[
    ("initialDelaySeconds", 0),
    ("periodSeconds", 10),
    ("timeoutSeconds", 1),
    ("successThreshold", 1),
    ("failureThreshold", 3),
];

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        for container in workload.long_running_containers() {
            let Some(entry) = container.node.entry("livenessProbe") else {
                continue;
            };
            let liveness = &entry.value;
            let who = names::container(&container);
            let copied = container
                .node
                .get("readinessProbe")
                .is_some_and(|readiness| identical(liveness, readiness));
            if copied {
                cx.report(
                    entry.key.span,
                    format!("the liveness probe of {who} is identical to its readiness probe, so a slow dependency restarts the container instead of taking it out of rotation"),
                )
                .help("make the liveness probe check only that the process itself responds, with more tolerance than the readiness probe");
            }
            let kind = handler(liveness).map(|(h, _)| h);
            let timeout = liveness.get("timeoutSeconds");
            let short = timeout.map_or(Some(1), Node::as_i64) == Some(1);
            if let Some(kind @ ("httpGet" | "exec")) = kind
                && short
                && container.node.get("startupProbe").is_none()
            {
                // An unwritten timeout is reported at the probe, unless the probe already has
                // the copy's finding: then at its handler, whose time it limits, because a rule
                // keeps one finding per place.
                let unwritten = match liveness.entry(kind) {
                    Some(handler) if copied => handler.key.span,
                    _ => entry.key.span,
                };
                cx.report(
                    timeout.map_or(unwritten, |t| t.span),
                    format!("the liveness probe of {who} times out after 1 second and there is no startup probe"),
                )
                .help("raise `timeoutSeconds` to a few seconds, or add a `startupProbe` that covers slow starts");
            }
            if let Some(threshold) = liveness.get("failureThreshold")
                && threshold.as_i64() == Some(1)
            {
                cx.report(
                    threshold.span,
                    format!("the liveness probe of {who} restarts the container after a single failed check"),
                )
                .help("allow a few failures (`failureThreshold: 3`, the default) before a restart");
            }
        }
    }
}

/// Same handler and the same timing, counting unwritten fields at their defaults.
fn identical(a: &Node, b: &Node) -> bool {
    let (Some((ha, na)), Some((hb, nb))) = (handler(a), handler(b)) else {
        return false;
    };
    ha == hb
        && same(na, nb)
        && TIMINGS.iter().all(|(key, default)| {
            let value = |p: &Node| p.get(key).map_or(Some(*default), Node::as_i64);
            value(a) == value(b)
        })
}

/// The probe's handler: its kind and node.
fn handler(probe: &Node) -> Option<(&'static str, &Node)> {
    HANDLERS.iter().find_map(|h| probe.get(h).map(|n| (*h, n)))
}

/// Structural equality, ignoring where the nodes were written and the order of mapping keys.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Scalar(x), Value::Scalar(y)) => x.text == y.text,
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    e.key
                        .as_str()
                        .and_then(|k| b.get(k))
                        .is_some_and(|v| same(&e.value, v))
                })
        }
        _ => false,
    }
}
