//! Probes that name a port their container does not declare.
use super::names;
use crate::formats::yaml::Style;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/probe-port-mismatch",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/probe-port-mismatch.md"),
    check: Check::K8s(check),
};

const PROBES: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe"];

fn check(manifest: &Manifest, cx: &mut Ctx) {
    // A patch that adds a probe names a port its base declares.
    if manifest.is_patch() {
        return;
    }
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        for container in workload.long_running_containers() {
            let declared: Vec<&str> = container
                .node
                .get("ports")
                .into_iter()
                .flat_map(Node::items)
                .filter_map(|p| p.get("name").and_then(Node::as_str))
                .collect();
            for probe in PROBES {
                for handler in ["httpGet", "tcpSocket", "grpc"] {
                    let Some(port) = container.node.path(&[probe, handler, "port"]) else {
                        continue;
                    };
                    let Some(scalar) = port.as_scalar() else {
                        continue;
                    };
                    if port.as_i64().is_some() || scalar.is_null() {
                        continue;
                    }
                    let name = scalar.text.as_str();
                    if handler == "grpc" {
                        cx.report(
                            port.span,
                            format!("`{probe}` of {} gives gRPC port `{name}`, but gRPC probes take only a number", names::container(&container)),
                        )
                        .help("write the port number");
                    } else if scalar.style == Style::Quoted
                        && name.bytes().all(|b| b.is_ascii_digit())
                    {
                        cx.report(
                            port.span,
                            format!("`{probe}` of {} gives port `{name}` as a string, which Kubernetes reads as a port name and rejects", names::container(&container)),
                        )
                        .help("write the port number without quotes");
                    } else if !declared.contains(&name) {
                        cx.report(
                            port.span,
                            format!("`{probe}` of {} uses port `{name}`, which the container's `ports` do not name", names::container(&container)),
                        )
                        .help("name the port in the container's `ports`, or give the probe the port number");
                    }
                }
            }
        }
    }
}
