//! The systemd model: a unit with its drop-ins (`<unit>.d/*.conf`, merged in name order) as one
//! sequence of sections. Spans live in one offset space for the unit: each file gets its own
//! range, starting at its `base`, the way Terraform modules do.

mod env;
mod parse;
mod time;
pub mod unit;

pub use env::{EnvAssignment, split_environment};
pub use parse::parse_file;
pub use time::{TimeSpan, parse_timespan};

use crate::formats::ParseError;
use crate::source::{Extent, Span, Spanned};

/// One parsed file (a unit or a drop-in).
#[derive(Debug, Default)]
pub struct UnitFile {
    pub sections: Vec<Section>,
    pub errors: Vec<ParseError>,
}

/// A `[Section]` and the assignments under it, up to the next header.
#[derive(Debug)]
pub struct Section {
    /// The name between the brackets.
    pub name: Spanned<String>,
    /// The whole `[Section]` header.
    pub header: Span,
    pub entries: Vec<Entry>,
}

/// A `Key=Value` assignment (one logical line: continuations are joined).
#[derive(Debug)]
pub struct Entry {
    pub key: Spanned<String>,
    /// The value, trimmed, with each continuation backslash replaced by a space.
    pub value: String,
    /// From the key to the end of the value.
    pub span: Span,
    /// The value as written (over several lines when continued); empty for `Key=`.
    pub value_span: Span,
    pub(crate) pieces: Vec<Piece>,
}

/// A stretch of a joined value and where it is in the source.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    /// Offset in the joined text.
    pub at: u32,
    /// Offset in the source.
    pub source: u32,
    pub len: u32,
}

impl Entry {
    /// The source span of a byte range of [`Entry::value`].
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Span {
        if range.is_empty() {
            let at = parse::piece_offset(&self.pieces, range.start);
            return Span { start: at, end: at };
        }
        let start = parse::piece_offset(&self.pieces, range.start);
        let end = parse::piece_offset(&self.pieces, range.end.saturating_sub(1)) + 1;
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The value as a boolean, the way systemd reads one.
    pub fn as_bool(&self) -> Option<bool> {
        parse_bool(&self.value)
    }
}

/// `1/yes/y/true/t/on` and `0/no/n/false/f/off`, any case.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "t" | "on" => Some(true),
        "0" | "no" | "n" | "false" | "f" | "off" => Some(false),
        _ => None,
    }
}

/// The type of a unit, from its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    Service,
    Socket,
    Timer,
    Mount,
    Automount,
    Path,
    Swap,
    Target,
    Slice,
    /// A name without a known unit suffix.
    Other,
}

impl UnitKind {
    pub fn of(name: &str) -> UnitKind {
        // A type-level drop-in directory (`service.d/`) is named by the bare type.
        let suffix = name.rsplit_once('.').map_or(name, |(_, s)| s);
        match suffix {
            "service" => UnitKind::Service,
            "socket" => UnitKind::Socket,
            "timer" => UnitKind::Timer,
            "mount" => UnitKind::Mount,
            "automount" => UnitKind::Automount,
            "path" => UnitKind::Path,
            "swap" => UnitKind::Swap,
            "target" => UnitKind::Target,
            "slice" => UnitKind::Slice,
            _ => UnitKind::Other,
        }
    }
}

/// One file of a unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitFileInfo {
    pub name: String,
    pub drop_in: bool,
    /// Where the file's text lies in the unit's offset space.
    pub extent: Extent,
}

/// A unit with its drop-ins.
#[derive(Debug)]
pub struct Unit {
    /// The unit's file name (`app.service`, `web@.service`), also for a drop-in linted alone.
    pub name: String,
    pub kind: UnitKind,
    /// The unit file (when known) then its drop-ins in name order.
    pub files: Vec<UnitFileInfo>,
    /// Every section of every file, in merge order.
    pub sections: Vec<Section>,
    pub errors: Vec<ParseError>,
    /// The unit file itself was not available (a drop-in for a unit shipped elsewhere): "missing
    /// X" rules have no evidence and skip the unit.
    pub partial: bool,
    /// Where the unit sits: `/systemd/user/` or `.config/systemd/user/` in the path.
    pub user_path: bool,
    /// The unit sits in a system unit directory (`/systemd/system/` in the path).
    pub system_path: bool,
    /// A `.timer` of the same directory activates this service.
    pub timer_activated: bool,
    /// The names in the unit's directory, when it is known: the unit files a timer may start.
    pub beside: Option<Beside>,
}

/// The entries of a unit's directory, as its unit builder found them.
#[derive(Debug, Default)]
pub struct Beside {
    /// The regular files, sorted.
    pub files: Vec<String>,
    /// Every entry that exists (files, directories, links to them), sorted.
    pub entries: Vec<String>,
}

