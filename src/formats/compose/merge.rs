//! Merging service definitions the way `docker compose` does: `extends` within one file, and an
//! override file laid over the main one. Mappings merge key by key, scalars are replaced, lists
//! are appended (mounts by target, environment and labels by key); `command`, `entrypoint` and
//! `healthcheck.test` are replaced whole.

use crate::formats::yaml::{self, Entry, Node, Scalar, Style, Value};

/// How deep `extends` chains are followed (a cycle stops here).
const MAX_EXTENDS: usize = 16;

/// How many YAML nodes following the `extends` chains of one file's services may copy. Every
/// service copies its whole chain, so many services extending a large one would multiply the
/// file; ordinary files stay far below this.
pub const MAX_EXTENDS_NODES: usize = yaml::MAX_NODES;

/// Whether following every service's same-file `extends` chain copies at most
/// [`MAX_EXTENDS_NODES`] nodes; when not, `extends` is not followed in the file.
pub fn extends_within_budget(services: &Node) -> bool {
    let mut left = MAX_EXTENDS_NODES;
    for (_, _, service) in services.pairs() {
        let mut current = service;
        for _ in 0..=MAX_EXTENDS {
            let size = current.size(left);
            if size > left {
                return false;
            }
            left -= size;
            let Extends::Service(name) = extends(current) else {
                break;
            };
            let Some(base) = services.get(name) else {
                break;
            };
            current = base;
        }
    }
    true
}

/// Lay `over` on `base` (both service mappings) as Compose merges two definitions of a service.
pub fn merge_service(base: &Node, over: &Node) -> Node {
    merge_at(&[], base, over)
}

fn merge_at(path: &[&str], base: &Node, over: &Node) -> Node {
    let key = path.last().copied().unwrap_or("");
    // `!reset` and `!override` replace the base value instead of merging into it (Compose's
    // merge tags); a reset to `null` leaves the key unset.
    let tagged = matches!(over.tag.as_deref(), Some("!reset" | "!override"));
    let replaced = tagged || matches!(path, ["command"] | ["entrypoint"] | ["healthcheck", "test"]);
    if replaced {
        return over.clone();
    }
    match path {
        ["environment"]
        | ["labels"]
        | ["annotations"]
        | ["sysctls"]
        | ["build", "args"]
        | ["build", "labels"]
        | ["deploy", "labels"]
        | ["depends_on"]
        | ["networks"] => {
            return merge_maps(path, &as_map(base), &as_map(over));
        }
        ["logging"] => {
            let driver = |n: &Node| n.get("driver").and_then(Node::as_str).map(str::to_string);
            if let (Some(a), Some(b)) = (driver(base), driver(over))
                && a != b
            {
                return over.clone();
            }
        }
        ["build"] => {
            // `build: ./dir` is `build: {context: ./dir}`.
            return merge_maps(path, &as_context(base), &as_context(over));
        }
        _ => {}
    }
    match (&base.value, &over.value) {
        (Value::Map(_), Value::Map(_)) => merge_maps(path, base, over),
        (Value::Seq(a), Value::Seq(b)) => {
            let mut items: Vec<Node> = Vec::with_capacity(a.len() + b.len());
            let unique_by = |n: &Node| -> Option<String> {
                if key == "volumes" && path.len() == 1 {
                    mount_target(n)
                } else {
                    n.as_str().map(str::to_string)
                }
            };
            for item in a.iter().chain(b) {
                if let Some(id) = unique_by(item)
                    && let Some(at) = items
                        .iter()
                        .position(|i| unique_by(i).as_ref() == Some(&id))
                {
                    if let Some(slot) = items.get_mut(at) {
                        *slot = item.clone();
                    }
                    continue;
                }
                items.push(item.clone());
            }
            Node {
                span: base.span,
                value: Value::Seq(items),
                tag: None,
            }
        }
        _ => over.clone(),
    }
}

