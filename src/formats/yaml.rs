//! The YAML layer: a small spanned node tree built on `granit-parser` events. This is the only
//! file that touches a YAML crate. Every document of a stream becomes its own tree; a broken
//! document is one parse error and the documents after it are still read. Aliases are expanded
//! under a node budget, `<<` merge keys are applied, duplicate keys are reported.

use crate::formats::ParseError;
use crate::source::Span;
use granit_parser::{Event, Parser, ScalarStyle, ScanError};

/// How many nodes one document may expand to through aliases: a bound on time and memory that
/// ordinary manifests never reach (a billion-laughs document does).
pub const MAX_NODES: usize = 1_000_000;

/// How deep a document may nest once aliases are expanded. The parser already refuses more
/// than 255 nested flow and 255 nested block collections; an alias can graft a deep anchored
/// tree under a deep point, and chains of them would nest without bound, so models and rules
/// that walk the tree recursively stay within a small, fixed stack depth.
pub const MAX_DEPTH: usize = 1000;

/// A YAML node with the source span it was read from. Nodes copied in by an alias or a merge
/// key keep the spans of the anchored original.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
    /// An explicit local tag such as `!reset` or `!override` (as written, with its `!`).
    /// Standard tags (`!!str`, `!!binary`) and other handles are not kept.
    pub tag: Option<Box<str>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The text after YAML escape processing.
    pub text: String,
    pub style: Style,
}

/// How a scalar was written. Only plain scalars can be booleans, numbers or null.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// One document of a stream.
#[derive(Debug)]
pub struct Document {
    /// `None` for an empty document.
    pub root: Option<Node>,
    /// From the document's first to its last event.
    pub span: Span,
}

/// All documents of a file, and the problems found while reading them.
#[derive(Debug, Default)]
pub struct Stream {
    pub documents: Vec<Document>,
    pub errors: Vec<ParseError>,
    /// Keys written twice in one mapping: the document is still read (the last value wins).
    pub duplicate_keys: Vec<ParseError>,
}

impl Node {
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar that is not null.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar()
            .filter(|s| !s.is_null())
            .map(|s| s.text.as_str())
    }

    /// A plain `true` or `false` (any case, as YAML 1.2's core schema and Go's parsers read it).
    pub fn as_bool(&self) -> Option<bool> {
        let s = self.as_scalar().filter(|s| s.style == Style::Plain)?;
        match s.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    /// A plain integer.
    pub fn as_i64(&self) -> Option<i64> {
        let s = self.as_scalar().filter(|s| s.style == Style::Plain)?;
        s.text.parse().ok()
    }

    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    /// The value of `key` in a mapping (the last one when a key is repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry of `key` in a mapping, for its key span.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .rev()
            .find(|e| e.key.as_str() == Some(key))
    }

    /// Follow a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The mapping's entries whose key is a string: (key, key node, value).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &Node, &Node)> {
        self.as_map()
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| e.key.as_str().map(|k| (k, &e.key, &e.value)))
    }

    /// The items of a sequence, or nothing.
    pub fn items(&self) -> impl Iterator<Item = &Node> {
        self.as_seq().unwrap_or(&[]).iter()
    }

    /// The number of nodes in this tree (itself included), counting at most to `limit + 1`.
    pub fn size(&self, limit: usize) -> usize {
        count_nodes(self, limit)
    }

    /// Every scalar string below this node (itself included), with its node, depth first.
    pub fn strings(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Scalar(s) if !s.is_null() => out.push(node),
                Value::Scalar(_) => {}
                Value::Seq(items) => stack.extend(items.iter().rev()),
                Value::Map(entries) => {
                    for e in entries.iter().rev() {
                        stack.push(&e.value);
                        stack.push(&e.key);
                    }
                }
            }
        }
        out
    }
}

impl Scalar {
    /// A plain empty scalar, `~` or `null` (any case).
    pub fn is_null(&self) -> bool {
        self.style == Style::Plain
            && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }
}

/// Parse a YAML (or JSON) stream.
pub fn parse(text: &str) -> Stream {
    let options = granit_parser::options! { emit_comments: false };
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut stream = Stream::default();
    let mut builder = Builder::default();
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                let span = to_span(&span);
                if let Err(message) = builder.event(event, span, &mut stream) {
                    stream.errors.push(ParseError { span, message });
                    builder = Builder::default();
                    if !matches!(parser.proceed_next_document(), Ok(true)) {
                        break;
                    }
                }
            }
            Some(Err(error)) => {
                stream.errors.push(scan_error(text, &error));
                builder = Builder::default();
                if !matches!(parser.proceed_next_document(), Ok(true)) {
                    break;
                }
            }
        }
    }
    stream
}

