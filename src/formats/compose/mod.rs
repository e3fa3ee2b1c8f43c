//! The Docker Compose model: a compose file's services over the YAML tree, or the entries of a
//! committed dotenv file (which only the secret rule reads).

mod merge;
mod ports;
mod project;
pub mod unit;
mod vars;
mod volumes;

pub use merge::{
    Extends, MAX_EXTENDS_NODES, extends, extends_within_budget, merge_service, resolve_extends,
};
pub use ports::{Port, ports};
pub use project::{DEFAULT_FILE_NAMES, OVERRIDE_FILE_NAMES, Project, ServiceView};
pub use unit::Surroundings;
pub use vars::{Env, is_interpolated};
pub use volumes::{Mount, MountKind, is_same_or_parent, mounts};

use crate::formats::ParseError;
use crate::formats::yaml::{self, Node};
use crate::source::{Span, Spanned};

/// A file of the compose format.
#[derive(Debug)]
pub enum ComposeFile {
    Yaml(Compose),
    Dotenv(Dotenv),
}

/// A compose YAML file.
#[derive(Debug, Default)]
pub struct Compose {
    /// The top-level mapping (`None` for an empty file).
    pub root: Option<Node>,
    pub errors: Vec<ParseError>,
    pub duplicate_keys: Vec<ParseError>,
    /// What the unit builder read beside the file ([`unit::attach`]).
    pub surroundings: Surroundings,
}

/// One service under `services:`.
#[derive(Clone, Copy, Debug)]
pub struct Service<'a> {
    pub name: &'a str,
    /// The service's key: where "missing X" findings point.
    pub key: &'a Node,
    pub node: &'a Node,
}

/// `KEY=value` lines of a dotenv file.
#[derive(Debug, Default)]
pub struct Dotenv {
    pub entries: Vec<DotenvEntry>,
    pub errors: Vec<ParseError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotenvEntry {
    pub key: Spanned<String>,
    /// The value with surrounding quotes removed; the span covers it as written.
    pub value: Spanned<String>,
}

/// Parse a compose file; `name` decides between YAML and dotenv.
pub fn parse(name: &str, text: &str) -> ComposeFile {
    let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    if base.ends_with(".yaml") || base.ends_with(".yml") {
        ComposeFile::Yaml(parse_yaml(text))
    } else {
        ComposeFile::Dotenv(parse_dotenv(text))
    }
}

fn parse_yaml(text: &str) -> Compose {
    let mut stream = yaml::parse(text);
    let mut documents = stream.documents.drain(..).filter_map(|d| d.root);
    let root = documents.next();
    if let Some(extra) = documents.next() {
        stream.errors.push(ParseError {
            span: extra.span,
            message: "a compose file holds one YAML document; this one is not read".into(),
        });
    }
    if let Some(root) = &root
        && root.as_map().is_none()
    {
        stream.errors.push(ParseError {
            span: root.span,
            message: "a compose file must be a mapping at the top level".into(),
        });
    }
    if let Some(services) = root.as_ref().and_then(|r| r.entry("services"))
        && !extends_within_budget(&services.value)
    {
        stream.errors.push(ParseError {
            span: services.key.span,
            message: format!(
                "following the services' `extends` would copy more than {MAX_EXTENDS_NODES} \
                 YAML nodes; `extends` is not followed in this file"
            ),
        });
    }
    Compose {
        root,
        errors: stream.errors,
        duplicate_keys: stream.duplicate_keys,
        surroundings: Surroundings::default(),
    }
}

impl Compose {
    /// The `services` entry, for findings about the file as a whole.
    pub fn services_key(&self) -> Option<&Node> {
        self.root.as_ref()?.entry("services").map(|e| &e.key)
    }

    /// The services, in the order written.
    pub fn services(&self) -> Vec<Service<'_>> {
        let Some(services) = self.root.as_ref().and_then(|r| r.get("services")) else {
            return Vec::new();
        };
        services
            .as_map()
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| {
                Some(Service {
                    name: e.key.as_str()?,
                    key: &e.key,
                    node: &e.value,
                })
            })
            .collect()
    }

    /// A top-level section such as `volumes`, `networks` or `secrets`.
    pub fn section(&self, key: &str) -> Option<&Node> {
        self.root.as_ref()?.get(key)
    }
}

impl<'a> Service<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    /// The service's image reference, if it sets one.
    pub fn image(&self) -> Option<&'a Node> {
        self.node.get("image")
    }

    /// `environment` as (key, key span, value) whatever its form; see [`environment`].
    pub fn environment(&self) -> Vec<EnvEntry<'a>> {
        environment(self.node)
    }

    /// The `ports` entries, interpolated with `env`.
    pub fn ports(&self, env: &Env) -> Vec<Port<'a>> {
        ports(self.node, env)
    }

    /// The `volumes` and `tmpfs` mounts, interpolated with `env`.
    pub fn mounts(&self, env: &Env) -> Vec<Mount<'a>> {
        mounts(self.node, env)
    }

    /// The services this one depends on.
    pub fn depends_on(&self) -> Vec<Dependency<'a>> {
        depends_on(self.node)
    }
}

