//! The run-wide facts of Kubernetes manifests: the objects that rules of other files judge by
//! (NetworkPolicies, PodDisruptionBudgets, HorizontalPodAutoscalers). Gathered from every
//! manifest of the run and of its context before any rule runs.

use super::selector::LabelSelector;
use super::{Manifest, Object};
use crate::formats::yaml::Node;

/// What the manifests of a run tell the rules of each other.
#[derive(Debug, Default)]
pub struct Facts {
    /// The NetworkPolicies of the run: namespace (`None`: not written) and the policy's spec.
    pub network_policies: Vec<(Option<String>, Node)>,
    /// The PodDisruptionBudgets of the run, for `k8s/missing-pod-disruption-budget`.
    pub disruption_budgets: Vec<DisruptionBudget>,
    /// The HorizontalPodAutoscalers of the run: they set a workload's replica floor.
    pub autoscalers: Vec<Autoscaler>,
}

/// The kinds whose objects give facts: a manifest that names none is not parsed when it is only
/// read for its facts.
pub const KINDS: [&str; 3] = [
    "NetworkPolicy",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
];

impl Facts {
    /// Add what one manifest contributes.
    pub fn collect(&mut self, manifest: &Manifest) {
        for object in &manifest.objects {
            if object.kind() == "NetworkPolicy"
                && let Some(spec) = object.root.get("spec")
            {
                self.network_policies
                    .push((object.namespace().map(str::to_string), spec.clone()));
            }
            if object.kind() == "PodDisruptionBudget" {
                self.disruption_budgets.push(DisruptionBudget::of(object));
            }
            if object.kind() == "HorizontalPodAutoscaler"
                && let Some(autoscaler) = Autoscaler::of(object)
            {
                self.autoscalers.push(autoscaler);
            }
        }
    }

    /// Append the facts of other files (gathered after these, in the run's file order).
    pub fn extend(&mut self, other: Facts) {
        self.network_policies.extend(other.network_policies);
        self.disruption_budgets.extend(other.disruption_budgets);
        self.autoscalers.extend(other.autoscalers);
    }
}

/// A PodDisruptionBudget as the run-wide pass sees it.
#[derive(Debug)]
pub struct DisruptionBudget {
    pub namespace: Option<String>,
    pub name: String,
    /// The pods it selects; `None` when `spec.selector` is unset or malformed, which selects
    /// no pod. An empty selector selects every pod of the namespace in `policy/v1`, none in
    /// `policy/v1beta1`; that is resolved here.
    pub selector: Option<LabelSelector>,
    pub min_available: Option<Node>,
    pub max_unavailable: Option<Node>,
}

/// A HorizontalPodAutoscaler's target and replica floor.
#[derive(Debug)]
pub struct Autoscaler {
    pub namespace: Option<String>,
    pub name: String,
    /// `scaleTargetRef.kind` and `.name`.
    pub target_kind: String,
    pub target_name: String,
    /// `minReplicas` (default 1).
    pub min_replicas: i64,
}

impl DisruptionBudget {
    fn of(object: &Object) -> DisruptionBudget {
        let spec = object.root.get("spec");
        let selector = spec
            .and_then(|s| s.get("selector"))
            .filter(|n| !n.is_null())
            .and_then(|n| LabelSelector::parse(n).ok())
            .filter(|s| !(s.is_empty() && object.api_version() == "policy/v1beta1"));
        let field = |key: &str| spec.and_then(|s| s.get(key)).cloned();
        DisruptionBudget {
            namespace: object.namespace().map(str::to_string),
            name: object.name().unwrap_or("").to_string(),
            selector,
            min_available: field("minAvailable"),
            max_unavailable: field("maxUnavailable"),
        }
    }
}

impl Autoscaler {
    fn of(object: &Object) -> Option<Autoscaler> {
        let spec = object.root.get("spec")?;
        let target = spec.get("scaleTargetRef")?;
        Some(Autoscaler {
            namespace: object.namespace().map(str::to_string),
            name: object.name().unwrap_or("").to_string(),
            target_kind: target.get("kind")?.as_str()?.to_string(),
            target_name: target.get("name")?.as_str()?.to_string(),
            min_replicas: spec
                .get("minReplicas")
                .and_then(|n| n.as_i64())
                .unwrap_or(1),
        })
    }
}
