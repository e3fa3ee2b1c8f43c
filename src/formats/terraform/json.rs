//! Terraform's JSON syntax (`*.tf.json`, `*.tfvars.json`): a small JSON reader that keeps byte
//! spans, and the mapping of its objects onto blocks and attributes.

use super::{Attribute, Block, Body, Expr, ExprKind, ObjectItem, Piece, Text};
use crate::formats::ParseError;
use crate::source::{Span, Spanned};

/// Nesting deeper than this is reported instead of read (a guard for the recursion).
const MAX_DEPTH: usize = 256;

/// A JSON value with its span.
#[derive(Clone, Debug)]
pub(super) struct Value {
    kind: Kind,
    span: Span,
}

#[derive(Clone, Debug)]
enum Kind {
    Null,
    Bool(bool),
    Number(String),
    /// The decoded string, the span of its text inside the quotes, and whether the text has
    /// no escapes (so offsets in the value are offsets in the source).
    String(String, Span, bool),
    Array(Vec<Value>),
    Object(Vec<Member>),
}

#[derive(Clone, Debug)]
struct Member {
    key: Spanned<String>,
    value: Value,
}

/// Parse a JSON document whose first byte sits at `base` in the module's offset space.
pub(super) fn parse(text: &str, base: usize) -> Result<Value, ParseError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        base,
    };
    reader.skip_ws();
    let value = reader.value(0)?;
    reader.skip_ws();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error("invalid JSON: unexpected text after the document"));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    base: usize,
}

