//! What a file contains: the format it is in and the typed model its parser builds.

pub mod ci;
pub mod compose;
pub mod docker;
pub mod interpolate;
pub mod k8s;
pub mod kestra;
pub mod systemd;
pub mod terraform;
pub mod yaml;

use crate::source::{SourceFile, Span};

pub use ci::CiFile;
pub use compose::ComposeFile;
pub use docker::Dockerfile;
pub use k8s::Manifest;
pub use kestra::FlowFile;
pub use systemd::Unit;
pub use terraform::Module;

/// The infrastructure formats infralint knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Docker,
    Compose,
    K8s,
    Kestra,
    Systemd,
    Terraform,
    Ci,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Docker,
        Format::Compose,
        Format::K8s,
        Format::Kestra,
        Format::Systemd,
        Format::Terraform,
        Format::Ci,
    ];

    /// The name used in rule ids and selectors.
    pub fn id(self) -> &'static str {
        match self {
            Format::Docker => "docker",
            Format::Compose => "compose",
            Format::K8s => "k8s",
            Format::Kestra => "kestra",
            Format::Systemd => "systemd",
            Format::Terraform => "terraform",
            Format::Ci => "ci",
        }
    }

    /// The name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            Format::Docker => "Dockerfile",
            Format::Compose => "Docker Compose",
            Format::K8s => "Kubernetes",
            Format::Kestra => "Kestra",
            Format::Systemd => "systemd",
            Format::Terraform => "Terraform",
            Format::Ci => "CI pipeline",
        }
    }

    /// Whether infralint can parse (and so lint) files of this format yet.
    pub fn has_parser(self) -> bool {
        matches!(
            self,
            Format::Docker
                | Format::Compose
                | Format::K8s
                | Format::Kestra
                | Format::Systemd
                | Format::Terraform
                | Format::Ci
        )
    }

    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id() == id)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// A problem that keeps (part of) a file from being understood. Parsing goes on where it can,
/// so a model may come with several of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

/// The model of one file, one variant per format whose parser exists.
#[derive(Debug)]
pub enum Parsed {
    Docker(Dockerfile),
    Compose(ComposeFile),
    K8s(Manifest),
    Kestra(FlowFile),
    Systemd(Unit),
    Terraform(Module),
    Ci(Box<CiFile>),
}

impl Parsed {
    pub fn format(&self) -> Format {
        match self {
            Parsed::Docker(_) => Format::Docker,
            Parsed::Compose(_) => Format::Compose,
            Parsed::K8s(_) => Format::K8s,
            Parsed::Kestra(_) => Format::Kestra,
            Parsed::Systemd(_) => Format::Systemd,
            Parsed::Terraform(_) => Format::Terraform,
            Parsed::Ci(_) => Format::Ci,
        }
    }

    /// Problems that kept (part of) the file from being read.
    pub fn errors(&self) -> &[ParseError] {
        match self {
            Parsed::Docker(d) => &d.errors,
            Parsed::Compose(ComposeFile::Yaml(c)) => &c.errors,
            Parsed::Compose(ComposeFile::Dotenv(d)) => &d.errors,
            Parsed::K8s(m) => &m.errors,
            Parsed::Kestra(f) => &f.errors,
            Parsed::Systemd(u) => &u.errors,
            Parsed::Terraform(m) => &m.errors,
            Parsed::Ci(c) => &c.errors,
        }
    }

    /// Keys written twice in one YAML mapping or HCL object: read, but worth a warning.
    pub fn duplicate_keys(&self) -> &[ParseError] {
        match self {
            Parsed::Compose(ComposeFile::Yaml(c)) => &c.duplicate_keys,
            Parsed::K8s(m) => &m.duplicate_keys,
            Parsed::Kestra(f) => &f.duplicate_keys,
            Parsed::Ci(c) => &c.duplicate_keys,
            Parsed::Terraform(m) => &m.duplicate_keys,
            Parsed::Docker(_) | Parsed::Compose(ComposeFile::Dotenv(_)) | Parsed::Systemd(_) => &[],
        }
    }
}

/// Parse a file of a known format. `None` when infralint has no parser for the format yet:
/// the file is counted as discovered but not linted.
pub fn parse(format: Format, source: &SourceFile) -> Option<Parsed> {
    match format {
        Format::Docker => Some(Parsed::Docker(docker::parse(&source.text))),
        Format::Compose => Some(Parsed::Compose(compose::parse(&source.name, &source.text))),
        Format::K8s => Some(Parsed::K8s(k8s::parse(&source.text))),
        Format::Kestra => Some(Parsed::Kestra(kestra::parse(&source.text))),
        Format::Ci => Some(Parsed::Ci(Box::new(ci::parse(&source.name, &source.text)))),
        Format::Terraform => Some(Parsed::Terraform(terraform::parse_file(
            &source.name,
            &source.text,
        ))),
        Format::Systemd => {
            let (unit, _) = systemd::unit_name_of(&source.name).unwrap_or_default();
            Some(Parsed::Systemd(Unit::single(
                &source.name,
                &unit,
                &source.text,
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_parser_matches_parse() {
        let empty = SourceFile::new("x", None, String::new());
        for format in Format::ALL {
            assert_eq!(
                parse(format, &empty).is_some(),
                format.has_parser(),
                "{format}"
            );
        }
    }
}
