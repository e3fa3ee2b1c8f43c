//! The Kubernetes model: the objects of a manifest stream, with one `Workload` view over every
//! kind that runs pods, so a rule says "for each container" once.

pub mod facts;
pub mod kustomization;
pub mod selector;
pub mod unit;

use crate::formats::ParseError;
use crate::formats::yaml::{self, Node};
use crate::source::Span;

/// The objects of one manifest file (every document, `List` items expanded).
#[derive(Debug, Default)]
pub struct Manifest {
    pub objects: Vec<Object>,
    pub errors: Vec<ParseError>,
    /// Keys written twice in one mapping (non-fatal).
    pub duplicate_keys: Vec<ParseError>,
    /// Whether the file is a patch that a tool merges into whole objects, read from its name and
    /// the kustomizations around it by the lint unit (`unit.rs`); `None` when it is applied as
    /// written or nothing is known about its surroundings.
    pub patch: Option<Patch>,
}

/// A file of partial objects: what it leaves out comes from the object it patches, so the rules
/// that judge a whole object (a missing probe, limit, security setting or selector) leave it
/// alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Patch {
    /// A kubeadm patch of one of the control plane's static Pods or of kubeadm's own
    /// configuration, named by its file name (`kube-apiserver0+strategic.yaml`).
    Kubeadm { target: &'static str },
    /// A file that a kustomization lists as a patch; `kustomization` is that kustomization's
    /// path from the file's directory (`../kustomization.yaml`).
    Kustomize { kustomization: String },
}

/// One Kubernetes object.
#[derive(Debug)]
pub struct Object {
    pub root: Node,
    /// `kind` and `apiVersion`, read once: every rule asks for them on every object, and the
    /// tree lookup dominated the rule pass on large bundles.
    kind: Box<str>,
    api_version: Box<str>,
}

/// Kinds whose pods run workloads, and where their pod template is.
const POD_TEMPLATE_PATHS: &[(&str, &[&str])] = &[
    ("Pod", &[]),
    ("Deployment", &["spec", "template"]),
    ("StatefulSet", &["spec", "template"]),
    ("DaemonSet", &["spec", "template"]),
    ("ReplicaSet", &["spec", "template"]),
    ("ReplicationController", &["spec", "template"]),
    ("Job", &["spec", "template"]),
    ("CronJob", &["spec", "jobTemplate", "spec", "template"]),
];

/// Parse a manifest stream.
pub fn parse(text: &str) -> Manifest {
    let stream = yaml::parse(text);
    let mut objects = Vec::new();
    for root in stream.documents.into_iter().filter_map(|d| d.root) {
        let is_list = root.get("kind").and_then(Node::as_str) == Some("List")
            || root
                .get("kind")
                .and_then(Node::as_str)
                .is_some_and(|k| k.ends_with("List") && root.get("items").is_some());
        if is_list {
            if let Some(items) = root.get("items").and_then(Node::as_seq) {
                objects.extend(
                    items
                        .iter()
                        .filter(|i| is_object(i))
                        .map(|i| Object::new(i.clone())),
                );
            }
        } else if is_object(&root) {
            objects.push(Object::new(root));
        }
    }
    Manifest {
        objects,
        errors: stream.errors,
        duplicate_keys: stream.duplicate_keys,
        patch: None,
    }
}

fn is_object(node: &Node) -> bool {
    node.get("apiVersion").is_some() && node.get("kind").is_some()
}

impl Object {
    fn new(root: Node) -> Object {
        let text = |key| root.get(key).and_then(Node::as_str).unwrap_or("").into();
        Object {
            kind: text("kind"),
            api_version: text("apiVersion"),
            root,
        }
    }

    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    pub fn kind(&self) -> &str {
        &self.kind
    }

    pub fn metadata(&self) -> Option<&Node> {
        self.root.get("metadata")
    }

    /// `metadata.name`, if written.
    pub fn name(&self) -> Option<&str> {
        self.root.path(&["metadata", "name"]).and_then(Node::as_str)
    }

    /// `metadata.namespace`, if written (objects without one land in the namespace of the
    /// `kubectl` context, usually `default`).
    pub fn namespace(&self) -> Option<&str> {
        self.root
            .path(&["metadata", "namespace"])
            .and_then(Node::as_str)
    }

