//! The library's modules form layers: no import cycle between the top-level modules of `src/`
//! (the children of `lib.rs`, with `lib.rs` itself as the crate root). A cycle means two
//! modules can only be understood, tested and changed together.
//!
//! The scan is textual: every `crate::<module>` path in a module's files (and every
//! `<module>::` path in `lib.rs`) is an edge. Comments and `#[cfg(test)]` modules are left out:
//! tests may reach anywhere. The binary (`main.rs` and its `cli.rs`) is a crate of its own.
//!
//! The crate root holds no code: only attributes, `mod` declarations and `use` items (the
//! public API's re-exports). Code there is code every module can reach as `crate::`, and the
//! edges back to it are how cycles through the root began.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crate root, as a node of the graph.
const ROOT: &str = "lib";

/// The files of the binary crate, not of the library.
const BINARY: [&str; 2] = ["main.rs", "cli.rs"];

/// Edges known to close a cycle, each to be removed by moving code to the lower module. Empty:
/// an edge listed here is a debt, not a design.
const ALLOWED: &[(&str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A line up to its comment: what precedes a `//` outside a string.
fn without_comment(line: &str) -> String {
    let mut in_string = false;
    let mut previous = ' ';
    let mut kept = String::new();
    for c in line.chars() {
        if c == '"' && previous != '\\' {
            in_string = !in_string;
        }
        if !in_string && c == '/' && previous == '/' {
            kept.pop();
            break;
        }
        kept.push(c);
        previous = c;
    }
    kept
}

/// The code of a file without its comments and its test modules: each line up to a `//`
/// outside a string is kept, and the text stops at the first `#[cfg(test)]`, which in this
/// crate opens the test module at the end of a file.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim() == "#[cfg(test)]" {
            break;
        }
        out.push_str(&without_comment(line));
        out.push('\n');
    }
    out
}

/// The identifiers that start paths after `prefix` (`crate::` or a module name's `::`):
/// `crate::a::b` gives `a`, and `crate::{a::b, c}` gives `a` and `c`.
fn heads(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest.get(..at).and_then(|b| b.chars().next_back());
        rest = rest.get(at + prefix.len()..).unwrap_or("");
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut top = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if depth == 1 && c == ',' {
                    top.push(std::mem::take(&mut item));
                } else {
                    item.push(c);
                }
            }
            top.push(item);
            for item in top {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// The top-level modules of the library and the graph of their imports.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let module_of = |path: &Path| -> Option<String> {
        let relative = path.strip_prefix(&src).ok()?;
        let first = relative.components().next()?.as_os_str().to_str()?;
        if BINARY.contains(&first) {
            return None;
        }
        if first == "lib.rs" {
            return Some(ROOT.to_string());
        }
        Some(first.trim_end_matches(".rs").to_string())
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(file) else {
            continue;
        };
        let code = code(&std::fs::read_to_string(file).unwrap());
        let mut targets = BTreeSet::new();
        for head in heads(&code, "crate::") {
            // A path to an item of the crate root rather than to a module: an edge to the root.
            targets.insert(if modules.contains(&head) {
                head
            } else {
                ROOT.to_string()
            });
        }
        if module == ROOT {
            // The root names its modules without `crate::`; `mod` lines declare them and
            // `pub use` lines re-export them, which is what a root is for.
            let used: String = code
                .lines()
                .filter(|l| {
                    let l = l.trim_start();
                    !l.starts_with("pub mod ")
                        && !l.starts_with("mod ")
                        && !l.starts_with("pub(crate) mod ")
                        && !l.starts_with("pub use ")
                })
                .collect::<Vec<_>>()
                .join("\n");
            for name in &modules {
                if !heads(&used, &format!("{name}::")).is_empty() {
                    targets.insert(name.clone());
                }
            }
        }
        targets.remove(&module);
        graph.entry(module).or_default().extend(targets);
    }
    graph
}

