//! Who a service runs as and which capabilities it keeps: the facts shared by the root,
//! capability and no-new-privileges rules.
use crate::formats::systemd::{Entry, Unit, UnitKind};
use std::ops::Range;

/// The account a service runs as, as far as its files tell.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RunsAs<'a> {
    /// Root: `User=root`/`User=0` (the entry), or no `User=` at all in a complete system unit.
    Root(Option<&'a Entry>),
    /// A non-root `User=`.
    User(&'a Entry),
    /// `DynamicUser=yes` without a `User=`.
    Dynamic(&'a Entry),
    /// A user unit: the unprivileged per-user manager runs it as its user.
    UserManager,
    /// Not a service, or a drop-in linted without its unit (which may set `User=`).
    Unknown,
}

impl RunsAs<'_> {
    pub(crate) fn is_root(self) -> bool {
        matches!(self, RunsAs::Root(_))
    }

    /// Runs without `CAP_SYS_ADMIN` in the process systemd prepares: a non-root or dynamic
    /// user, or any service of the per-user manager.
    pub(crate) fn unprivileged(self) -> bool {
        matches!(
            self,
            RunsAs::User(_) | RunsAs::Dynamic(_) | RunsAs::UserManager
        )
    }
}

/// Who a service runs as. An explicit `User=` wins over
/// `DynamicUser=yes`: systemd uses an existing account of that name rather than allocating one.
pub(crate) fn runs_as(unit: &Unit) -> RunsAs<'_> {
    if unit.kind != UnitKind::Service {
        return RunsAs::Unknown;
    }
    if unit.is_user_unit() {
        return RunsAs::UserManager;
    }
    if let Some(user) = unit.get("Service", "User") {
        return if matches!(user.value.as_str(), "root" | "0") {
            RunsAs::Root(Some(user))
        } else {
            RunsAs::User(user)
        };
    }
    if unit.dynamic_user()
        && let Some(entry) = unit.get("Service", "DynamicUser")
    {
        return RunsAs::Dynamic(entry);
    }
    if unit.partial {
        return RunsAs::Unknown;
    }
    RunsAs::Root(None)
}

/// Where "missing X" findings of a service point: its `[Service]` header, else its first one.
pub(crate) fn service_owner(unit: &Unit) -> Option<crate::source::Span> {
    unit.header("Service")
        .or_else(|| unit.sections.first().map(|s| s.header))
}

/// Capabilities that make a process root in all but name, without `CAP_`.
pub(crate) const DANGEROUS: [&str; 9] = [
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SETUID",
    "SETGID",
    "SETPCAP",
    "BPF",
    "NET_ADMIN",
];

/// A capability name as systemd compares it: any case, with or without the `CAP_` prefix.
/// Returned without the prefix, upper case.
pub(crate) fn cap_name(word: &str) -> String {
    let upper = word.to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => upper,
    }
}

/// A capability set: the listed ones, or all but the listed ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CapSet {
    Only(Vec<String>),
    AllBut(Vec<String>),
}

impl CapSet {
    pub(crate) fn all() -> CapSet {
        CapSet::AllBut(Vec::new())
    }

    pub(crate) fn none() -> CapSet {
        CapSet::Only(Vec::new())
    }

    pub(crate) fn contains(&self, cap: &str) -> bool {
        match self {
            CapSet::Only(list) => list.iter().any(|c| c == cap),
            CapSet::AllBut(list) => !list.iter().any(|c| c == cap),
        }
    }

    fn add(self, caps: Vec<String>) -> CapSet {
        match self {
            CapSet::Only(mut list) => {
                for cap in caps {
                    if !list.contains(&cap) {
                        list.push(cap);
                    }
                }
                CapSet::Only(list)
            }
            CapSet::AllBut(list) => {
                CapSet::AllBut(list.into_iter().filter(|c| !caps.contains(c)).collect())
            }
        }
    }

    fn remove(self, caps: Vec<String>) -> CapSet {
        match self {
            CapSet::Only(list) => {
                CapSet::Only(list.into_iter().filter(|c| !caps.contains(c)).collect())
            }
            CapSet::AllBut(mut list) => {
                for cap in caps {
                    if !list.contains(&cap) {
                        list.push(cap);
                    }
                }
                CapSet::AllBut(list)
            }
        }
    }
}

