//! How messages name what they judge. One file or stream may hold many objects (a
//! multi-document manifest, `kubectl kustomize` output), so a container is always named with
//! its object: container `web` of `Deployment/web`. An object without `metadata.name` is named
//! by its kind alone (`Pod`), as `Object::label` does everywhere.
use crate::formats::k8s::{Container, Object};

/// `` container `web` of `Deployment/web` ``, or `` the container of `Pod` `` when both are
/// unnamed.
pub(crate) fn container(container: &Container) -> String {
    format!(
        "{} of {}",
        container.label(),
        object(container.workload.object)
    )
}

/// `` `Deployment/web` ``, or `` `Pod` `` for an object without a name.
pub(crate) fn object(object: &Object) -> String {
    format!("`{}`", object.label())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::k8s::parse;

    fn names(text: &str) -> Vec<(String, String)> {
        let manifest = parse(text);
        manifest
            .objects
            .iter()
            .filter_map(Object::workload)
            .flat_map(|w| w.containers())
            .map(|c| (container(&c), object(c.workload.object)))
            .collect()
    }

    #[test]
    fn named_and_unnamed() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: x\n";
        assert_eq!(
            names(text),
            [
                (
                    "container `app` of `Deployment/web`".to_string(),
                    "`Deployment/web`".to_string()
                ),
                ("the container of `Pod`".to_string(), "`Pod`".to_string()),
            ]
        );
    }
}
