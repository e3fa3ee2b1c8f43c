//! The infrastructure formats infralint knows: a word of the core vocabulary, shared by
//! discovery, configuration, the rules and the reporters without any of them needing a parser.

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

    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id() == id)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}