impl Reader<'_> {
    fn error(&self, message: &str) -> ParseError {
        ParseError {
            span: Span::point(self.base + self.pos.min(self.bytes.len())),
            message: message.to_string(),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self
            .peek()
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("invalid JSON: expected {what}")))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("invalid JSON: nesting is too deep"));
        }
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => {
                let (value, inner, exact) = self.string()?;
                Kind::String(value, inner, exact)
            }
            Some(b't') => self.word("true", Kind::Bool(true))?,
            Some(b'f') => self.word("false", Kind::Bool(false))?,
            Some(b'n') => self.word("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => {
                while self.peek().is_some_and(|b| {
                    b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                }) {
                    self.pos += 1;
                }
                Kind::Number(self.text.get(start..self.pos).unwrap_or("").to_string())
            }
            _ => return Err(self.error("invalid JSON: expected a value")),
        };
        Ok(Value {
            kind,
            span: self.span(start, self.pos),
        })
    }

    fn word(&mut self, word: &str, kind: Kind) -> Result<Kind, ParseError> {
        if self
            .bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()))
        {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.error("invalid JSON: expected a value"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind, ParseError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("invalid JSON: expected a string key"));
            }
            let start = self.pos;
            let (key, _, _) = self.string()?;
            let key_span = self.span(start, self.pos);
            self.skip_ws();
            self.expect(b':', "`:`")?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key: Spanned::new(key, key_span),
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Kind::Object(members));
                }
                _ => return Err(self.error("invalid JSON: expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Kind, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Kind::Array(items));
                }
                _ => return Err(self.error("invalid JSON: expected `,` or `]`")),
            }
        }
    }

    /// A string at `pos` (on its opening quote): its value, the span inside the quotes, and
    /// whether it had no escapes.
    fn string(&mut self) -> Result<(String, Span, bool), ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut exact = true;
        let mut run = self.pos;
        loop {
            match self.peek() {
                None => {
                    self.pos = open;
                    return Err(self.error("invalid JSON: unterminated string"));
                }
                Some(b'"') => {
                    out.push_str(self.text.get(run..self.pos).unwrap_or(""));
                    let inner = self.span(open + 1, self.pos);
                    self.pos += 1;
                    return Ok((out, inner, exact));
                }
                Some(b'\\') => {
                    exact = false;
                    out.push_str(self.text.get(run..self.pos).unwrap_or(""));
                    self.pos += 1;
                    let escaped = self.peek();
                    self.pos += 1;
                    match escaped {
                        Some(b'n') => out.push('\n'),
                        Some(b't') => out.push('\t'),
                        Some(b'r') => out.push('\r'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'u') => {
                            let hex = self.text.get(self.pos..self.pos + 4).unwrap_or("");
                            let code = u32::from_str_radix(hex, 16).ok();
                            out.push(code.and_then(char::from_u32).unwrap_or('\u{fffd}'));
                            self.pos = (self.pos + 4).min(self.bytes.len());
                        }
                        Some(c @ (b'"' | b'\\' | b'/')) => out.push(char::from(c)),
                        _ => return Err(self.error("invalid JSON: bad escape in a string")),
                    }
                    run = self.pos;
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

/// Block types whose JSON form is `{ "<type>": { "<name>": { … } } }`.
const TWO_LABELS: [&str; 2] = ["resource", "data"];
/// Block types whose JSON form is `{ "<type>": { "<name>": { … } } }` with one label.
const ONE_LABEL: [&str; 4] = ["module", "variable", "output", "provider"];
/// Block types without labels.
const NO_LABEL: [&str; 3] = ["terraform", "locals", "moved"];
/// Nested blocks that carry a label in JSON (`"backend": { "s3": { … } }`).
const LABELLED_NESTED: [&str; 3] = ["backend", "provisioner", "dynamic"];
/// Keys whose object value is a map attribute, not a nested block.
const MAP_ATTRIBUTES: [&str; 12] = [
    "tags",
    "tags_all",
    "labels",
    "default_labels",
    "metadata",
    "variables",
    "environment",
    "triggers",
    "annotations",
    "parameters",
    "default",
    "value",
];

/// The top-level blocks of a `.tf.json` document.
pub(super) fn config_blocks(root: &Value) -> Vec<Block> {
    let mut out = Vec::new();
    let Kind::Object(members) = &root.kind else {
        return out;
    };
    for member in members {
        let ty = member.key.value.as_str();
        let labels = if TWO_LABELS.contains(&ty) {
            2
        } else if ONE_LABEL.contains(&ty) {
            1
        } else if NO_LABEL.contains(&ty) {
            0
        } else {
            continue;
        };
        blocks(
            &member.key,
            &member.value,
            labels,
            &mut Vec::new(),
            &mut out,
        );
    }
    out
}

/// Blocks of type `kind` from `value`, peeling `labels` levels of object keys first.
fn blocks(
    kind: &Spanned<String>,
    value: &Value,
    labels: usize,
    path: &mut Vec<Spanned<String>>,
    out: &mut Vec<Block>,
) {
    if labels == 0 {
        for body in bodies(value) {
            let attributes_only = matches!(kind.value.as_str(), "locals" | "required_providers");
            out.push(Block {
                kind: kind.clone(),
                labels: path.clone(),
                body: block_body(body, attributes_only),
                span: body.span,
                head: path.last().map_or(kind.span, |l| kind.span.cover(l.span)),
            });
        }
        return;
    }
    let Kind::Object(members) = &value.kind else {
        return;
    };
    for member in members {
        path.push(member.key.clone());
        blocks(kind, &member.value, labels - 1, path, out);
        path.pop();
    }
}

/// The objects of a block value: one object, or an array of objects.
fn bodies(value: &Value) -> Vec<&Value> {
    match &value.kind {
        Kind::Object(_) => vec![value],
        Kind::Array(items) => items
            .iter()
            .filter(|i| matches!(i.kind, Kind::Object(_)))
            .collect(),
        _ => vec![],
    }
}

fn is_block_value(value: &Value) -> bool {
    match &value.kind {
        Kind::Object(_) => true,
        Kind::Array(items) => {
            !items.is_empty() && items.iter().all(|i| matches!(i.kind, Kind::Object(_)))
        }
        _ => false,
    }
}

fn block_body(value: &Value, attributes_only: bool) -> Body {
    let mut body = Body::default();
    let Kind::Object(members) = &value.kind else {
        return body;
    };
    for member in members {
        let key = member.key.value.as_str();
        if key == "//" {
            continue;
        }
        let nested =
            !attributes_only && !MAP_ATTRIBUTES.contains(&key) && is_block_value(&member.value);
        if nested {
            let labels = usize::from(LABELLED_NESTED.contains(&key));
            let mut inner = Vec::new();
            blocks(
                &member.key,
                &member.value,
                labels,
                &mut Vec::new(),
                &mut inner,
            );
            for mut block in inner {
                let children = key == "required_providers";
                if children {
                    block.body = block_body(
                        bodies(&member.value)
                            .first()
                            .copied()
                            .unwrap_or(&member.value),
                        true,
                    );
                }
                body.blocks.push(block);
            }
        } else {
            body.attributes.push(Attribute {
                key: member.key.clone(),
                value: expr(&member.value),
                span: member.key.span.cover(member.value.span),
            });
        }
    }
    body
}

/// The assignments of a `.tfvars.json` document.
pub(super) fn vars(root: &Value) -> Vec<Attribute> {
    let Kind::Object(members) = &root.kind else {
        return vec![];
    };
    members
        .iter()
        .map(|m| Attribute {
            key: m.key.clone(),
            value: expr(&m.value),
            span: m.key.span.cover(m.value.span),
        })
        .collect()
}

pub(super) fn expr(value: &Value) -> Expr {
    let kind = match &value.kind {
        Kind::Null => ExprKind::Null,
        Kind::Bool(b) => ExprKind::Bool(*b),
        Kind::Number(n) => ExprKind::Number(n.clone()),
        Kind::String(s, inner, exact) => ExprKind::Text(template(s, *inner, *exact)),
        Kind::Array(items) => ExprKind::List(items.iter().map(expr).collect()),
        Kind::Object(members) => ExprKind::Object(
            members
                .iter()
                .map(|m| ObjectItem {
                    key: Some(m.key.clone()),
                    key_span: m.key.span,
                    value: expr(&m.value),
                })
                .collect(),
        ),
    };
    Expr {
        kind,
        span: value.span,
    }
}

/// A JSON string as a Terraform template: `${ … }` parts become interpolations. Offsets are
/// exact when the string had no escapes; otherwise every piece points at the whole string.
fn template(s: &str, inner: Span, exact: bool) -> Text {
    let mut pieces = Vec::new();
    let at = |range: std::ops::Range<usize>| {
        if exact {
            Span::new(
                inner.start as usize + range.start,
                inner.start as usize + range.end,
            )
        } else {
            inner
        }
    };
    let bytes = s.as_bytes();
    let mut literal_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let opens = bytes.get(i + 1) == Some(&b'{') && matches!(bytes.get(i), Some(b'$' | b'%'));
        let escaped = i > 0 && bytes.get(i - 1) == bytes.get(i);
        if !opens || escaped {
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let mut end = None;
        for (j, &b) in bytes.iter().enumerate().skip(i + 1) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            break;
        };
        if literal_start < i {
            pieces.push(Piece::Literal {
                value: s.get(literal_start..i).unwrap_or("").to_string(),
                span: at(literal_start..i),
            });
        }
        let code = s.get(i + 2..end).unwrap_or("");
        // Too deep or too costly for the HCL parser: kept as an unread expression.
        let parsed = match super::guard::check(code) {
            Some(_) => None,
            None => hcl_edit::parser::parse_expr(code.trim()).ok(),
        };
        let sub = match parsed {
            Some(e) if bytes.get(i) == Some(&b'$') => {
                let lead = code.len() - code.trim_start().len();
                let mut conv = Expr {
                    kind: ExprKind::Other(vec![]),
                    span: at(i..end + 1),
                };
                if exact {
                    conv = super::parse::convert_expr(&e, inner.start as usize + i + 2 + lead);
                } else if let Some(path) = ref_path(&e) {
                    conv.kind = ExprKind::Ref(path);
                }
                conv
            }
            _ => Expr {
                kind: ExprKind::Other(vec![]),
                span: at(i..end + 1),
            },
        };
        pieces.push(Piece::Interpolation(sub));
        i = end + 1;
        literal_start = i;
    }
    if literal_start < s.len() {
        pieces.push(Piece::Literal {
            value: s.get(literal_start..).unwrap_or("").to_string(),
            span: at(literal_start..s.len()),
        });
    }
    Text {
        pieces,
        heredoc: false,
    }
}

fn ref_path(e: &hcl_edit::expr::Expression) -> Option<Vec<String>> {
    let converted = super::parse::convert_expr(e, 0);
    converted.as_ref_path().map(<[String]>::to_vec)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_with_spans() {
        let text = r#"{"a": [1, true, null, "x\"y"], "b": {"c": "d"}}"#;
        let v = parse(text, 10).unwrap();
        let Kind::Object(m) = &v.kind else { panic!() };
        assert_eq!(m[0].key.value, "a");
        assert_eq!(m[0].key.span, Span::new(11, 14));
        let Kind::Object(inner) = &m[1].value.kind else {
            panic!()
        };
        let Kind::String(s, span, exact) = &inner[0].value.kind else {
            panic!()
        };
        assert_eq!((s.as_str(), *exact), ("d", true));
        assert_eq!(&text[span.start as usize - 10..span.end as usize - 10], "d");
    }

    #[test]
    fn reports_errors() {
        for bad in ["", "{", "{\"a\" 1}", "[1,]", "\"abc", "{} x", "[tru]"] {
            assert!(parse(bad, 0).is_err(), "{bad}");
        }
        let deep = "[".repeat(1000);
        assert!(parse(&deep, 0).is_err());
    }

    #[test]
    fn maps_config_blocks() {
        let text = r#"{
  "terraform": {"backend": {"s3": {"bucket": "b"}}},
  "resource": {"aws_security_group": {"web": {
    "ingress": [{"from_port": 22, "cidr_blocks": ["0.0.0.0/0"]}],
    "tags": {"Name": "web"},
    "name": "${var.prefix}-web"
  }}},
  "variable": {"prefix": {"default": "app"}}
}"#;
        let v = parse(text, 0).unwrap();
        let blocks = config_blocks(&v);
        assert_eq!(blocks.len(), 3);
        let backend = blocks[0].body.block("backend").unwrap();
        assert_eq!(backend.label(0), Some("s3"));
        let sg = &blocks[1];
        assert_eq!(sg.address(), "aws_security_group.web");
        assert_eq!(sg.body.blocks("ingress").count(), 1);
        assert!(sg.body.attr("tags").is_some());
        let name = sg.body.get("name").unwrap();
        let ExprKind::Text(t) = &name.kind else {
            panic!()
        };
        let Piece::Interpolation(e) = &t.pieces[0] else {
            panic!()
        };
        assert_eq!(e.as_var(), Some("prefix"));
        assert_eq!(&text[e.span.range()], "var.prefix");
        assert_eq!(blocks[2].body.str("default"), Some("app"));
    }
}