    /// Where a finding about the object as a whole points: its `metadata.name` value, else
    /// its `kind`.
    pub fn anchor(&self) -> Span {
        self.root
            .path(&["metadata", "name"])
            .or_else(|| self.root.get("kind"))
            .map_or(self.root.span, |n| n.span)
    }

    /// `Kind/name` for messages.
    pub fn label(&self) -> String {
        match self.name() {
            Some(name) => format!("{}/{name}", self.kind()),
            None => self.kind().to_string(),
        }
    }

    /// The object's annotation value for `key`.
    pub fn annotation(&self, key: &str) -> Option<&Node> {
        self.root.path(&["metadata", "annotations", key])
    }

    /// The pod-running view of this object, when its kind runs pods and has a pod spec.
    pub fn workload(&self) -> Option<Workload<'_>> {
        let kind = self.kind();
        let (_, path) = POD_TEMPLATE_PATHS.iter().find(|(k, _)| *k == kind)?;
        let template = self.root.path(path)?;
        let pod = template.get("spec")?;
        pod.as_map()?;
        Some(Workload {
            object: self,
            kind: WorkloadKind::of(kind),
            template,
            pod,
        })
    }
}

/// The kinds of workload; batch kinds run to completion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    ReplicationController,
    Job,
    CronJob,
}

impl WorkloadKind {
    fn of(kind: &str) -> WorkloadKind {
        match kind {
            "Deployment" => WorkloadKind::Deployment,
            "StatefulSet" => WorkloadKind::StatefulSet,
            "DaemonSet" => WorkloadKind::DaemonSet,
            "ReplicaSet" => WorkloadKind::ReplicaSet,
            "ReplicationController" => WorkloadKind::ReplicationController,
            "Job" => WorkloadKind::Job,
            "CronJob" => WorkloadKind::CronJob,
            _ => WorkloadKind::Pod,
        }
    }
}

/// An object that runs pods: its pod template (the object itself for a Pod) and pod spec.
#[derive(Clone, Copy, Debug)]
pub struct Workload<'a> {
    pub object: &'a Object,
    pub kind: WorkloadKind,
    /// The pod template (`metadata` + `spec`); for a Pod, the object.
    pub template: &'a Node,
    /// The pod spec.
    pub pod: &'a Node,
}

/// Which list of the pod spec a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerSet {
    Containers,
    /// `initContainers` that run to completion before the app starts.
    Init,
    /// `initContainers` with `restartPolicy: Always`: native sidecars that run alongside.
    Sidecar,
    Ephemeral,
}

/// One container of a pod spec.
#[derive(Clone, Copy, Debug)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub set: ContainerSet,
    pub workload: Workload<'a>,
}

impl<'a> Workload<'a> {
    /// Job and CronJob pods, and Pods with `restartPolicy: Never|OnFailure`, run to completion:
    /// the rules for long-running services (probes, network policies) leave them alone.
    pub fn is_batch(&self) -> bool {
        match self.kind {
            WorkloadKind::Job | WorkloadKind::CronJob => true,
            WorkloadKind::Pod => matches!(
                self.pod.get("restartPolicy").and_then(Node::as_str),
                Some("Never" | "OnFailure")
            ),
            _ => false,
        }
    }

