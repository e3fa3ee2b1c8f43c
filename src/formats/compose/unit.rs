//! The lint unit of a compose file: the file, the `.env` beside it, the override file laid over
//! it when it is the directory's default compose file, whether an environment template is
//! committed, and the Dockerfiles of its services' `build:` contexts. Each is read and parsed
//! once, before any rule runs, so that the rules judge models only.
//!
//! `extends: file:` and `include:` targets are not read: services that extend another file are
//! fragments the rules leave alone.

use super::{Compose, ComposeFile, DEFAULT_FILE_NAMES, Env, OVERRIDE_FILE_NAMES, Project, parse};
use crate::formats::docker::{self, Dockerfile};
use crate::formats::siblings::Siblings;
use crate::formats::yaml::Node;
use crate::source::SourceFile;

/// The committed templates that document the variables a compose file expects.
pub const ENV_TEMPLATES: [&str; 3] = [".env.example", ".env.sample", ".env.template"];

/// What surrounds a compose file, as `docker compose` would load it by default.
#[derive(Debug, Default)]
pub struct Surroundings {
    /// The values of the `.env` beside the file (none when it is absent).
    pub env: Env,
    /// The override file laid over the file, when it is the directory's default compose file
    /// and an override file beside it parses cleanly.
    pub override_file: Option<Box<Override>>,
    /// The first of [`ENV_TEMPLATES`] present beside the file.
    pub env_template: Option<&'static str>,
    /// The Dockerfiles of the services' `build:` contexts that exist inside the file's
    /// directory, each parsed once, by path relative to it (see [`dockerfile_path`]).
    pub dockerfiles: Vec<(String, Dockerfile)>,
}

/// An override file by name, parsed.
#[derive(Debug)]
pub struct Override {
    pub name: &'static str,
    pub file: Compose,
}

impl Surroundings {
    /// The parsed Dockerfile that a service's `build` (merged) names, when it was found.
    pub fn dockerfile(&self, build: &Node) -> Option<&Dockerfile> {
        let path = dockerfile_path(build)?;
        self.dockerfiles
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, d)| d)
    }
}

/// Read what the unit needs from around the file into its model. A dotenv file of the format
/// has no surroundings.
pub fn attach(model: &mut ComposeFile, source: &SourceFile, siblings: &Siblings) {
    let ComposeFile::Yaml(compose) = model else {
        return;
    };
    compose.surroundings.env = siblings
        .read(".env")
        .map(|text| Env::from_dotenv(&text))
        .unwrap_or_default();
    compose.surroundings.override_file = override_file(&source.name, siblings);
    compose.surroundings.env_template = ENV_TEMPLATES.iter().copied().find(|t| siblings.exists(t));
    let mut dockerfiles: Vec<(String, Dockerfile)> = Vec::new();
    let mut looked: Vec<String> = Vec::new();
    for view in &Project::of(compose).services {
        let Some(path) = view.get("build").and_then(dockerfile_path) else {
            continue;
        };
        if looked.contains(&path) {
            continue;
        }
        if let Some(text) = siblings.read(&path) {
            dockerfiles.push((path.clone(), docker::parse(&text)));
        }
        looked.push(path);
    }
    compose.surroundings.dockerfiles = dockerfiles;
}

/// The override file `docker compose` lays over `name`: only the directory's default compose
/// file (the first of [`DEFAULT_FILE_NAMES`] present) gets one, the first of
/// [`OVERRIDE_FILE_NAMES`] that can be read. One that does not parse cleanly is not used.
fn override_file(name: &str, siblings: &Siblings) -> Option<Box<Override>> {
    let name = name.rsplit('/').next().unwrap_or_default();
    let is_default = DEFAULT_FILE_NAMES
        .iter()
        .take_while(|n| **n != name)
        .all(|n| !siblings.exists(n))
        && DEFAULT_FILE_NAMES.contains(&name);
    if !is_default {
        return None;
    }
    let (over, text) = OVERRIDE_FILE_NAMES
        .iter()
        .find_map(|n| Some((*n, siblings.read(n)?)))?;
    match parse(over, &text) {
        ComposeFile::Yaml(file) if file.errors.is_empty() => {
            Some(Box::new(Override { name: over, file }))
        }
        _ => None,
    }
}

