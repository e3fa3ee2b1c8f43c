//! RBAC roles that grant everything, and bindings that hand out `cluster-admin`.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "k8s/rbac-wildcard",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/k8s/rbac-wildcard.md"),
    check: Check::K8s(check),
};

fn check(manifest: &Manifest, cx: &mut Ctx) {
    for object in &manifest.objects {
        if !object
            .api_version()
            .starts_with("rbac.authorization.k8s.io/")
        {
            continue;
        }
        match object.kind() {
            "Role" | "ClusterRole" => roles(object, cx),
            "RoleBinding" | "ClusterRoleBinding" => binding(object, cx),
            _ => {}
        }
    }
}

/// API groups that serve reads only: the resource and custom metrics APIs implement `get`,
/// `list` and `watch` and nothing else, so every verb there is a read of metrics.
const READ_ONLY_GROUPS: &[&str] = &[
    "metrics.k8s.io",
    "custom.metrics.k8s.io",
    "external.metrics.k8s.io",
];

/// Whether a rule names its API groups and every one of them serves reads only.
fn read_only_groups(rule: &Node) -> bool {
    let mut groups = rule
        .get("apiGroups")
        .into_iter()
        .flat_map(Node::items)
        .peekable();
    groups.peek().is_some()
        && groups.all(|g| g.as_str().is_some_and(|g| READ_ONLY_GROUPS.contains(&g)))
}

fn roles(object: &Object, cx: &mut Ctx) {
    for rule in object.root.get("rules").into_iter().flat_map(Node::items) {
        let star = |key: &str| {
            rule.get(key)
                .into_iter()
                .flat_map(Node::items)
                .find(|i| i.as_str() == Some("*"))
        };
        if let (Some(verb), Some(_)) = (star("verbs"), star("resources")) {
            if read_only_groups(rule) {
                let finding = cx
                    .report(
                        verb.span,
                        format!(
                            "`{}` allows every verb on every resource of its metrics API groups, which serve reads only{}",
                            object.label(),
                            if object.kind() == "ClusterRole" {
                                ", cluster-wide"
                            } else {
                                ", in its namespace"
                            }
                        ),
                    )
                    .help("list the resources and the `get`, `list` and `watch` verbs the subject needs");
                finding.severity = Severity::Warning;
                continue;
            }
            cx.report(
                verb.span,
                format!(
                    "`{}` allows every verb on every resource{}",
                    object.label(),
                    scope(object, rule)
                ),
            )
            .help("list the resources and verbs the subject needs");
        }
    }
}

/// Which API groups a wildcard rule covers, for the message.
fn scope(object: &Object, rule: &Node) -> String {
    let all_groups = rule
        .get("apiGroups")
        .into_iter()
        .flat_map(Node::items)
        .any(|g| g.as_str() == Some("*"));
    let where_ = if object.kind() == "ClusterRole" {
        "cluster-wide"
    } else {
        "in its namespace"
    };
    if all_groups {
        format!(" of every API group, {where_}")
    } else {
        format!(" of its API groups, {where_}")
    }
}

fn binding(object: &Object, cx: &mut Ctx) {
    let Some(role) = object.root.path(&["roleRef", "name"]) else {
        return;
    };
    let role_kind = object
        .root
        .path(&["roleRef", "kind"])
        .and_then(Node::as_str);
    if role.as_str() != Some("cluster-admin") || role_kind != Some("ClusterRole") {
        return;
    }
    let subjects: Vec<String> = object
        .root
        .get("subjects")
        .into_iter()
        .flat_map(Node::items)
        .filter(|s| !is_system(s))
        .map(|s| {
            let kind = s.get("kind").and_then(Node::as_str).unwrap_or("subject");
            let name = s.get("name").and_then(Node::as_str).unwrap_or("");
            format!("{kind} `{name}`")
        })
        .collect();
    if subjects.is_empty() {
        return;
    }
    let where_ = if object.kind() == "ClusterRoleBinding" {
        "the whole cluster".to_string()
    } else {
        match object.namespace() {
            Some(ns) => format!("namespace `{ns}`"),
            None => "its namespace".to_string(),
        }
    };
    cx.report(
        role.span,
        format!(
            "`{}` gives `cluster-admin` over {where_} to {}",
            object.label(),
            subjects.join(", ")
        ),
    )
    .help("bind a role that lists only the permissions the subject needs");
}

/// Users and groups the cluster itself manages (`system:masters`, `system:kube-controller-manager`).
fn is_system(subject: &Node) -> bool {
    matches!(
        subject.get("kind").and_then(Node::as_str),
        Some("User" | "Group")
    ) && subject
        .get("name")
        .and_then(Node::as_str)
        .is_some_and(|n| n.starts_with("system:"))
}