    /// Every container of every set, in the order written.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (key, set) in [
            ("initContainers", ContainerSet::Init),
            ("containers", ContainerSet::Containers),
            ("ephemeralContainers", ContainerSet::Ephemeral),
        ] {
            for node in self.pod.get(key).into_iter().flat_map(Node::items) {
                let set = if set == ContainerSet::Init
                    && node.get("restartPolicy").and_then(Node::as_str) == Some("Always")
                {
                    ContainerSet::Sidecar
                } else {
                    set
                };
                out.push(Container {
                    node,
                    set,
                    workload: *self,
                });
            }
        }
        out
    }

    /// Containers that run for the life of the pod: app containers and native sidecars.
    pub fn long_running_containers(&self) -> Vec<Container<'a>> {
        self.containers()
            .into_iter()
            .filter(|c| matches!(c.set, ContainerSet::Containers | ContainerSet::Sidecar))
            .collect()
    }

    /// The pod template's labels (the object's own for a Pod).
    pub fn pod_labels(&self) -> Option<&'a Node> {
        self.template.path(&["metadata", "labels"])
    }

    /// The pod-level `securityContext`.
    pub fn pod_security_context(&self) -> Option<&'a Node> {
        self.pod.get("securityContext")
    }

    /// Pods for Windows nodes (`spec.os.name: windows`, or a `kubernetes.io/os: windows` node
    /// selector): Linux-only settings such as capabilities do not apply to them.
    pub fn is_windows(&self) -> bool {
        self.pod.path(&["os", "name"]).and_then(Node::as_str) == Some("windows")
            || self
                .pod
                .path(&["nodeSelector", "kubernetes.io/os"])
                .and_then(Node::as_str)
                == Some("windows")
    }

    /// An annotation on the object or on its pod template.
    pub fn annotation(&self, key: &str) -> Option<&'a Node> {
        self.object
            .annotation(key)
            .or_else(|| self.template.path(&["metadata", "annotations", key]))
    }
}

impl<'a> Container<'a> {
    pub fn name(&self) -> Option<&'a str> {
        self.node.get("name").and_then(Node::as_str)
    }

    /// Where a "missing X" finding about the container points: its `name` value.
    pub fn anchor(&self) -> Span {
        self.node.get("name").map_or(self.node.span, |n| n.span)
    }

    pub fn image(&self) -> Option<&'a Node> {
        self.node.get("image")
    }

    /// The effective security-context field: the container's own, else the pod's (for the
    /// fields a pod-level `securityContext` can set).
    pub fn security_field(&self, field: &str) -> Option<&'a Node> {
        self.node
            .path(&["securityContext", field])
            .or_else(|| self.workload.pod.path(&["securityContext", field]))
    }

    /// The container-level `securityContext.<field>` only.
    pub fn own_security_field(&self, field: &str) -> Option<&'a Node> {
        self.node.path(&["securityContext", field])
    }

    /// `name` for messages: `` `web` `` or `the container`.
    pub fn label(&self) -> String {
        match self.name() {
            Some(name) => format!("container `{name}`"),
            None => "the container".to_string(),
        }
    }
}

/// The annotation prefix that silences a Kubernetes rule for one object:
/// `ignore.infralint.io/root-user: "reason"` silences `k8s/root-user`.
pub const IGNORE_ANNOTATION_PREFIX: &str = "ignore.infralint.io/";

/// One `ignore.infralint.io/<rule-name>: "reason"` annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreAnnotation<'a> {
    /// The annotated object: the findings it silences lie inside.
    pub object: Span,
    /// The rule name without the `k8s/` prefix, as written.
    pub rule: &'a str,
    /// The annotation key.
    pub key: Span,
    /// The whole annotation, key and value.
    pub span: Span,
    /// The value, when it says something.
    pub reason: Option<&'a str>,
}

impl Manifest {
    /// Whether the file holds patches rather than whole objects.
    pub fn is_patch(&self) -> bool {
        self.patch.is_some()
    }

    /// The rules silenced by `ignore.infralint.io/<rule-name>` annotations on an object's own
    /// metadata or on its pod template.
    pub fn annotation_ignores(&self) -> Vec<IgnoreAnnotation<'_>> {
        let mut out = Vec::new();
        for object in &self.objects {
            // A Pod is its own template.
            let template = object
                .workload()
                .map(|w| w.template)
                .filter(|t| !std::ptr::eq(*t, &object.root));
            let sources = [Some(&object.root), template];
            for annotations in sources
                .into_iter()
                .flatten()
                .filter_map(|n| n.path(&["metadata", "annotations"]))
            {
                for (key, key_node, value) in annotations.pairs() {
                    if let Some(rule) = key.strip_prefix(IGNORE_ANNOTATION_PREFIX) {
                        out.push(IgnoreAnnotation {
                            object: object.root.span,
                            rule,
                            key: key_node.span,
                            span: key_node.span.cover(value.span),
                            reason: value.as_str().map(str::trim).filter(|r| !r.is_empty()),
                        });
                    }
                }
            }
        }
        out
    }
}