/// A service's `environment` as (key, key span, value) whatever its form: a mapping, or a list
/// of `KEY=value` strings (the value span is then the value's text inside the item, or the
/// whole item when it is quoted).
pub fn environment(service: &Node) -> Vec<EnvEntry<'_>> {
    let Some(env) = service.get("environment") else {
        return Vec::new();
    };
    if let Some(entries) = env.as_map() {
        return entries
            .iter()
            .filter_map(|e| {
                Some(EnvEntry {
                    key: e.key.as_str()?,
                    key_span: e.key.span,
                    value: e.value.as_scalar().map(|s| s.text.as_str()),
                    value_span: e.value.span,
                })
            })
            .collect();
    }
    env.items()
        .filter_map(|item| {
            let text = item.as_str()?;
            let quoted = item.span.len() != text.len();
            match text.split_once('=') {
                Some((key, value)) => {
                    let start = item.span.start as usize + usize::from(quoted);
                    let value_start = start + key.len() + 1;
                    Some(EnvEntry {
                        key,
                        key_span: Span::new(start, start + key.len()),
                        value: Some(value),
                        value_span: if quoted {
                            item.span
                        } else {
                            Span::new(value_start, value_start + value.len())
                        },
                    })
                }
                None => Some(EnvEntry {
                    key: text,
                    key_span: item.span,
                    value: None,
                    value_span: item.span,
                }),
            }
        })
        .collect()
}

/// One entry of `depends_on`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dependency<'a> {
    pub name: &'a str,
    pub node: &'a Node,
    /// `service_started` (the default), `service_healthy` or `service_completed_successfully`.
    pub condition: Option<String>,
}

/// A service's `depends_on`, list or mapping form.
pub fn depends_on(service: &Node) -> Vec<Dependency<'_>> {
    let Some(deps) = service.get("depends_on") else {
        return Vec::new();
    };
    if deps.as_map().is_some() {
        return deps
            .pairs()
            .map(|(name, key, value)| Dependency {
                name,
                node: key,
                condition: value
                    .get("condition")
                    .and_then(Node::as_str)
                    .map(str::to_string),
            })
            .collect();
    }
    deps.items()
        .filter_map(|item| {
            Some(Dependency {
                name: item.as_str()?,
                node: item,
                condition: None,
            })
        })
        .collect()
}

/// One environment variable of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvEntry<'a> {
    pub key: &'a str,
    pub key_span: Span,
    /// `None` when the variable is passed through from the host (`- KEY`, `KEY:`).
    pub value: Option<&'a str>,
    /// The value as written (for a quoted list item, the whole item).
    pub value_span: Span,
}

fn parse_dotenv(text: &str) -> Dotenv {
    let mut out = Dotenv::default();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let lead = line.len() - line.trim_start().len();
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let body = body.strip_prefix("export ").unwrap_or(body);
        let body_start = line_start + (line.len() - body.len());
        let Some((key, value)) = body.split_once('=') else {
            out.errors.push(ParseError {
                span: Span::new(line_start + lead, line_start + line.len()),
                message: "a dotenv line must be `KEY=value`".into(),
            });
            continue;
        };
        let key_trimmed = key.trim_end();
        let value_lead = value.len() - value.trim_start().len();
        let value_start = body_start + key.len() + 1 + value_lead;
        let written = value.trim();
        let unquoted = match written.chars().next() {
            Some(q @ ('"' | '\'')) if written.len() >= 2 && written.ends_with(q) => {
                written.get(1..written.len() - 1).unwrap_or("")
            }
            // An unquoted value ends at ` #` (an inline comment).
            _ => written.split(" #").next().unwrap_or(written).trim_end(),
        };
        out.entries.push(DotenvEntry {
            key: Spanned::new(
                key_trimmed.to_string(),
                Span::new(body_start, body_start + key_trimmed.len()),
            ),
            value: Spanned::new(
                unquoted.to_string(),
                Span::new(value_start, value_start + written.len()),
            ),
        });
    }
    out
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn services_and_environment_forms() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    environment:\n      - MODE=prod\n      - \"TOKEN=abc\"\n      - PASSTHROUGH\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: secret\n";
        let ComposeFile::Yaml(c) = parse("compose.yaml", text) else {
            panic!()
        };
        assert!(c.errors.is_empty());
        let services = c.services();
        assert_eq!(
            services.iter().map(|s| s.name).collect::<Vec<_>>(),
            ["web", "db"]
        );
        let env = services[0].environment();
        assert_eq!(env[0].key, "MODE");
        assert_eq!(slice(text, env[0].key_span), "MODE");
        assert_eq!(slice(text, env[0].value_span), "prod");
        assert_eq!(env[1].value, Some("abc"));
        assert_eq!(slice(text, env[1].key_span), "TOKEN");
        assert_eq!(env[2].value, None);
        let db = services[1].environment();
        assert_eq!(slice(text, db[0].value_span), "secret");
        assert_eq!(slice(text, services[1].key.span), "db");
        assert_eq!(slice(text, c.services_key().unwrap().span), "services");
    }

    #[test]
    fn dotenv_entries() {
        let text = "# comment\nexport A=1\nB = \"two words\"\nC=x # note\nbroken\n";
        let ComposeFile::Dotenv(d) = parse("app/.env", text) else {
            panic!()
        };
        assert_eq!(d.entries.len(), 3);
        assert_eq!(d.entries[1].key.value, "B");
        assert_eq!(d.entries[1].value.value, "two words");
        assert_eq!(slice(text, d.entries[1].value.span), "\"two words\"");
        assert_eq!(d.entries[2].value.value, "x");
        assert_eq!(d.errors.len(), 1);
    }

    #[test]
    fn not_a_mapping() {
        let ComposeFile::Yaml(c) = parse("compose.yml", "- a\n") else {
            panic!()
        };
        assert_eq!(c.errors.len(), 1);
    }
}
