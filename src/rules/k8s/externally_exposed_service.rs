//! Services and ports reachable from outside the cluster: open load balancers, node ports,
//! external IPs and host ports.
use super::names;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/externally-exposed-service",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/k8s/externally-exposed-service.md"),
    check: Check::K8s(check),
};

/// Annotations that make a cloud load balancer internal (reachable from the private network
/// only), with the value that does it.
const INTERNAL_LB_ANNOTATIONS: &[(&str, &str)] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
    ("networking.gke.io/load-balancer-type", "Internal"),
    ("cloud.google.com/load-balancer-type", "Internal"),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        "true",
    ),
];

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for object in &manifest.objects {
        if object.kind() == "Service" && object.api_version() == "v1" {
            check_service(object, cx);
        }
        let Some(workload) = object.workload() else {
            continue;
        };
        for container in workload.containers() {
            for port in container
                .node
                .get("ports")
                .into_iter()
                .flat_map(Node::items)
            {
                let Some(entry) = port.entry("hostPort") else {
                    continue;
                };
                if entry.value.as_i64().is_none_or(|p| p == 0) {
                    continue;
                }
                let number = entry.value.as_str().unwrap_or("");
                cx.report(
                    entry.key.span.cover(entry.value.span),
                    format!("{} binds host port `{number}` on its node", names::container(&container)),
                )
                .help("remove `hostPort` and reach the container through a ClusterIP Service or an Ingress");
            }
        }
    }
}

fn check_service(service: &Object, cx: &mut Ctx) {
    let Some(spec) = service.root.get("spec") else {
        return;
    };
    let label = service.label();
    let mut exposed = false;
    let kind = spec.get("type");
    match kind.and_then(Node::as_str) {
        Some("NodePort") => {
            exposed = true;
            if let Some(node) = kind {
                cx.report(
                    node.span,
                    format!("`{label}` opens a port on every node of the cluster"),
                )
                .help("use a ClusterIP Service behind an Ingress or Gateway, or a load balancer restricted with `loadBalancerSourceRanges`");
            }
        }
        Some("LoadBalancer") => {
            exposed = true;
            let restricted = spec
                .get("loadBalancerSourceRanges")
                .and_then(Node::as_seq)
                .is_some_and(|r| !r.is_empty());
            let internal = INTERNAL_LB_ANNOTATIONS.iter().any(|(key, value)| {
                service
                    .annotation(key)
                    .and_then(Node::as_str)
                    .is_some_and(|v| v.eq_ignore_ascii_case(value))
            });
            if !restricted
                && !internal
                && let Some(node) = kind
            {
                cx.report(
                    node.span,
                    format!("`{label}` is a load balancer open to any source address"),
                )
                .help("list the allowed client networks in `loadBalancerSourceRanges`, or make the load balancer internal");
            }
        }
        _ => {}
    }
    if let Some(entry) = spec.entry("externalIPs")
        && entry.value.as_seq().is_some_and(|ips| !ips.is_empty())
    {
        exposed = true;
        cx.report(
            entry.key.span,
            format!("`{label}` accepts traffic on external IP addresses"),
        )
        .help("remove `externalIPs` and expose the Service through an Ingress or a restricted load balancer");
    }
    let headless_or_cluster = matches!(kind.and_then(Node::as_str), None | Some("ClusterIP"));
    if !exposed && headless_or_cluster {
        cx.pass(
            service.anchor(),
            format!("`{label}` is reachable only inside the cluster"),
        );
    }
}