/// Whether a label selector (`matchLabels` and `matchExpressions`, all of which must hold)
/// selects a set of labels. An empty or absent selector selects everything, as it does in a
/// NetworkPolicy's `podSelector`; an operator Kubernetes does not know selects nothing.
pub fn selector_matches(selector: Option<&Node>, labels: Option<&Node>) -> bool {
    match selector {
        None => true,
        Some(selector) => selector::LabelSelector::parse(selector).is_ok_and(|s| s.matches(labels)),
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    #[test]
    fn workloads_and_containers() {
        let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          initContainers:\n          - name: proxy\n            image: envoy:1\n            restartPolicy: Always\n          - name: migrate\n            image: app:1\n          containers:\n          - name: job\n            image: app:1\n";
        let m = parse(text);
        assert!(m.errors.is_empty());
        let w = m.objects[0].workload().unwrap();
        assert_eq!(w.kind, WorkloadKind::CronJob);
        assert!(w.is_batch());
        let sets: Vec<_> = w
            .containers()
            .iter()
            .map(|c| (c.name().unwrap(), c.set))
            .collect();
        assert_eq!(
            sets,
            [
                ("proxy", ContainerSet::Sidecar),
                ("migrate", ContainerSet::Init),
                ("job", ContainerSet::Containers)
            ]
        );
        assert_eq!(w.long_running_containers().len(), 2);
    }

    #[test]
    fn lists_and_several_documents() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: c\n    image: x:1\n";
        let m = parse(text);
        let labels: Vec<_> = m.objects.iter().map(Object::label).collect();
        assert_eq!(labels, ["Service/a", "ConfigMap/b", "Pod/p"]);
        let pod = m.objects[2].workload().unwrap();
        let c = pod.containers()[0];
        assert_eq!(
            c.security_field("runAsNonRoot").unwrap().as_bool(),
            Some(true)
        );
        assert!(c.own_security_field("runAsNonRoot").is_none());
        assert!(!pod.is_batch());
    }

    #[test]
    fn non_objects_are_ignored() {
        let m = parse("name: x\n---\n- a\n");
        assert!(m.objects.is_empty());
        let m = parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n");
        assert!(m.objects[0].workload().is_none());
    }

    #[test]
    fn label_selectors() {
        let labels = yaml::parse("app: api\ntier: backend\n").documents[0]
            .root
            .clone()
            .unwrap();
        let sel = |text: &str| {
            let root = yaml::parse(text).documents[0].root.clone().unwrap();
            selector_matches(Some(&root), Some(&labels))
        };
        assert!(selector_matches(None, Some(&labels)));
        assert!(sel("{}"));
        assert!(sel("matchLabels: {app: api}"));
        assert!(!sel("matchLabels: {app: web}"));
        assert!(!sel("matchLabels: {team: x}"));
        assert!(sel(
            "matchExpressions: [{key: app, operator: In, values: [api, web]}]"
        ));
        assert!(!sel(
            "matchExpressions: [{key: app, operator: NotIn, values: [api]}]"
        ));
        assert!(sel(
            "matchExpressions: [{key: team, operator: NotIn, values: [x]}]"
        ));
        assert!(sel("matchExpressions: [{key: tier, operator: Exists}]"));
        assert!(!sel(
            "matchExpressions: [{key: tier, operator: DoesNotExist}]"
        ));
        assert!(!sel("matchExpressions: [{key: tier, operator: Matches}]"));
        assert!(!sel(
            "matchLabels: {app: api}\nmatchExpressions: [{key: team, operator: Exists}]"
        ));
    }

    #[test]
    fn ignore_annotations_on_object_and_template() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    ignore.infralint.io/externally-exposed-service: lab\n    other/x: y\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    metadata:\n      annotations: {ignore.infralint.io/root-user: migration}\n    spec:\n      containers: []\n";
        let m = parse(text);
        let got: Vec<(&str, Option<&str>)> = m
            .annotation_ignores()
            .into_iter()
            .map(|a| (a.rule, a.reason))
            .collect();
        assert_eq!(
            got,
            [
                ("externally-exposed-service", Some("lab")),
                ("root-user", Some("migration"))
            ]
        );
    }
}
