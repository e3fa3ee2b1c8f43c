//! Replicated workloads that no PodDisruptionBudget protects, and budgets that allow no
//! disruption at all.
use crate::formats::k8s::facts::DisruptionBudget;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/missing-pod-disruption-budget",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/k8s/missing-pod-disruption-budget.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    // A Kustomize patch is a partial object: what it leaves out comes from its base.
    if manifest.is_patch() {
        return;
    }
    for object in &manifest.objects {
        if object.kind() == "PodDisruptionBudget" {
            budget(object, cx);
        }
    }
    for workload in manifest.objects.iter().filter_map(Object::workload) {
        let object = workload.object;
        if !matches!(object.kind(), "Deployment" | "StatefulSet") {
            continue;
        }
        let Some((replicas, replicas_at, scaled_by_hpa)) = replicas(object, cx) else {
            continue;
        };
        if replicas < 2 {
            continue;
        }
        let labels = workload.pod_labels();
        let covering: Vec<&DisruptionBudget> = cx
            .run()
            .k8s
            .disruption_budgets
            .iter()
            .filter(|b| b.namespace.as_deref() == object.namespace())
            .filter(|b| b.selector.as_ref().is_some_and(|s| s.matches(labels)))
            .collect();
        if covering.is_empty() {
            cx.report(
                object.anchor(),
                format!(
                    "`{}` runs {}{replicas} replicas and no PodDisruptionBudget selects its pods",
                    object.label(),
                    if scaled_by_hpa { "at least " } else { "" }
                ),
            )
            .help("add a PodDisruptionBudget with `maxUnavailable: 1` selecting the pod template's labels");
            continue;
        }
        let allowing = covering
            .iter()
            .find(|b| allowed(b, replicas).is_none_or(|n| n > 0));
        if let Some(budget) = allowing {
            cx.pass(
                object.anchor(),
                format!(
                    "`{}` is covered by `PodDisruptionBudget/{}`, which allows evictions",
                    object.label(),
                    budget.name
                ),
            );
            continue;
        }
        // Budgets that forbid disruptions whatever the replica count are reported on the budget.
        if let Some(budget) = covering.iter().find(|b| !forbids_always(b)) {
            cx.report(
                replicas_at,
                format!(
                    "`PodDisruptionBudget/{}` lets none of the {replicas} pods of `{}` be evicted",
                    budget.name,
                    object.label()
                ),
            )
            .help("lower `minAvailable` below the replica count, or use `maxUnavailable: 1`");
        }
    }
}

/// The replica floor of a workload, where it is written, and whether an autoscaler sets it: an
/// HPA's `minReplicas` when one targets it, else `spec.replicas` (default 1). `None` when it
/// cannot be known.
fn replicas(object: &Object, cx: &Ctx) -> Option<(i64, Span, bool)> {
    let name = object.name()?;
    let autoscaler = cx.run().k8s.autoscalers.iter().find(|a| {
        a.namespace.as_deref() == object.namespace()
            && a.target_kind == object.kind()
            && a.target_name == name
    });
    if let Some(autoscaler) = autoscaler {
        return Some((autoscaler.min_replicas, object.anchor(), true));
    }
    match object.root.path(&["spec", "replicas"]) {
        Some(node) => node.as_i64().map(|n| (n, node.span, false)),
        None => Some((1, object.anchor(), false)),
    }
}

/// Report a budget that forbids every voluntary disruption, whatever the replica count.
fn budget(object: &Object, cx: &mut Ctx) {
    let Some(spec) = object.root.get("spec") else {
        return;
    };
    for key in ["maxUnavailable", "minAvailable"] {
        let Some(value) = spec.get(key) else {
            continue;
        };
        let forbids = match amount(value) {
            Some(Amount::Count(0) | Amount::Percent(0)) => key == "maxUnavailable",
            Some(Amount::Percent(p)) => key == "minAvailable" && p >= 100,
            _ => false,
        };
        if forbids {
            cx.report(
                value.span,
                format!(
                    "`{}` allows no voluntary disruption, so node drains and cluster upgrades stall on its pods",
                    object.label()
                ),
            )
            .help("allow at least one pod to be evicted, such as `maxUnavailable: 1`");
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Amount {
    Count(i64),
    Percent(i64),
}

/// An int-or-percent value: `2` or `"50%"`.
fn amount(node: &Node) -> Option<Amount> {
    if let Some(n) = node.as_i64() {
        return Some(Amount::Count(n));
    }
    let text = node.as_str()?.trim();
    text.strip_suffix('%')?.parse().ok().map(Amount::Percent)
}

/// `percent` of `replicas`, rounded up as the disruption controller does.
fn scaled(percent: i64, replicas: i64) -> i64 {
    (percent.saturating_mul(replicas) + 99) / 100
}

/// How many pods the budget lets be evicted at `replicas` healthy pods; `None` when unknown.
fn allowed(budget: &DisruptionBudget, replicas: i64) -> Option<i64> {
    if let Some(max) = &budget.max_unavailable {
        return match amount(max)? {
            Amount::Count(n) => Some(n),
            Amount::Percent(p) => Some(scaled(p, replicas)),
        };
    }
    let min = budget.min_available.as_ref()?;
    match amount(min)? {
        Amount::Count(n) => Some(replicas - n),
        Amount::Percent(p) => Some(replicas - scaled(p, replicas)),
    }
}

/// `maxUnavailable: 0` or `minAvailable: 100%`: no disruption at any scale.
fn forbids_always(budget: &DisruptionBudget) -> bool {
    if let Some(max) = &budget.max_unavailable {
        return matches!(amount(max), Some(Amount::Count(0) | Amount::Percent(0)));
    }
    budget
        .min_available
        .as_ref()
        .is_some_and(|m| matches!(amount(m), Some(Amount::Percent(p)) if p >= 100))
}
