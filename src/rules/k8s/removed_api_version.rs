//! Objects written in an API version the API server no longer serves.
use super::names;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/removed-api-version",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/removed-api-version.md"),
    check: Check::K8s(check),
};

/// The Kubernetes minor release the manifests are judged against when `kubernetes-version` is
/// not set (every removal up to it counts).
const TARGET_MINOR: u32 = 33;

/// A removed API: `apiVersion`, kind (`*`: every kind of that version), the 1.x release that
/// stopped serving it, and the version to use instead (empty: the kind itself is gone).
struct Removal {
    api_version: &'static str,
    kind: &'static str,
    removed_in: u32,
    replacement: &'static str,
}

const fn gone(
    api_version: &'static str,
    kind: &'static str,
    removed_in: u32,
    replacement: &'static str,
) -> Removal {
    Removal {
        api_version,
        kind,
        removed_in,
        replacement,
    }
}

/// From the Kubernetes deprecated API migration guide. Kind-specific entries come before the
/// `*` entry of the same version.
const REMOVALS: &[Removal] = &[
    // 1.16
    gone("extensions/v1beta1", "Ingress", 22, "networking.k8s.io/v1"),
    gone(
        "extensions/v1beta1",
        "NetworkPolicy",
        16,
        "networking.k8s.io/v1",
    ),
    gone("extensions/v1beta1", "PodSecurityPolicy", 16, ""),
    gone("extensions/v1beta1", "*", 16, "apps/v1"),
    gone("apps/v1beta1", "*", 16, "apps/v1"),
    gone("apps/v1beta2", "*", 16, "apps/v1"),
    // 1.22
    gone(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        22,
        "admissionregistration.k8s.io/v1",
    ),
    gone(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        22,
        "admissionregistration.k8s.io/v1",
    ),
    gone(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        22,
        "apiextensions.k8s.io/v1",
    ),
    gone(
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        22,
        "apiregistration.k8s.io/v1",
    ),
    gone(
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        22,
        "authentication.k8s.io/v1",
    ),
    gone(
        "authorization.k8s.io/v1beta1",
        "SubjectAccessReview",
        22,
        "authorization.k8s.io/v1",
    ),
    gone(
        "authorization.k8s.io/v1beta1",
        "LocalSubjectAccessReview",
        22,
        "authorization.k8s.io/v1",
    ),
    gone(
        "authorization.k8s.io/v1beta1",
        "SelfSubjectAccessReview",
        22,
        "authorization.k8s.io/v1",
    ),
    gone(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        22,
        "certificates.k8s.io/v1",
    ),
    gone(
        "coordination.k8s.io/v1beta1",
        "Lease",
        22,
        "coordination.k8s.io/v1",
    ),
    gone(
        "networking.k8s.io/v1beta1",
        "Ingress",
        22,
        "networking.k8s.io/v1",
    ),
    gone(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        22,
        "networking.k8s.io/v1",
    ),
    gone(
        "rbac.authorization.k8s.io/v1beta1",
        "*",
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    gone(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        22,
        "scheduling.k8s.io/v1",
    ),
    gone(
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        22,
        "storage.k8s.io/v1",
    ),
    gone("storage.k8s.io/v1beta1", "CSINode", 22, "storage.k8s.io/v1"),
    gone(
        "storage.k8s.io/v1beta1",
        "StorageClass",
        22,
        "storage.k8s.io/v1",
    ),
    gone(
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        22,
        "storage.k8s.io/v1",
    ),
    // 1.25
    gone("batch/v1beta1", "CronJob", 25, "batch/v1"),
    gone(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        25,
        "discovery.k8s.io/v1",
    ),
    gone("events.k8s.io/v1beta1", "Event", 25, "events.k8s.io/v1"),
    gone(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        25,
        "autoscaling/v2",
    ),
    gone("policy/v1beta1", "PodDisruptionBudget", 25, "policy/v1"),
    gone("policy/v1beta1", "PodSecurityPolicy", 25, ""),
    gone("node.k8s.io/v1beta1", "RuntimeClass", 25, "node.k8s.io/v1"),
    // 1.26
    gone(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        26,
        "autoscaling/v2",
    ),
    gone(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "*",
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // 1.27
    gone(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        27,
        "storage.k8s.io/v1",
    ),
    // 1.29
    gone(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "*",
        29,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // 1.32
    gone(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "*",
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
];

fn check(manifest: &Manifest, cx: &mut Ctx) {
    let target = cx.options().kubernetes_minor().unwrap_or(TARGET_MINOR);
    for object in &manifest.objects {
        let (version, kind) = (object.api_version(), object.kind());
        let Some(removal) = REMOVALS
            .iter()
            .find(|r| r.api_version == version && (r.kind == kind || r.kind == "*"))
        else {
            continue;
        };
        if removal.removed_in > target {
            continue;
        }
        let Some(at) = object.root.get("apiVersion") else {
            continue;
        };
        let message = format!(
            "{} uses `{version}`, no longer served since Kubernetes 1.{}",
            names::object(object),
            removal.removed_in
        );
        if removal.replacement.is_empty() {
            cx.report(at.span, format!("{message}, and `{kind}` has no successor"))
                .help("enforce pod security with Pod Security Admission (namespace labels) or a policy engine, and delete this object");
        } else {
            cx.report(at.span, message).help(format!(
                "use `apiVersion: {}` and adapt the fields that changed (see the deprecated API migration guide)",
                removal.replacement
            ));
        }
    }
}