fn merge_maps(path: &[&str], base: &Node, over: &Node) -> Node {
    let mut entries: Vec<Entry> = base.as_map().map(<[Entry]>::to_vec).unwrap_or_default();
    for entry in over.as_map().unwrap_or(&[]) {
        let Some(name) = entry.key.as_str() else {
            entries.push(entry.clone());
            continue;
        };
        match entries.iter_mut().find(|e| e.key.as_str() == Some(name)) {
            Some(existing) => {
                let mut child: Vec<&str> = path.to_vec();
                child.push(name);
                existing.value = merge_at(&child, &existing.value, &entry.value);
            }
            None => entries.push(entry.clone()),
        }
    }
    Node {
        span: base.span,
        value: Value::Map(entries),
        tag: None,
    }
}

/// A list of `KEY=value` (or names) as a mapping, so both forms merge by key.
fn as_map(node: &Node) -> Node {
    let Some(items) = node.as_seq() else {
        return node.clone();
    };
    let entries = items
        .iter()
        .filter_map(|item| {
            let text = item.as_str()?;
            let (key, value) = match text.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (text, None),
            };
            let scalar = |t: &str, style| Node {
                span: item.span,
                value: Value::Scalar(Scalar {
                    text: t.to_string(),
                    style,
                }),
                tag: None,
            };
            Some(Entry {
                key: scalar(key, Style::Plain),
                value: match value {
                    Some(v) => scalar(v, Style::Quoted),
                    None => scalar("", Style::Plain),
                },
            })
        })
        .collect();
    Node {
        span: node.span,
        value: Value::Map(entries),
        tag: None,
    }
}

fn as_context(node: &Node) -> Node {
    if node.as_scalar().is_none() {
        return node.clone();
    }
    Node {
        span: node.span,
        value: Value::Map(vec![Entry {
            key: Node {
                span: node.span,
                value: Value::Scalar(Scalar {
                    text: "context".into(),
                    style: Style::Plain,
                }),
                tag: None,
            },
            value: node.clone(),
        }]),
        tag: None,
    }
}

/// The container path of a `volumes` entry, short or long form.
fn mount_target(node: &Node) -> Option<String> {
    if let Some(target) = node.get("target").and_then(Node::as_str) {
        return Some(target.to_string());
    }
    let text = node.as_str()?;
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        [target] => Some((*target).to_string()),
        [_, target, ..] => Some((*target).to_string()),
        [] => None,
    }
}

/// Where an `extends` points.
#[derive(Debug, PartialEq, Eq)]
pub enum Extends<'a> {
    None,
    /// A service of the same file.
    Service(&'a str),
    /// A service of another file, which is not read.
    OtherFile,
}

pub fn extends(service: &Node) -> Extends<'_> {
    let Some(ext) = service.get("extends") else {
        return Extends::None;
    };
    if let Some(name) = ext.as_str() {
        return Extends::Service(name);
    }
    if ext.get("file").is_some() {
        return Extends::OtherFile;
    }
    match ext.get("service").and_then(Node::as_str) {
        Some(name) => Extends::Service(name),
        None => Extends::None,
    }
}

/// A service with its same-file `extends` chain applied, and whether the chain could be
/// followed completely (`false` when it leaves the file, is broken or loops).
pub fn resolve_extends(services: &Node, service: &Node) -> (Node, bool) {
    resolve(services, service, 0)
}

fn resolve(services: &Node, service: &Node, depth: usize) -> (Node, bool) {
    match extends(service) {
        Extends::None => (service.clone(), true),
        Extends::OtherFile => (service.clone(), false),
        Extends::Service(name) => {
            let Some(base) = services.get(name) else {
                return (service.clone(), false);
            };
            if depth >= MAX_EXTENDS {
                return (service.clone(), false);
            }
            let (base, complete) = resolve(services, base, depth + 1);
            (merge_service(&base, &without(service, "extends")), complete)
        }
    }
}