/// A cycle through `start`, as the modules along it, if there is one.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack: Vec<(String, Vec<String>)> = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(start.to_string());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn top_level_modules_have_no_import_cycle() {
    let mut graph = graph();
    for (from, to) in ALLOWED {
        assert!(
            graph
                .get_mut(*from)
                .is_some_and(|targets| targets.remove(*to)),
            "the allowed edge {from} -> {to} is gone: remove it from ALLOWED"
        );
    }
    // Each cycle once, starting from its first module in name order.
    let cycles: BTreeSet<String> = graph
        .keys()
        .filter_map(|module| cycle_from(&graph, module))
        .map(|mut cycle| {
            cycle.pop();
            let first = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
            cycle.rotate_left(first);
            cycle.push(cycle[0].clone());
            cycle.join(" -> ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles between the top-level modules of src/:\n{}",
        cycles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The scan itself: grouped imports, paths inside expressions, comments and test modules.
#[test]
fn the_scan_reads_paths_and_skips_comments_and_tests() {
    let text = "use crate::{a::B, c, d::{e, f}};\n\
                // crate::commented\n\
                fn x() { let s = \"http://example\"; crate::g::h(); }\n\
                #[cfg(test)]\n\
                mod tests { use crate::tested; }\n";
    let found = heads(&code(text), "crate::");
    let expected: BTreeSet<String> = ["a", "c", "d", "g"].into_iter().map(String::from).collect();
    assert_eq!(found, expected);
}

/// Whether an item of the crate root is one it may hold: a `mod` declaration without a body,
/// or a `use` item, either of them with a visibility.
fn is_declaration(item: &str) -> bool {
    let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
    let item = ["pub(crate) ", "pub "]
        .iter()
        .find_map(|vis| item.strip_prefix(vis))
        .unwrap_or(&item);
    if let Some(name) = item.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
        return name.chars().all(|c| c.is_alphanumeric() || c == '_');
    }
    item.starts_with("use ") && item.ends_with(';')
}

/// The items of a crate root's text that are neither attributes, `mod` declarations nor `use`
/// items. An item runs to the first `;` outside braces, so a function, a `mod` with a body or
/// an `impl` is one item (with whatever follows it up to that `;`), and an attribute runs to
/// its closing bracket.
fn root_code(text: &str) -> Vec<String> {
    let text: String = text
        .lines()
        .map(without_comment)
        .collect::<Vec<_>>()
        .join("\n");
    let mut chars = text.chars().peekable();
    let mut found = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            break;
        };
        let mut item = String::new();
        let mut depth = 0;
        for c in chars.by_ref() {
            item.push(c);
            match c {
                '[' if first == '#' => depth += 1,
                ']' if first == '#' => depth -= 1,
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            let end = if first == '#' { c == ']' } else { c == ';' };
            if end && depth == 0 {
                break;
            }
        }
        if first != '#' && !is_declaration(&item) {
            found.push(item);
        }
    }
    found
}

#[test]
fn the_crate_root_only_declares_modules_and_reexports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let found = root_code(&std::fs::read_to_string(root).unwrap());
    assert!(
        found.is_empty(),
        "src/lib.rs holds code; move it to a module and re-export what is public:\n{}",
        found.join("\n---\n")
    );
}

/// The root check itself: the real crate root passes, and each kind of code planted in it is
/// found, while a comment that reads like code is not.
#[test]
fn the_root_check_finds_planted_code() {
    let root =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let commented = format!("{root}\n// pub fn commented() {{}}\n/// const DOC: u8 = 1;\n");
    assert_eq!(root_code(&commented), Vec::<String>::new());
    for planted in [
        "pub fn planted() -> u8 {\n    1\n}",
        "fn planted() {}",
        "pub const PLANTED: u64 = 1;",
        "struct Planted;",
        "impl Planted {\n    fn new() -> Self {\n        Planted\n    }\n}",
        "mod planted {\n    pub fn f() {}\n}",
        "pub(crate) mod planted { }",
        "#[cfg(test)]\nmod planted_tests {\n    #[test]\n    fn t() {}\n}",
    ] {
        let found = root_code(&format!("{root}\n{planted}\n"));
        assert_eq!(found.len(), 1, "{planted}: {found:?}");
        assert!(
            found
                .iter()
                .any(|item| item.to_lowercase().contains("planted")),
            "{planted}: {found:?}"
        );
    }
}