impl Beside {
    /// Whether an entry of this name exists.
    pub fn exists(&self, name: &str) -> bool {
        self.entries
            .binary_search_by(|e| e.as_str().cmp(name))
            .is_ok()
    }
}

/// Input for [`Unit::assemble`]: one file's name and text.
pub struct UnitSource<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub drop_in: bool,
}

impl Unit {
    /// Parse one file on its own (the unit's name from the file's, or its drop-in directory's).
    pub fn single(name: &str, unit_name: &str, text: &str) -> Unit {
        Unit::assemble(
            unit_name,
            &[UnitSource {
                name,
                text,
                drop_in: name.ends_with(".conf"),
            }],
            false,
        )
    }

    /// Merge a unit's files (the unit file first, then its drop-ins in name order) into one
    /// unit. File `i` starts after the files before it and one separator byte.
    pub fn assemble(unit_name: &str, sources: &[UnitSource], user_path: bool) -> Unit {
        let mut unit = Unit {
            name: unit_name.to_string(),
            kind: UnitKind::of(unit_name),
            files: Vec::new(),
            sections: Vec::new(),
            errors: Vec::new(),
            partial: sources.first().is_none_or(|s| s.drop_in),
            user_path,
            system_path: false,
            timer_activated: false,
            beside: None,
        };
        let extents = Extent::of_joined(sources.iter().map(|s| s.text));
        for (source, extent) in sources.iter().zip(extents) {
            let file = parse_file(source.text, extent.base);
            unit.sections.extend(file.sections);
            unit.errors.extend(file.errors);
            unit.files.push(UnitFileInfo {
                name: source.name.to_string(),
                drop_in: source.drop_in,
                extent,
            });
        }
        unit
    }

    /// The sections with this name, in merge order.
    pub fn sections_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Section> {
        self.sections.iter().filter(move |s| s.name.value == name)
    }

    /// The first header of a section, where "missing X" findings point.
    pub fn header(&self, section: &str) -> Option<Span> {
        self.sections_named(section).next().map(|s| s.header)
    }

    /// Every assignment of a key in a section, in merge order, without the resets.
    pub fn all<'a>(&'a self, section: &'a str, key: &'a str) -> impl Iterator<Item = &'a Entry> {
        self.sections_named(section)
            .flat_map(|s| s.entries.iter())
            .filter(move |e| e.key.value == key)
    }

    /// The effective list of a list setting: the assignments after the last empty one.
    pub fn list(&self, section: &str, key: &str) -> Vec<&Entry> {
        let mut out = Vec::new();
        let entries = self
            .sections
            .iter()
            .filter(|s| s.name.value == section)
            .flat_map(|s| s.entries.iter())
            .filter(|e| e.key.value == key);
        for entry in entries {
            if entry.value.is_empty() {
                out.clear();
            } else {
                out.push(entry);
            }
        }
        out
    }

    /// The effective value of a single-valued setting: the last assignment wins; `None` when
    /// unset or reset to its default by an empty assignment.
    pub fn get(&self, section: &str, key: &str) -> Option<&Entry> {
        self.sections
            .iter()
            .filter(|s| s.name.value == section)
            .flat_map(|s| s.entries.iter())
            .rfind(|e| e.key.value == key)
            .filter(|e| !e.value.is_empty())
    }

    /// A boolean setting's effective value (`None`: unset or not a boolean).
    pub fn bool(&self, section: &str, key: &str) -> Option<bool> {
        self.get(section, key).and_then(Entry::as_bool)
    }

    /// `[Service] Type=`, `simple` when unset.
    pub fn service_type(&self) -> &str {
        self.get("Service", "Type")
            .map_or("simple", |e| e.value.as_str())
    }

    /// `DynamicUser=yes`.
    pub fn dynamic_user(&self) -> bool {
        self.bool("Service", "DynamicUser") == Some(true)
    }

    /// Whether a `[Service]` setting is implied by `DynamicUser=yes` (systemd.exec: it turns
    /// on `PrivateTmp=`, `RemoveIPC=`, `NoNewPrivileges=`, `RestrictSUIDSGID=`, and
    /// `ProtectSystem=strict` with `ProtectHome=read-only`).
    pub fn implied_by_dynamic_user(&self, key: &str) -> bool {
        self.dynamic_user()
            && matches!(
                key,
                "PrivateTmp"
                    | "RemoveIPC"
                    | "NoNewPrivileges"
                    | "RestrictSUIDSGID"
                    | "ProtectSystem"
                    | "ProtectHome"
            )
    }

    /// A user unit: under `/systemd/user/`, or installed into `default.target` (the user
    /// manager's target) outside a system unit directory.
    pub fn is_user_unit(&self) -> bool {
        let default_target = self
            .list("Install", "WantedBy")
            .iter()
            .flat_map(|e| e.value.split_whitespace())
            .any(|t| t == "default.target");
        self.user_path || (default_target && !self.system_path)
    }

    /// A unit that runs once and exits rather than serving: `Type=oneshot`, `RemainAfterExit=yes`,
    /// or started by a timer.
    pub fn is_one_shot(&self) -> bool {
        self.service_type() == "oneshot"
            || self.bool("Service", "RemainAfterExit") == Some(true)
            || self.timer_activated
    }

    /// The `Environment=` assignments in effect, each split the way systemd splits them.
    pub fn environment(&self) -> Vec<EnvAssignment> {
        self.list("Service", "Environment")
            .into_iter()
            .flat_map(split_environment)
            .collect()
    }

    /// The `Exec*=` command lines of `[Service]` (and `[Socket]`), in merge order.
    pub fn exec_lines(&self) -> impl Iterator<Item = &Entry> {
        self.sections
            .iter()
            .filter(|s| matches!(s.name.value.as_str(), "Service" | "Socket"))
            .flat_map(|s| s.entries.iter())
            .filter(|e| e.key.value.starts_with("Exec") && !e.value.is_empty())
    }
}

