//! The facts of a run: what the files of some formats tell the rules of other files of the
//! run (a NetworkPolicy selects the pods of another manifest; a flow watches the failures of
//! others). Each format gathers its own ([`k8s::facts`], [`kestra::facts`]) from every file of
//! the run and of its context, before any rule of those formats runs. In single-file mode they
//! come from that file alone.

use super::{Format, Parsed, k8s, kestra};

/// The facts of every format that has some.
#[derive(Debug, Default)]
pub struct RunFacts {
    pub k8s: k8s::facts::Facts,
    pub kestra: kestra::facts::Facts,
}

impl RunFacts {
    /// Append the facts of other files (gathered after these, in the run's file order).
    pub fn extend(&mut self, other: RunFacts) {
        self.k8s.extend(other.k8s);
        self.kestra.extend(other.kestra);
    }

    /// Whether rules of this format read the facts of other files, so its files can only be
    /// linted once every file has been parsed.
    pub fn read_by(format: Format) -> bool {
        matches!(format, Format::K8s | Format::Kestra)
    }

    /// Whether a file's text can give facts: it names a kind that gives some, or holds a Flow
    /// trigger. A file that cannot is not parsed when it is only read for its facts.
    pub fn may_give(text: &str) -> bool {
        k8s::facts::KINDS
            .iter()
            .chain([&kestra::facts::MARKER])
            .any(|word| text.contains(word))
    }

    /// Add what one parsed file contributes.
    pub fn collect(&mut self, parsed: &Parsed) {
        match parsed {
            Parsed::K8s(manifest) => self.k8s.collect(manifest),
            Parsed::Kestra(file) => self.kestra.collect(file),
            _ => {}
        }
    }
}
