//! Controllers whose selector does not select their own pod template.
use crate::formats::k8s::selector::{LabelSelector, Operator, Requirement};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/selector-mismatch",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/selector-mismatch.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    // A Kustomize patch is a partial object: what it leaves out comes from its base.
    if manifest.is_patch() {
        return;
    }
    for object in &manifest.objects {
        let kind = object.kind();
        let equality_only = match kind {
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => false,
            "ReplicationController" => true,
            _ => continue,
        };
        let Some(spec) = object.root.get("spec") else {
            continue;
        };
        let labels = spec.path(&["template", "metadata", "labels"]);
        let stable = object.api_version() == "apps/v1";
        let Some(node) = spec.get("selector").filter(|n| !n.is_null()) else {
            // Older versions and ReplicationControllers default the selector to the labels.
            if stable {
                cx.report(
                    object.anchor(),
                    format!(
                        "`{}` has no `spec.selector`, which `apps/v1` requires",
                        object.label()
                    ),
                )
                .help("add `spec.selector.matchLabels` with the pod template's identifying labels");
            }
            continue;
        };
        let parsed = if equality_only {
            LabelSelector::equality_map(node)
        } else {
            LabelSelector::parse(node)
        };
        let selector = match parsed {
            Ok(selector) => selector,
            Err(error) => {
                cx.report(
                    error.span,
                    format!("`spec.selector` of `{}` is invalid: {}", object.label(), error.message),
                )
                .help("write the selector as `matchLabels` and `matchExpressions` with `In`, `NotIn`, `Exists` or `DoesNotExist`");
                continue;
            }
        };
        if selector.is_empty() {
            if stable {
                cx.report(
                    node.span,
                    format!(
                        "`spec.selector` of `{}` is empty, which the API server rejects",
                        object.label()
                    ),
                )
                .help("select the pods by the pod template's identifying labels");
            }
            continue;
        }
        if let Some(unmet) = selector.first_unmet(labels) {
            cx.report(
                unmet.span,
                format!(
                    "`spec.selector` of `{}` requires {}, which its pod template labels do not satisfy",
                    object.label(),
                    describe(unmet)
                ),
            )
            .help("make the selector and `spec.template.metadata.labels` agree (the selector cannot change after creation)");
        }
    }
}

/// A requirement as people write it: `app=web`, `tier in (a, b)`, `!canary`.
fn describe(r: &Requirement) -> String {
    let key = &r.key;
    match r.operator {
        Operator::In if r.values.len() == 1 => {
            format!("`{key}={}`", r.values.first().map_or("", String::as_str))
        }
        Operator::In => format!("`{key} in ({})`", r.values.join(", ")),
        Operator::NotIn => format!("`{key} notin ({})`", r.values.join(", ")),
        Operator::Exists => format!("label `{key}`"),
        Operator::DoesNotExist => format!("no label `{key}`"),
    }
}
