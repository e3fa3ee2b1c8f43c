//! A compose file as `docker compose` sees it: every service with `extends` applied and the
//! default override file laid over it, plus the `.env` values for interpolation. Rules decide
//! "missing X" on the merged view and point into the file as written.

use super::merge::{Extends, extends, extends_within_budget, merge_service, resolve_extends};
use super::vars::Env;
use super::{Compose, Service, depends_on};
use crate::formats::yaml::Node;

/// The names `docker compose` looks for, in its order of preference.
pub const DEFAULT_FILE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// The override files `docker compose` reads beside a default file; the first one found is used.
pub const OVERRIDE_FILE_NAMES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// A compose file with its surroundings applied.
#[derive(Debug)]
pub struct Project<'a> {
    pub file: &'a Compose,
    /// Values from the `.env` beside the file.
    pub env: &'a Env,
    /// The override file merged in, by name.
    pub override_file: Option<String>,
    pub services: Vec<ServiceView<'a>>,
}

/// One service of the linted file, three ways.
#[derive(Debug)]
pub struct ServiceView<'a> {
    /// As written (anchors and merge keys resolved): for findings about what is there.
    pub service: Service<'a>,
    /// With `extends` of the same file applied.
    pub own: Node,
    /// `own` with the override file's definition of the service laid over it: for "missing X".
    pub merged: Node,
    /// A whole service rather than a fragment: it has `image` or `build` once merged, and its
    /// `extends` chain could be followed. Fragments (partial override files, services that
    /// extend another file) are not judged by "missing X" rules.
    pub complete: bool,
}

impl<'a> ServiceView<'a> {
    pub fn name(&self) -> &'a str {
        self.service.name
    }

    /// The service's key in the linted file, where "missing X" findings point.
    pub fn key(&self) -> &'a Node {
        self.service.key
    }

    /// A key of the merged service.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.merged.get(key)
    }

    /// A key as written in the linted file (for pointing at it), extends not applied.
    pub fn written(&self, key: &str) -> Option<&'a Node> {
        self.service.get(key)
    }
}

/// A service whose `extends` is not followed: complete only when it has none.
fn unresolved(service: &Node) -> (Node, bool) {
    (service.clone(), extends(service) == Extends::None)
}

impl<'a> Project<'a> {
    /// The view of `file` with what its unit builder read beside it: the `.env` values and
    /// the override file, if any.
    pub fn of(file: &'a Compose) -> Project<'a> {
        let around = &file.surroundings;
        let over = around.override_file.as_deref().map(|o| (o.name, &o.file));
        Project::new(file, &around.env, over)
    }

    /// Build the view of `file`, with the `.env` values and the override file, if any.
    pub fn new(file: &'a Compose, env: &'a Env, over: Option<(&str, &Compose)>) -> Project<'a> {
        // Past the budget the file has a parse error, and `extends` is not followed.
        let services_node = file
            .root
            .as_ref()
            .and_then(|r| r.get("services"))
            .filter(|s| extends_within_budget(s));
        let over_services = over.and_then(|(_, c)| c.root.as_ref()?.get("services").cloned());
        let follow_over = over_services.as_ref().is_some_and(extends_within_budget);
        let services = file
            .services()
            .into_iter()
            .map(|service| {
                let (own, mut complete) = match services_node {
                    Some(all) => resolve_extends(all, service.node),
                    None => unresolved(service.node),
                };
                let merged = match over_services
                    .as_ref()
                    .and_then(|all| Some((all, all.get(service.name)?)))
                {
                    Some((all, over_node)) => {
                        let (over_node, ok) = if follow_over {
                            resolve_extends(all, over_node)
                        } else {
                            unresolved(over_node)
                        };
                        complete &= ok;
                        merge_service(&own, &over_node)
                    }
                    None => own.clone(),
                };
                complete &= merged.get("image").is_some() || merged.get("build").is_some();
                ServiceView {
                    service,
                    own,
                    merged,
                    complete,
                }
            })
            .collect();
        Project {
            file,
            env,
            override_file: over.map(|(name, _)| name.to_string()),
            services,
        }
    }

    /// Whether a service runs once and exits, so the rules for long-running services leave it
    /// alone: another service waits for it to complete, it sets `restart: "no"`, or its
    /// `deploy.restart_policy.condition` is `none`.
    pub fn is_one_shot(&self, view: &ServiceView) -> bool {
        let restart = view.get("restart").and_then(Node::as_str);
        if restart == Some("no") || view.get("restart").and_then(Node::as_bool) == Some(false) {
            return true;
        }
        let condition = view
            .merged
            .path(&["deploy", "restart_policy", "condition"])
            .and_then(Node::as_str);
        if condition == Some("none") {
            return true;
        }
        self.services.iter().any(|other| {
            depends_on(&other.merged).iter().any(|d| {
                d.name == view.name()
                    && d.condition.as_deref() == Some("service_completed_successfully")
            })
        })
    }

    /// The services judged by "missing X" rules: whole services that run long.
    pub fn long_running(&self) -> impl Iterator<Item = &ServiceView<'a>> {
        self.services
            .iter()
            .filter(|v| v.complete && !self.is_one_shot(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::compose::{ComposeFile, parse};

    fn compose(text: &str) -> Compose {
        match parse("compose.yaml", text) {
            ComposeFile::Yaml(c) => c,
            ComposeFile::Dotenv(_) => panic!(),
        }
    }

    #[test]
    fn override_and_one_shot() {
        let base = compose(
            "services:\n  web:\n    image: app:1\n    depends_on:\n      migrate:\n        condition: service_completed_successfully\n  migrate:\n    image: app:1\n  job:\n    image: app:1\n    restart: \"no\"\n  dev:\n    build: .\n    deploy:\n      restart_policy:\n        condition: none\n",
        );
        let over =
            compose("services:\n  web:\n    restart: always\n  extra:\n    ports: ['80:80']\n");
        let env = Env::default();
        let p = Project::new(&base, &env, Some(("compose.override.yaml", &over)));
        let names: Vec<&str> = p.long_running().map(ServiceView::name).collect();
        assert_eq!(names, ["web"]);
        let web = &p.services[0];
        assert_eq!(web.get("restart").unwrap().as_str(), Some("always"));
        assert!(web.written("restart").is_none());
    }

    #[test]
    fn fragments_are_not_complete() {
        let c = compose("services:\n  web:\n    ports: ['80:80']\n");
        let env = Env::default();
        let p = Project::new(&c, &env, None);
        assert!(!p.services[0].complete);
    }
}