/// The unit a file belongs to: its own name for a unit file, the directory's name without
/// `.d` for a drop-in (`app.service.d/override.conf` → `app.service`). `None` when neither.
pub fn unit_name_of(path: &str) -> Option<(String, bool)> {
    let path = path.replace('\\', "/");
    let mut parts = path.rsplit('/');
    let file = parts.next()?;
    if file.ends_with(".conf")
        && let Some(dir) = parts.next().and_then(|d| d.strip_suffix(".d"))
        && !dir.is_empty()
    {
        return Some((dir.to_string(), true));
    }
    Some((file.to_string(), false))
}

/// The drop-in directories systemd reads for a unit, most specific first (a `.conf` file of a
/// name found in an earlier one hides the same name in the later ones): `<unit>.d`, the
/// template's `<prefix>@.<type>.d` for an instance, the dash-prefix directories
/// (`foo-bar-.service.d`, `foo-.service.d` for `foo-bar-baz.service`), then the type's
/// `service.d`. Drop-ins of all of them are applied together in file-name order.
pub fn drop_in_dirs(unit: &str) -> Vec<String> {
    let mut dirs = vec![format!("{unit}.d")];
    let Some((stem, suffix)) = unit.rsplit_once('.') else {
        return dirs;
    };
    let prefix = match stem.split_once('@') {
        Some((prefix, instance)) => {
            if !instance.is_empty() {
                dirs.push(format!("{prefix}@.{suffix}.d"));
            }
            prefix
        }
        None => stem,
    };
    let mut cuts: Vec<usize> = prefix.match_indices('-').map(|(i, _)| i + 1).collect();
    cuts.reverse();
    for cut in cuts {
        if let Some(head) = prefix.get(..cut) {
            dirs.push(format!("{head}.{suffix}.d"));
        }
    }
    dirs.push(format!("{suffix}.d"));
    let mut seen = Vec::new();
    dirs.retain(|d| {
        let new = !seen.contains(d);
        seen.push(d.clone());
        new
    });
    dirs
}

/// Whether a path is in a system unit directory (`/etc/systemd/system/`,
/// `/usr/lib/systemd/system/`, …), where `WantedBy=default.target` is a system target.
pub fn is_system_path(path: &str) -> bool {
    let path = path.replace('\\', "/");
    path.contains("/systemd/system/") || path.starts_with("systemd/system/")
}

/// Whether a path is a user unit's (`/systemd/user/`, `.config/systemd/user/`).
pub fn is_user_path(path: &str) -> bool {
    let path = path.replace('\\', "/");
    path.contains("/systemd/user/") || path.starts_with("systemd/user/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_target_means_a_user_unit_only_outside_system_directories() {
        let text = "[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=default.target\n";
        let mut unit = Unit::single("app.service", "app.service", text);
        assert!(unit.is_user_unit());
        unit.system_path = is_system_path("/usr/lib/systemd/system/app.service");
        assert!(!unit.is_user_unit());
        assert!(!is_system_path("/home/me/.config/systemd/user/app.service"));
    }

    #[test]
    fn drop_in_directories_from_specific_to_general() {
        assert_eq!(drop_in_dirs("app.service"), ["app.service.d", "service.d"]);
        assert_eq!(
            drop_in_dirs("a-b-c.service"),
            [
                "a-b-c.service.d",
                "a-b-.service.d",
                "a-.service.d",
                "service.d"
            ]
        );
        assert_eq!(
            drop_in_dirs("web-app@blue.service"),
            [
                "web-app@blue.service.d",
                "web-app@.service.d",
                "web-.service.d",
                "service.d"
            ]
        );
        assert_eq!(drop_in_dirs("a-.service"), ["a-.service.d", "service.d"]);
        assert_eq!(drop_in_dirs("service"), ["service.d"]);
        assert_eq!(UnitKind::of("service"), UnitKind::Service);
    }
}