/// A local tag (`!reset`, `!override`, `!Ref`) as written; standard `!!` tags are dropped.
fn local_tag(tag: Option<&granit_parser::Tag>) -> Option<Box<str>> {
    let tag = tag?;
    (tag.handle() == "!").then(|| format!("!{}", tag.suffix()).into_boxed_str())
}

fn to_span(span: &granit_parser::Span) -> Span {
    span.byte_range()
        .map_or(Span::default(), |r| Span::new(r.start, r.end))
}

fn scan_error(text: &str, error: &ScanError) -> ParseError {
    let at = error
        .marker()
        .byte_offset()
        .unwrap_or(text.len())
        .min(text.len());
    let info = error.info();
    let message = if info.is_empty() {
        "invalid YAML".to_string()
    } else {
        format!("invalid YAML: {info}")
    };
    ParseError {
        span: Span::point(at),
        message,
    }
}

/// An open collection while its children are read.
#[derive(Debug)]
enum Open {
    Seq {
        start: Span,
        anchor: usize,
        tag: Option<Box<str>>,
        items: Vec<Node>,
        /// The greatest height of the items so far.
        height: usize,
    },
    Map {
        start: Span,
        anchor: usize,
        tag: Option<Box<str>>,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
        /// Merge sources (`<<`) in the order written.
        merges: Vec<Node>,
        /// The greatest height of the keys and values so far.
        height: usize,
    },
}