/// The path of the Dockerfile a `build` value names, relative to the compose file's directory:
/// `context` (or the string form) joined with `dockerfile`. `None` for what lies outside the
/// directory (`..`) or is remote: only the linted directory is read.
pub fn dockerfile_path(build: &Node) -> Option<String> {
    let context = build
        .as_str()
        .or_else(|| build.get("context").and_then(Node::as_str))
        .unwrap_or(".");
    let dockerfile = build
        .get("dockerfile")
        .and_then(Node::as_str)
        .unwrap_or("Dockerfile");
    if context.contains("..") || context.contains("://") || dockerfile.contains("..") {
        return None;
    }
    let context = context.trim_start_matches("./").trim_end_matches('/');
    Some(if context.is_empty() || context == "." {
        dockerfile.to_string()
    } else {
        format!("{context}/{dockerfile}")
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn attached(name: &str, text: &str, siblings: &Siblings) -> Compose {
        let mut model = parse(name, text);
        attach(
            &mut model,
            &SourceFile::new(name, None, text.to_string()),
            siblings,
        );
        match model {
            ComposeFile::Yaml(c) => c,
            ComposeFile::Dotenv(_) => panic!("not a compose YAML file"),
        }
    }

    const BASE: &str = "services:\n  web:\n    build: ./app\n  api:\n    build:\n      context: .\n      dockerfile: api.Dockerfile\n  far:\n    build: ../other\n";

    #[test]
    fn the_surroundings_are_read_and_parsed() {
        let siblings = Siblings::memory(&[
            (".env", "TAG=1.2\n"),
            (
                "compose.override.yaml",
                "services:\n  web:\n    restart: always\n",
            ),
            (".env.sample", ""),
            ("app/Dockerfile", "FROM alpine\nHEALTHCHECK CMD true\n"),
            ("../other/Dockerfile", "FROM alpine\n"),
        ]);
        let c = attached("deploy/compose.yaml", BASE, &siblings);
        let around = &c.surroundings;
        assert_eq!(around.env.get("TAG"), Some("1.2"));
        let over = around.override_file.as_ref().unwrap();
        assert_eq!(over.name, "compose.override.yaml");
        assert!(over.file.root.is_some());
        assert_eq!(around.env_template, Some(".env.sample"));
        // `api.Dockerfile` is absent, `../other` lies outside the directory.
        let paths: Vec<&str> = around.dockerfiles.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["app/Dockerfile"]);
        let web = Project::of(&c);
        let build = web.services.first().unwrap().get("build").unwrap();
        assert_eq!(around.dockerfile(build).unwrap().stages.len(), 1);
    }

    #[test]
    fn only_the_default_file_gets_a_clean_override() {
        let over = (
            "docker-compose.override.yml",
            "services:\n  web:\n    restart: always\n",
        );
        // Another default name comes first: this file is not the one compose loads.
        let siblings = Siblings::memory(&[("compose.yaml", BASE), over]);
        let c = attached("docker-compose.yml", BASE, &siblings);
        assert!(c.surroundings.override_file.is_none());
        let c = attached("other.yaml", BASE, &Siblings::memory(&[over]));
        assert!(c.surroundings.override_file.is_none());
        let c = attached("docker-compose.yml", BASE, &Siblings::memory(&[over]));
        assert_eq!(
            c.surroundings.override_file.unwrap().name,
            "docker-compose.override.yml"
        );
        // The first override file found decides, even when it does not parse.
        let broken = Siblings::memory(&[("compose.override.yml", "services: [\n"), over]);
        let c = attached("compose.yaml", BASE, &broken);
        assert!(c.surroundings.override_file.is_none());
    }

    #[test]
    fn nothing_is_known_without_siblings() {
        let c = attached("compose.yaml", BASE, &Siblings::None);
        let around = &c.surroundings;
        assert!(around.env.is_empty());
        assert!(around.override_file.is_none());
        assert!(around.env_template.is_none());
        assert!(around.dockerfiles.is_empty());
    }

    #[test]
    fn dockerfile_paths() {
        let yaml = |text: &str| {
            crate::formats::yaml::parse(text)
                .documents
                .remove(0)
                .root
                .unwrap()
        };
        let path = |text: &str| dockerfile_path(&yaml(text));
        assert_eq!(path("."), Some("Dockerfile".into()));
        assert_eq!(path("./app/"), Some("app/Dockerfile".into()));
        assert_eq!(
            path("{context: app, dockerfile: prod.Dockerfile}"),
            Some("app/prod.Dockerfile".into())
        );
        assert_eq!(
            path("{dockerfile: x.Dockerfile}"),
            Some("x.Dockerfile".into())
        );
        assert_eq!(path("../app"), None);
        assert_eq!(path("https://github.com/a/b.git"), None);
        assert_eq!(path("{context: ., dockerfile: ../Dockerfile}"), None);
    }
}
