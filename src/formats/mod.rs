//! What a file contains: the format it is in and the typed model its parser builds.

pub mod ci;
pub mod compose;
pub mod docker;
pub mod facts;
pub mod interpolate;
pub mod k8s;
pub mod kestra;
pub mod shell;
pub mod siblings;
pub mod systemd;
pub mod terraform;
pub mod yaml;

use crate::source::{SourceFile, Span};
use siblings::Siblings;

pub use crate::format::Format;

pub use ci::CiFile;
pub use compose::ComposeFile;
pub use docker::Dockerfile;
pub use k8s::Manifest;
pub use kestra::FlowFile;
pub use systemd::Unit;
pub use terraform::Module;

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

/// Parse a file of a known format. Every format has a parser, and a parser always gives a model:
/// what it could not read is in the model's errors.
pub fn parse(format: Format, source: &SourceFile) -> Parsed {
    match format {
        Format::Docker => Parsed::Docker(docker::parse(&source.text)),
        Format::Compose => Parsed::Compose(compose::parse(&source.name, &source.text)),
        Format::K8s => Parsed::K8s(k8s::parse(&source.text)),
        Format::Kestra => Parsed::Kestra(kestra::parse(&source.text)),
        Format::Ci => Parsed::Ci(Box::new(ci::parse(&source.name, &source.text))),
        Format::Terraform => Parsed::Terraform(terraform::parse_file(&source.name, &source.text)),
        Format::Systemd => {
            let (unit, _) = systemd::unit_name_of(&source.name).unwrap_or_default();
            Parsed::Systemd(Unit::single(&source.name, &unit, &source.text))
        }
    }
}

/// Parse a file and read what its lint unit needs from around it (`siblings`): the `.dockerignore`
/// of a Dockerfile, the override files, `.env` and build contexts of a compose file, the
/// includes of a pipeline, the kustomization beside a manifest. Each format's `unit.rs` does its
/// part, so the rules get every file they judge by already read and parsed.
pub fn parse_unit(format: Format, source: &SourceFile, siblings: &Siblings) -> Parsed {
    let mut parsed = parse(format, source);
    attach(&mut parsed, source, siblings);
    parsed
}

/// Read the surroundings of a parsed file into its model.
pub fn attach(parsed: &mut Parsed, source: &SourceFile, siblings: &Siblings) {
    match parsed {
        Parsed::Docker(model) => docker::unit::attach(model, source, siblings),
        Parsed::Compose(model) => compose::unit::attach(model, source, siblings),
        Parsed::K8s(model) => k8s::unit::attach(model, source, siblings),
        Parsed::Ci(model) => ci::unit::attach(model, source, siblings),
        // A systemd unit is assembled by the engine around the file it lints
        // ([`systemd::unit::assemble`]), and a Terraform module from the files of its directory.
        Parsed::Kestra(_) | Parsed::Systemd(_) | Parsed::Terraform(_) => {}
    }
}