/// Builds the trees of one stream from its events, one document at a time.
#[derive(Debug, Default)]
struct Builder {
    stack: Vec<Open>,
    /// Anchored nodes of the current document by anchor id, with their height (a scalar is 1).
    anchors: Vec<(usize, Node, usize)>,
    /// Nodes built in the current document, aliases expanded.
    nodes: usize,
    doc_start: Option<Span>,
    root: Option<Node>,
    duplicates: Vec<ParseError>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span, stream: &mut Stream) -> Result<(), String> {
        match event {
            // Comments, anchor markers and events of later parser versions carry no data.
            Event::StreamStart | Event::StreamEnd | Event::Anchor(..) | Event::Comment(..) => {}
            Event::DocumentStart(..) => {
                *self = Builder {
                    doc_start: Some(span),
                    ..Builder::default()
                };
            }
            Event::DocumentEnd => {
                let start = self.doc_start.unwrap_or(span);
                stream.duplicate_keys.append(&mut self.duplicates);
                stream.documents.push(Document {
                    root: self.root.take(),
                    span: start.cover(span),
                });
                *self = Builder::default();
            }
            Event::Scalar(text, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    _ => Style::Block,
                };
                let node = Node {
                    span,
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        style,
                    }),
                    tag: local_tag(tag.as_deref()),
                };
                self.count(1)?;
                self.finish(node, anchor, 1)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.count(1)?;
                self.stack.push(Open::Seq {
                    start: span,
                    anchor,
                    tag: local_tag(tag.as_deref()),
                    items: Vec::new(),
                    height: 0,
                });
            }
            Event::MappingStart(_, anchor, tag) => {
                self.count(1)?;
                self.stack.push(Open::Map {
                    start: span,
                    anchor,
                    tag: local_tag(tag.as_deref()),
                    entries: Vec::new(),
                    pending_key: None,
                    merges: Vec::new(),
                    height: 0,
                });
            }
            Event::SequenceEnd => match self.stack.pop() {
                Some(Open::Seq {
                    start,
                    anchor,
                    tag,
                    mut items,
                    height,
                }) => {
                    items.shrink_to_fit();
                    let node = Node {
                        span: start.cover(span),
                        value: Value::Seq(items),
                        tag,
                    };
                    self.finish(node, anchor, height + 1)?;
                }
                _ => return Err("unbalanced sequence end".into()),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Open::Map {
                    start,
                    anchor,
                    tag,
                    mut entries,
                    merges,
                    height,
                    ..
                }) => {
                    self.check_duplicates(&entries);
                    merge(&mut entries, merges);
                    // The tree lives until the run ends: give back the growth slack.
                    entries.shrink_to_fit();
                    let node = Node {
                        span: start.cover(span),
                        value: Value::Map(entries),
                        tag,
                    };
                    self.finish(node, anchor, height + 1)?;
                }
                _ => return Err("unbalanced mapping end".into()),
            },
            Event::Alias(id) => {
                let Some((_, anchored, height)) =
                    self.anchors.iter().rev().find(|(a, ..)| *a == id)
                else {
                    return Err("alias to an unknown anchor".into());
                };
                let height = *height;
                // Check before copying, so an oversized or too deep expansion is refused, not built.
                if self.stack.len() + height > MAX_DEPTH {
                    return Err(format!(
                        "the document nests deeper than {MAX_DEPTH} levels through aliases"
                    ));
                }
                let size = count_nodes(anchored, MAX_NODES);
                let node = anchored.clone();
                self.count(size)?;
                self.finish(node, 0, height)?;
            }
            Event::UnresolvedAlias(name) => {
                return Err(format!("alias `*{name}` refers to no anchor"));
            }
            _ => {}
        }
        Ok(())
    }

    /// Report keys written twice in one mapping (sorting keeps this linear-logarithmic).
    fn check_duplicates(&mut self, entries: &[Entry]) {
        let mut keys: Vec<(&str, usize)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.key.as_str().map(|k| (k, i)))
            .collect();
        keys.sort_unstable();
        for pair in keys.windows(2) {
            if let [(a, _), (b, later)] = pair
                && a == b
                && let Some(entry) = entries.get(*later)
            {
                self.duplicates.push(ParseError {
                    span: entry.key.span,
                    message: format!("duplicate key `{b}`: the earlier value is ignored"),
                });
            }
        }
    }

    fn count(&mut self, n: usize) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(format!(
                "the document expands to more than {MAX_NODES} nodes through aliases"
            ));
        }
        Ok(())
    }

    /// A complete node: remember it if anchored, then attach it to its parent.
    fn finish(&mut self, node: Node, anchor: usize, height: usize) -> Result<(), String> {
        if anchor != 0 {
            self.anchors.push((anchor, node.clone(), height));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq {
                items, height: max, ..
            }) => {
                *max = (*max).max(height);
                items.push(node);
            }
            Some(Open::Map {
                entries,
                pending_key,
                merges,
                height: max,
                ..
            }) => match pending_key.take() {
                None => {
                    *max = (*max).max(height);
                    *pending_key = Some(node);
                }
                Some(key) => {
                    let is_merge = key
                        .as_scalar()
                        .is_some_and(|s| s.style == Style::Plain && s.text == "<<");
                    if is_merge {
                        match &node.value {
                            Value::Map(_) => merges.push(node),
                            Value::Seq(items) => merges.extend(items.iter().cloned()),
                            Value::Scalar(_) => {
                                return Err(
                                    "a merge key `<<` needs a mapping or a list of mappings".into(),
                                );
                            }
                        }
                    } else {
                        entries.push(Entry { key, value: node });
                    }
                    *max = (*max).max(height);
                }
            },
        }
        Ok(())
    }
}

/// Apply `<<` merge sources: their keys are added unless the mapping sets them itself; earlier
/// sources win over later ones.
fn merge(entries: &mut Vec<Entry>, merges: Vec<Node>) {
    for source in merges {
        let Value::Map(from) = source.value else {
            continue;
        };
        for entry in from {
            let present = entries
                .iter()
                .any(|e| e.key.as_str().is_some() && e.key.as_str() == entry.key.as_str());
            if !present {
                entries.push(entry);
            }
        }
    }
}

