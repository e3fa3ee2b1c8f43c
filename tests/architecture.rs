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
//!
//! Rules judge models: no file under `src/rules/` reads the file system or calls a file parser.
//! The same textual scan finds what a rule's code and imports name.
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

/// What a rule may not do, as text in its code. Rules judge models: everything around a file
/// (a `.dockerignore`, a kustomization, an override file, an included pipeline) is read and
/// parsed once by the format's lint unit under `src/formats/`, before any rule runs. A rule that
/// reads the file system, or calls a file parser on text it fetched, repeats that work in every
/// rule that needs it and hides a dependency on disk that the model does not show.
///
/// Readers of a single value that a model already holds are not file parsers and stay allowed:
/// image references, cron expressions, `${{ }}` expressions, label selectors, durations and
/// time spans, Pebble templates, JSON policy documents written in an attribute. Their entry
/// points are not listed here.
///
/// The scan is textual, like the import scan above: a module renamed on import (`use … as`)
/// escapes it. Test modules may parse whatever they like.
const FORBIDDEN: &[&str] = &[
    // The file system, directly or through the reader of a file's surroundings.
    "std::fs",
    "fs::",
    "File::",
    "OpenOptions",
    "read_dir",
    "read_to_string",
    ".exists()",
    ".is_file()",
    ".is_dir()",
    "metadata(",
    "canonicalize",
    "current_dir",
    "Siblings",
    "siblings()",
    // The entry points of the file parsers, of the lint unit, and of the engine (which parses).
    "formats::parse",
    "parse_unit",
    "attach(",
    "docker::parse",
    "compose::parse",
    "k8s::parse",
    "kustomization::parse",
    "kestra::parse",
    "ci::parse",
    "yaml::parse",
    "from_dotenv",
    "parse_file",
    "Unit::single",
    "Unit::assemble",
    "parse_module",
    "lint_source",
    "lint_file",
];

/// The paths a file's `use` items bring in, written out in full: `use a::{b, c::{d, e}};`
/// gives `a::b`, `a::c::d` and `a::c::e`, so that an import of a parser is found whatever
/// way it is grouped.
fn use_paths(code: &str) -> Vec<String> {
    fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
        let tree = tree.trim();
        let Some((head, group)) = tree.split_once('{') else {
            out.push(format!("{prefix}{tree}"));
            return;
        };
        let group = group.trim_end().strip_suffix('}').unwrap_or(group);
        let mut depth = 0;
        let mut item = String::new();
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&format!("{prefix}{head}"), &std::mem::take(&mut item), out);
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        if !item.trim().is_empty() {
            expand(&format!("{prefix}{head}"), &item, out);
        }
    }
    let mut out = Vec::new();
    for (at, _) in code.match_indices("use ") {
        let before = code.get(..at).and_then(|b| b.chars().next_back());
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = code.get(at + "use ".len()..).unwrap_or("");
        let tree = rest.split_once(';').map_or(rest, |(tree, _)| tree);
        expand("", tree, &mut out);
    }
    out
}

/// Whether `code` holds `pattern` as a whole token: where the pattern starts or ends with an
/// identifier's character, the text beside it does not continue the identifier (`parse_file`
/// is not found in `parse_files`, nor `File::` in `ParsedFile::`).
fn holds(code: &str, pattern: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(pattern).any(|(at, _)| {
        let before = code.get(..at).and_then(|b| b.chars().next_back());
        let after = code
            .get(at + pattern.len()..)
            .and_then(|a| a.chars().next());
        let joins_before = pattern.starts_with(ident) && before.is_some_and(ident);
        let joins_after = pattern.ends_with(ident) && after.is_some_and(ident);
        !joins_before && !joins_after
    })
}

/// The forbidden patterns that a file's text holds, in its code or its imports.
fn offences(text: &str) -> Vec<&'static str> {
    let code = code(text);
    let scanned = format!("{code}\n{}", use_paths(&code).join("\n"));
    FORBIDDEN
        .iter()
        .copied()
        .filter(|p| holds(&scanned, p))
        .collect()
}

/// The files under `src/rules/` that offend, with what they do.
fn rule_offenders() -> BTreeMap<String, Vec<&'static str>> {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files = Vec::new();
    rust_files(&rules, &mut files);
    files
        .iter()
        .filter_map(|file| {
            let found = offences(&std::fs::read_to_string(file).unwrap());
            let relative = file.strip_prefix(&rules).unwrap();
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (!found.is_empty()).then_some((name, found))
        })
        .collect()
}

#[test]
fn rules_neither_read_files_nor_parse_them() {
    let offenders: Vec<String> = rule_offenders()
        .iter()
        .map(|(name, found)| format!("src/rules/{name}: {}", found.join(", ")))
        .collect();
    assert!(
        offenders.is_empty(),
        "rules read the file system or parse a file; read it in the format's lint unit \
         (src/formats/<format>/unit.rs) into the model instead:\n{}",
        offenders.join("\n")
    );
}

/// The rule scan itself: each kind of read or parse planted in a rule is found, in code or in
/// an import however grouped, while comments, test modules, value readers and look-alike
/// names are not.
#[test]
fn the_rule_scan_finds_planted_reads() {
    let clean = "//! A rule.\n\
                 use crate::formats::k8s::selector::LabelSelector;\n\
                 use crate::formats::yaml::{self, Node};\n\
                 // std::fs::read(\"x\") in a comment\n\
                 /// Calls `docker::parse` in a doc comment.\n\
                 fn check(m: &Manifest, cx: &mut Ctx) {\n\
                     let n: u16 = \"1\".parse().unwrap_or(0);\n\
                     let s = LabelSelector::parse(node);\n\
                     let f = ParsedFile::default(); let p = m.patch_file;\n\
                 }\n\
                 #[cfg(test)]\n\
                 mod tests { fn t() { std::fs::read(\"x\"); lint_source(); } }\n";
    assert_eq!(offences(clean), Vec::<&str>::new());
    for (planted, expected) in [
        ("fn f() { let _ = std::fs::read(\"x\"); }", "std::fs"),
        ("use std::fs;\nfn f() { fs::read(\"x\"); }", "fs::"),
        ("fn f(p: &Path) -> bool { p.exists() }", ".exists()"),
        (
            "fn f(cx: &Ctx) { cx.siblings().read(\"a\"); }",
            "siblings()",
        ),
        ("use crate::rules::Siblings;", "Siblings"),
        ("fn f(t: &str) { yaml::parse(t); }", "yaml::parse"),
        (
            "use crate::formats::docker::{Dockerfile, parse};",
            "docker::parse",
        ),
        (
            "use crate::formats::{compose::{self, parse as p}};",
            "compose::parse",
        ),
        ("fn f(t: &str) { Env::from_dotenv(t); }", "from_dotenv"),
    ] {
        let found = offences(&format!("{clean}\n{planted}\n").replacen(
            "#[cfg(test)]",
            &format!("{planted}\n#[cfg(test)]"),
            1,
        ));
        assert!(found.contains(&expected), "{planted}: {found:?}");
    }
}