fn without(node: &Node, key: &str) -> Node {
    let entries = node
        .as_map()
        .unwrap_or(&[])
        .iter()
        .filter(|e| e.key.as_str() != Some(key))
        .cloned()
        .collect();
    Node {
        span: node.span,
        value: Value::Map(entries),
        tag: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml;

    fn root(text: &str) -> Node {
        yaml::parse(text).documents[0].root.clone().unwrap()
    }

    #[test]
    fn reset_and_override_tags_replace_instead_of_merging() {
        let base =
            root("ports: ['80:80']\nenvironment: {A: '1', B: '2'}\nvolumes: ['data:/data']\n");
        let over =
            root("ports: !reset []\nenvironment: !override {C: '3'}\nvolumes: !reset null\n");
        let merged = merge_service(&base, &over);
        assert_eq!(merged.get("ports").unwrap().items().count(), 0);
        let env = merged.get("environment").unwrap();
        assert!(env.get("A").is_none());
        assert_eq!(env.get("C").unwrap().as_str(), Some("3"));
        assert!(merged.get("volumes").unwrap().is_null());
    }

    #[test]
    fn override_merges_like_compose() {
        let base = root(
            "image: app:1\ncommand: [a, b]\nenvironment:\n  - A=1\n  - B=2\nports: ['80:80']\nvolumes: ['data:/data', './c:/c']\nlogging:\n  driver: json-file\n  options: {max-size: 10m}\n",
        );
        let over = root(
            "command: [c]\nenvironment: {B: '3', C: '4'}\nports: ['443:443']\nvolumes: ['./d:/data']\nrestart: always\nlogging:\n  options: {max-file: '3'}\n",
        );
        let m = merge_service(&base, &over);
        assert_eq!(m.get("command").unwrap().items().count(), 1);
        let env = m.get("environment").unwrap();
        assert_eq!(env.get("A").unwrap().as_str(), Some("1"));
        assert_eq!(env.get("B").unwrap().as_str(), Some("3"));
        assert_eq!(env.get("C").unwrap().as_str(), Some("4"));
        assert_eq!(m.get("ports").unwrap().items().count(), 2);
        let volumes: Vec<_> = m
            .get("volumes")
            .unwrap()
            .items()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(volumes, ["./d:/data", "./c:/c"]);
        assert_eq!(m.get("restart").unwrap().as_str(), Some("always"));
        let logging = m.get("logging").unwrap();
        assert!(logging.path(&["options", "max-size"]).is_some());
        assert!(logging.path(&["options", "max-file"]).is_some());
    }

    #[test]
    fn logging_driver_change_replaces() {
        let base = root("logging:\n  driver: json-file\n  options: {max-size: 10m}\n");
        let over = root("logging:\n  driver: syslog\n");
        let m = merge_service(&base, &over);
        assert!(m.path(&["logging", "options"]).is_none());
    }

    #[test]
    fn extends_chain() {
        let file = root(
            "services:\n  base:\n    image: app:1\n    restart: always\n  mid:\n    extends: base\n    mem_limit: 1g\n  web:\n    extends:\n      service: mid\n    image: app:2\n  other:\n    extends: {file: x.yml, service: y}\n  loop:\n    extends: loop\n",
        );
        let services = file.get("services").unwrap();
        let (web, ok) = resolve_extends(services, services.get("web").unwrap());
        assert!(ok);
        assert_eq!(web.get("image").unwrap().as_str(), Some("app:2"));
        assert_eq!(web.get("restart").unwrap().as_str(), Some("always"));
        assert_eq!(web.get("mem_limit").unwrap().as_str(), Some("1g"));
        assert!(web.get("extends").is_none());
        let (_, ok) = resolve_extends(services, services.get("other").unwrap());
        assert!(!ok);
        let (_, ok) = resolve_extends(services, services.get("loop").unwrap());
        assert!(!ok);
    }
}