/// Number of nodes in a tree, counting at most to `limit`.
fn count_nodes(node: &Node, limit: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        n += 1;
        if n > limit {
            break;
        }
        match &node.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => {
                for e in entries {
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
        }
    }
    n
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let s = parse(text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        s.documents.into_iter().next().unwrap().root.unwrap()
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn mappings_keep_key_and_value_spans() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n";
        let root = one(text);
        let entry = root.get("metadata").unwrap().entry("name").unwrap();
        assert_eq!(slice(text, entry.key.span), "name");
        assert_eq!(slice(text, entry.value.span), "web");
        assert_eq!(
            root.path(&["metadata", "name"]).unwrap().as_str(),
            Some("web")
        );
    }

    #[test]
    fn scalar_styles_decide_types() {
        let root = one("a: true\nb: \"true\"\nc: ~\nd: 8080\ne: 'x'\nf: |\n  line\n");
        assert_eq!(root.get("a").unwrap().as_bool(), Some(true));
        assert_eq!(root.get("b").unwrap().as_bool(), None);
        assert_eq!(root.get("b").unwrap().as_str(), Some("true"));
        assert!(root.get("c").unwrap().is_null());
        assert_eq!(root.get("c").unwrap().as_str(), None);
        assert_eq!(root.get("d").unwrap().as_i64(), Some(8080));
        assert_eq!(
            root.get("f").unwrap().as_scalar().unwrap().style,
            Style::Block
        );
    }

    #[test]
    fn several_documents_and_recovery_after_a_broken_one() {
        let text = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
        let s = parse(text);
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        let roots: Vec<_> = s.documents.iter().filter_map(|d| d.root.as_ref()).collect();
        assert_eq!(roots.len(), 2);
        assert!(roots[0].get("a").is_some());
        assert!(roots[1].get("c").is_some());
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text =
            "base: &b\n  restart: always\n  image: x:1\nsvc:\n  <<: *b\n  image: y:2\nlist: [*b]\n";
        let root = one(text);
        let svc = root.get("svc").unwrap();
        assert_eq!(svc.get("image").unwrap().as_str(), Some("y:2"));
        let restart = svc.get("restart").unwrap();
        assert_eq!(restart.as_str(), Some("always"));
        // Merged values point at the anchored original.
        assert_eq!(slice(text, restart.span), "always");
        assert_eq!(root.get("list").unwrap().items().count(), 1);
        assert!(svc.get("<<").is_none());
    }

    #[test]
    fn merge_list_earlier_sources_win() {
        let root = one("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n");
        let c = root.get("c").unwrap();
        assert_eq!(c.get("x").unwrap().as_i64(), Some(1));
        assert_eq!(c.get("y").unwrap().as_i64(), Some(2));
    }

    #[test]
    fn billion_laughs_is_cut_off() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = name;
        }
        let s = parse(&text);
        assert_eq!(s.errors.len(), 1);
        assert!(s.errors[0].message.contains("more than"), "{:?}", s.errors);
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_last_wins() {
        let text = "a: 1\na: 2\n";
        let s = parse(text);
        assert!(s.errors.is_empty());
        assert_eq!(s.duplicate_keys.len(), 1);
        assert!(s.duplicate_keys[0].message.contains("duplicate key `a`"));
        assert_eq!(slice(text, s.duplicate_keys[0].span), "a");
        let root = s.documents[0].root.as_ref().unwrap();
        assert_eq!(root.get("a").unwrap().as_i64(), Some(2));
    }

    #[test]
    fn crlf_json_and_tags() {
        let text = "a: 1\r\nb:\r\n  - x\r\n";
        let root = one(text);
        assert_eq!(
            slice(text, root.get("b").unwrap().items().next().unwrap().span),
            "x"
        );
        let json = one("{\"kind\": \"Pod\", \"spec\": {\"containers\": []}}");
        assert_eq!(json.get("kind").unwrap().as_str(), Some("Pod"));
        let tagged = one("data: !!binary aGVsbG8=\nx: !Ref y\nports: !reset []\n");
        assert_eq!(tagged.get("x").unwrap().as_str(), Some("y"));
        assert_eq!(tagged.get("x").unwrap().tag.as_deref(), Some("!Ref"));
        assert_eq!(tagged.get("data").unwrap().tag, None);
        assert_eq!(tagged.get("ports").unwrap().tag.as_deref(), Some("!reset"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let s = parse(&text);
        assert!(!s.errors.is_empty());
        let text = (0..2000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
        let _ = parse(&text);
    }

    #[test]
    fn empty_documents() {
        let s = parse("");
        assert!(s.errors.is_empty());
        assert!(s.documents.iter().all(|d| d.root.is_none()));
        let s = parse("# only a comment\n---\n");
        assert!(s.errors.is_empty());
    }

    #[test]
    fn strings_walks_every_scalar() {
        let root = one("a: [x, {b: y}]\nc: ~\n");
        let texts: Vec<_> = root.strings().iter().filter_map(|n| n.as_str()).collect();
        assert_eq!(texts, ["a", "x", "b", "y", "c"]);
    }
}
