//! The lint unit of a systemd unit: the unit file with the drop-ins systemd merges into it,
//! and the timers beside it. Read once, before any rule runs, so that the rules judge models
//! only.

use super::{Beside, Unit};
use crate::formats::siblings::Siblings;
use crate::source::SourceFile;

/// A unit assembled around one of its files.
#[derive(Debug)]
pub struct Assembled {
    /// The unit with its drop-ins, its spans in `text`.
    pub unit: Unit,
    /// The index in `unit.files` of the file the unit was assembled for.
    pub current: usize,
    /// The unit's files joined in merge order (see [`crate::source::Extent`]).
    pub text: String,
}

/// The unit of a file with its drop-ins, the index of the file among them, and the unit's
/// joined text. The unit file and the drop-in directories systemd reads for it
/// ([`super::drop_in_dirs`]: `<unit>.d`, the template's, the dash prefixes', the type's
/// `service.d`) are looked up in the unit's directory: the file's own for a unit file, the
/// parent of a drop-in's (the unit is partial when its file is not there). A drop-in name in a
/// more specific directory hides the same name in a more general one; the drop-ins are merged
/// in file-name order, whichever directory holds them, as systemd merges them.
pub fn assemble(source: &SourceFile, siblings: &Siblings) -> Assembled {
    // The path names a drop-in's directory even when the displayed name does not (a run
    // started inside that directory).
    let path = source
        .path
        .as_ref()
        .map_or(source.name.clone(), |p| p.to_string_lossy().into_owned());
    let (unit_name, drop_in) = match super::unit_name_of(&path) {
        Some((name, true)) => (name, true),
        _ => super::unit_name_of(&source.name).unwrap_or_default(),
    };
    let own = path.rsplit(['/', '\\']).next().unwrap_or("").to_string();
    let own_dir = format!("{unit_name}.d");
    // The unit's directory: a drop-in's parent, when on disk.
    let parent = match siblings {
        Siblings::Dir(dir, _) if drop_in => dir.parent().map(|p| {
            if p.as_os_str().is_empty() {
                Siblings::dir(".")
            } else {
                Siblings::dir(p)
            }
        }),
        _ => None,
    };
    let unit_dir = match (&parent, drop_in) {
        (Some(parent), _) => parent,
        (None, true) => &Siblings::None,
        (None, false) => siblings,
    };
    // A drop-in's own directory is its siblings; the others are read from the unit's.
    let list = |dir: &str| -> Vec<String> {
        if drop_in && dir == own_dir {
            siblings.files_in("")
        } else {
            unit_dir.files_in(dir)
        }
    };
    let read = |dir: &str, name: &str| -> Option<String> {
        if drop_in && dir == own_dir {
            siblings.read(name)
        } else {
            unit_dir.read(&format!("{dir}/{name}"))
        }
    };
    let mut texts: Vec<(String, String, bool)> = Vec::new();
    if drop_in {
        if let Some(text) = unit_dir.read(&unit_name) {
            texts.push((unit_name.clone(), text, false));
        }
    } else {
        texts.push((own.clone(), source.text.clone(), false));
    }
    let mut drop_ins: Vec<(String, String)> = Vec::new();
    for dir in super::drop_in_dirs(&unit_name) {
        let mut names = list(&dir);
        if drop_in && dir == own_dir && !names.contains(&own) {
            names.push(own.clone());
        }
        for name in names {
            if name.ends_with(".conf") && !drop_ins.iter().any(|(n, _)| *n == name) {
                drop_ins.push((name, dir.clone()));
            }
        }
    }
    drop_ins.sort();
    let mut current = 0;
    for (name, dir) in drop_ins {
        let text = if drop_in && dir == own_dir && name == own {
            current = texts.len();
            Some(source.text.clone())
        } else {
            read(&dir, &name)
        };
        if let Some(text) = text {
            texts.push((format!("{dir}/{name}"), text, true));
        }
    }
    let sources: Vec<super::UnitSource> = texts
        .iter()
        .map(|(name, text, drop_in)| super::UnitSource {
            name,
            text,
            drop_in: *drop_in,
        })
        .collect();
    let mut unit = super::Unit::assemble(
        &unit_name,
        &sources,
        super::is_user_path(&path) || super::is_user_path(&source.name),
    );
    unit.system_path = super::is_system_path(&path) || super::is_system_path(&source.name);
    unit.timer_activated = timer_activated(&unit_name, unit_dir);
    if unit.kind == super::UnitKind::Timer && !matches!(siblings, Siblings::None) {
        // The directory of the file given: a timer's drop-in is judged where it lies.
        unit.beside = Some(Beside {
            files: siblings.files_in(""),
            entries: siblings.entries(),
        });
    }
    let text = crate::source::join_texts(texts.iter().map(|(_, t, _)| t.as_str()));
    Assembled {
        unit,
        current,
        text,
    }
}

/// Whether a `.timer` beside a service starts it: the same-name timer, or one whose `Unit=`
/// names the service.
fn timer_activated(service: &str, siblings: &Siblings) -> bool {
    let Some(stem) = service.strip_suffix(".service") else {
        return false;
    };
    let timers: Vec<String> = siblings
        .files_in("")
        .into_iter()
        .filter(|n| n.ends_with(".timer"))
        .collect();
    if timers
        .iter()
        .any(|t| t.strip_suffix(".timer") == Some(stem))
    {
        return true;
    }
    timers.iter().any(|t| {
        siblings.read(t).is_some_and(|text| {
            super::parse_file(&text, 0)
                .sections
                .iter()
                .filter(|s| s.name.value == "Timer")
                .flat_map(|s| s.entries.iter())
                .any(|e| e.key.value == "Unit" && e.value == service)
        })
    })
}