/// One assignment of a capability list: whether it starts with `~`, and its names with their
/// byte ranges in [`Entry::value`].
pub(crate) struct CapLine<'a> {
    pub(crate) entry: &'a Entry,
    pub(crate) invert: bool,
    pub(crate) caps: Vec<(String, Range<usize>)>,
}

pub(crate) fn cap_line(entry: &Entry) -> CapLine<'_> {
    let value = entry.value.as_str();
    let lead = value.len() - value.trim_start().len();
    let rest = value.get(lead..).unwrap_or_default();
    let (invert, start) = match rest.strip_prefix('~') {
        Some(_) => (true, lead + 1),
        None => (false, lead),
    };
    let mut caps = Vec::new();
    let mut word_start: Option<usize> = None;
    let tail = value.get(start..).unwrap_or_default();
    for (i, c) in tail
        .char_indices()
        .chain(std::iter::once((tail.len(), ' ')))
    {
        match (c.is_whitespace(), word_start) {
            (true, Some(from)) => {
                if let Some(word) = tail.get(from..i) {
                    caps.push((cap_name(word), start + from..start + i));
                }
                word_start = None;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
    }
    CapLine {
        entry,
        invert,
        caps,
    }
}

/// Folds the assignments of a capability list the way systemd's parser does: a line replaces
/// the set when it names nothing (`Key=` empties it, `Key=~` fills it) or when the set still
/// holds its initial value; otherwise a plain line adds and a `~` line takes away.
pub(crate) fn fold_caps(lines: &[CapLine], initial: &CapSet) -> CapSet {
    let mut set = initial.clone();
    for line in lines {
        let names: Vec<String> = line.caps.iter().map(|(n, _)| n.clone()).collect();
        set = if names.is_empty() || set == *initial {
            if line.invert {
                CapSet::AllBut(names)
            } else {
                CapSet::Only(names)
            }
        } else if line.invert {
            set.remove(names)
        } else {
            set.add(names)
        };
    }
    set
}

/// The assignments of a `[Service]` capability list, in merge order.
pub(crate) fn cap_lines<'a>(unit: &'a Unit, key: &'a str) -> Vec<CapLine<'a>> {
    unit.all("Service", key).map(cap_line).collect()
}

/// `CapabilityBoundingSet=`: every capability when unset.
pub(crate) fn bounding_set(unit: &Unit) -> CapSet {
    fold_caps(&cap_lines(unit, "CapabilityBoundingSet"), &CapSet::all())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(values: &[&str], initial: &CapSet) -> CapSet {
        let text: String = values
            .iter()
            .map(|v| format!("K={v}\n"))
            .collect::<Vec<_>>()
            .concat();
        let unit = Unit::single("app.service", "app.service", &format!("[Service]\n{text}"));
        fold_caps(&cap_lines(&unit, "K"), initial)
    }

    #[test]
    fn folds_like_systemd() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            fold(&["CAP_A cap_b", "~CAP_A"], &CapSet::none()),
            CapSet::Only(names(&["B"]))
        );
        assert_eq!(
            fold(&["~CAP_A", "CAP_A"], &CapSet::none()),
            CapSet::AllBut(Vec::new())
        );
        assert_eq!(fold(&["CAP_A", ""], &CapSet::all()), CapSet::none());
        assert_eq!(fold(&["CAP_A", "~"], &CapSet::none()), CapSet::all());
        assert_eq!(
            fold(&["~CAP_A", "~CAP_B"], &CapSet::all()),
            CapSet::AllBut(names(&["A", "B"]))
        );
        assert_eq!(
            fold(&["CAP_A", "CAP_B"], &CapSet::all()),
            CapSet::Only(names(&["A", "B"]))
        );
    }

    #[test]
    fn names_keep_their_ranges() {
        let unit = Unit::single("app.service", "app.service", "[Service]\nK=~CAP_A  CAP_B\n");
        let lines = cap_lines(&unit, "K");
        assert_eq!(lines.len(), 1);
        for line in lines {
            assert!(line.invert);
            let ranges: Vec<_> = line.caps.iter().map(|(_, r)| r.clone()).collect();
            assert_eq!(ranges, vec![1..6, 8..13]);
        }
    }
}
