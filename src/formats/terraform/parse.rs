//! Building a [`Module`] from its files: `.tf` and `.tfvars` through `hcl-edit`, `.tf.json` and
//! `.tfvars.json` through the small JSON reader beside this file. Each file's spans are shifted
//! by its base offset.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{self as hcl, Structure};
use hcl_edit::template::{Directive, Element, Template};

use super::{
    Attribute, Block, Body, Expr, ExprKind, FileKind, Module, ModuleFile, ObjectItem, Piece, Text,
};
use super::{guard, json};
use crate::formats::ParseError;
use crate::source::{Extent, Span, Spanned, floor_char_boundary};

/// Parse the files of one module. Files are given as (name, text); file `i` starts at the sum
/// of the lengths of the files before it plus `i` (one separator byte between files).
pub fn parse_module(files: &[(&str, &str)], child: bool) -> Module {
    let mut module = Module {
        child,
        ..Module::default()
    };
    let extents = Extent::of_joined(files.iter().map(|(_, text)| *text));
    for ((name, text), extent) in files.iter().zip(extents) {
        let kind = FileKind::of(name);
        module.files.push(ModuleFile {
            name: (*name).to_string(),
            kind,
            extent,
        });
        let is_json = name.to_ascii_lowercase().ends_with(".json");
        add_file(&mut module, kind, is_json, text, extent.base as usize);
    }
    for (index, block) in module.blocks.iter().enumerate() {
        if let (true, Some(name)) = (block.is("variable"), block.label(0)) {
            module.variables.entry(name.to_string()).or_insert(index);
        }
    }
    module
}

/// Parse one file as a module of its own.
pub fn parse_file(name: &str, text: &str) -> Module {
    parse_module(&[(name, text)], false)
}

fn add_file(module: &mut Module, kind: FileKind, is_json: bool, text: &str, base: usize) {
    match kind {
        FileKind::State => {}
        FileKind::Vars if is_json => match json::parse(text, base) {
            Ok(value) => module.tfvars.extend(json::vars(&value)),
            Err(err) => module.errors.push(err),
        },
        FileKind::Config | FileKind::Vars => {
            if let Some(refusal) = guard::check(text) {
                module.errors.push(ParseError {
                    span: Span::point(base + refusal.offset()),
                    message: refusal.message(),
                });
                return;
            }
            let (body, renamed) = match parse_tolerant(text) {
                Ok(parsed) => parsed,
                Err(err) => {
                    // The parser may point inside a multi-byte character: back to its start.
                    let at = base + floor_char_boundary(text, err.location().offset());
                    module.errors.push(ParseError {
                        span: Span::point(at),
                        message: format!("invalid HCL: {}", err.message()),
                    });
                    return;
                }
            };
            let cx = Conv {
                base,
                renamed,
                duplicates: Default::default(),
            };
            let body = cx.body(&body);
            module
                .duplicate_keys
                .append(&mut cx.duplicates.borrow_mut());
            if kind == FileKind::Vars {
                module.tfvars.extend(body.attributes);
            } else {
                module.blocks.extend(body.blocks);
            }
        }
        FileKind::ConfigJson => match json::parse(text, base) {
            Ok(value) => module.blocks.extend(json::config_blocks(&value)),
            Err(err) => module.errors.push(err),
        },
    }
}

/// How many repeated object keys one file may have before it is treated as unreadable: each
/// one costs a parse of the whole file.
const MAX_RENAMED_KEYS: usize = 64;

/// Parse a file's body, accepting object constructors that write a key twice.
///
/// Terraform accepts `{ a = null, a = "x" }` (the later value wins), but `hcl-edit` refuses the
/// repeated key. On that refusal the repeated key is replaced, in a copy of the text, by an
/// identifier of the same length found nowhere else in the text, and the copy parsed again;
/// offsets stay those of the file. Returns the body and the replaced keys (offset, key as
/// Terraform reads it), for [`Conv`] to restore.
fn parse_tolerant(
    text: &str,
) -> Result<(hcl::Body, Vec<(usize, String)>), hcl_edit::parser::Error> {
    let mut renamed: Vec<(usize, String)> = Vec::new();
    let mut copy: Option<String> = None;
    loop {
        let current = copy.as_deref().unwrap_or(text);
        let err = match hcl_edit::parser::parse_body(current) {
            Ok(body) => return Ok((body, renamed)),
            Err(err) => err,
        };
        let at = err.location().offset();
        let repeated = err.message().contains("redefined object key")
            && renamed.len() < MAX_RENAMED_KEYS
            && !renamed.iter().any(|(offset, _)| *offset == at);
        let Some((len, key)) = repeated.then(|| object_key_at(current, at)).flatten() else {
            return Err(err);
        };
        let Some(placeholder) = placeholder(current, len) else {
            return Err(err);
        };
        let mut next = current.to_string();
        next.replace_range(at..at + len, &placeholder);
        renamed.push((at, key));
        copy = Some(next);
    }
}

/// The object key written at `at`: a name, or a quoted string without escapes or templates.
/// Returns its length in the text and the key.
fn object_key_at(text: &str, at: usize) -> Option<(usize, String)> {
    let rest = text.get(at..)?;
    if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find(['"', '\\', '$', '%', '\n'])?;
        if quoted.as_bytes().get(end) != Some(&b'"') {
            return None;
        }
        let key = quoted.get(..end)?;
        return Some((end + 2, key.to_string()));
    }
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let end = chars
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    Some((end, rest.get(..end)?.to_string()))
}

/// An ASCII identifier of `len` bytes that appears nowhere in `text`.
fn placeholder(text: &str, len: usize) -> Option<String> {
    const FIRST: &[u8] = b"_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if len == 1 {
        return FIRST
            .iter()
            .map(|&b| char::from(b).to_string())
            .find(|c| !occurs_as_name(text, c));
    }
    (0u64..4096)
        .map(|n| format!("_{n:0>width$}", width = len - 1))
        .filter(|c| c.len() == len)
        .find(|c| !occurs_as_name(text, c))
}

/// Whether `name` occurs in `text` with no name character on either side.
fn occurs_as_name(text: &str, name: &str) -> bool {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(name).any(|(i, _)| {
        let before = text.get(..i).and_then(|t| t.chars().next_back());
        let after = text.get(i + name.len()..).and_then(|t| t.chars().next());
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

/// Convert an expression parsed on its own, whose text starts at `base`.
pub(super) fn convert_expr(expr: &Expression, base: usize) -> Expr {
    Conv {
        base,
        renamed: Vec::new(),
        duplicates: Default::default(),
    }
    .expr(expr)
}

/// Converts `hcl-edit` trees into the model, shifting spans by `base`.
struct Conv {
    base: usize,
    /// Object keys replaced before parsing (see [`parse_tolerant`]): offset in the file, key.
    renamed: Vec<(usize, String)>,
    /// Keys written twice in one object constructor.
    duplicates: std::cell::RefCell<Vec<ParseError>>,
}

impl Conv {
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        Span::new(self.base + range.start, self.base + range.end)
    }

    fn body(&self, body: &hcl::Body) -> Body {
        let mut out = Body::default();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => out.attributes.push(self.attribute(attr)),
                Structure::Block(block) => out.blocks.push(self.block(block)),
            }
        }
        out
    }

    fn attribute(&self, attr: &hcl::Attribute) -> Attribute {
        Attribute {
            key: Spanned::new(attr.key.as_str().to_string(), self.span(attr.key.span())),
            value: self.expr(&attr.value),
            span: self.span(attr.span()),
        }
    }

    fn block(&self, block: &hcl::Block) -> Block {
        let kind = Spanned::new(
            block.ident.as_str().to_string(),
            self.span(block.ident.span()),
        );
        let labels: Vec<Spanned<String>> = block
            .labels
            .iter()
            .map(|l| Spanned::new(l.as_str().to_string(), self.span(l.span())))
            .collect();
        let head = labels.last().map_or(kind.span, |l| kind.span.cover(l.span));
        Block {
            kind,
            labels,
            body: self.body(&block.body),
            span: self.span(block.span()),
            head,
        }
    }

    fn expr(&self, expr: &Expression) -> Expr {
        let span = self.span(expr.span());
        let kind = match expr {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(n.value().to_string()),
            Expression::String(s) => {
                let inner = Span::new(
                    (span.start as usize + 1).min(span.end as usize),
                    (span.end as usize)
                        .saturating_sub(1)
                        .max(span.start as usize),
                );
                let pieces = if s.value().is_empty() {
                    vec![]
                } else {
                    vec![Piece::Literal {
                        value: s.value().clone(),
                        span: inner,
                    }]
                };
                ExprKind::Text(Text {
                    pieces,
                    heredoc: false,
                })
            }
            Expression::StringTemplate(t) => ExprKind::Text(Text {
                pieces: self.template(t),
                heredoc: false,
            }),
            Expression::HeredocTemplate(h) => ExprKind::Text(Text {
                pieces: self.template(&h.template),
                heredoc: true,
            }),
            Expression::Array(a) => ExprKind::List(a.iter().map(|e| self.expr(e)).collect()),
            Expression::Object(o) => ExprKind::Object(
                self.unique(
                    o.iter()
                        .map(|(k, v)| {
                            let key_span = self.span(k.span());
                            let restored = k.span().and_then(|r| {
                                self.renamed
                                    .iter()
                                    .find(|(at, _)| *at == r.start)
                                    .map(|(_, key)| key.clone())
                            });
                            let key = restored.or_else(|| match k {
                                ObjectKey::Ident(i) => Some(i.as_str().to_string()),
                                ObjectKey::Expression(e) => match e {
                                    Expression::String(s) => Some(s.value().clone()),
                                    Expression::Variable(v) => Some(v.as_str().to_string()),
                                    _ => None,
                                },
                            });
                            ObjectItem {
                                key: key.map(|k| Spanned::new(k, key_span)),
                                key_span,
                                value: self.expr(v.expr()),
                            }
                        })
                        .collect(),
                ),
            ),
            Expression::Parenthesis(p) => return self.expr(p.inner()),
            Expression::Variable(v) => ExprKind::Ref(vec![v.as_str().to_string()]),
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(v) => {
                    let mut path = vec![v.as_str().to_string()];
                    for op in &t.operators {
                        path.push(match op.value() {
                            TraversalOperator::GetAttr(name) => name.as_str().to_string(),
                            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                                "*".to_string()
                            }
                            TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_) => {
                                "[]".to_string()
                            }
                        });
                    }
                    ExprKind::Ref(path)
                }
                other => ExprKind::Other(vec![self.expr(other)]),
            },
            Expression::FuncCall(call) => {
                let mut name = String::new();
                for ns in &call.name.namespace {
                    name.push_str(ns.as_str());
                    name.push_str("::");
                }
                name.push_str(call.name.name.as_str());
                ExprKind::Call(name, call.args.iter().map(|e| self.expr(e)).collect())
            }
            Expression::Conditional(c) => ExprKind::Other(vec![
                self.expr(&c.cond_expr),
                self.expr(&c.true_expr),
                self.expr(&c.false_expr),
            ]),
            Expression::UnaryOp(u) => ExprKind::Other(vec![self.expr(&u.expr)]),
            Expression::BinaryOp(b) => {
                ExprKind::Other(vec![self.expr(&b.lhs_expr), self.expr(&b.rhs_expr)])
            }
            Expression::ForExpr(f) => {
                let mut subs = vec![self.expr(&f.intro.collection_expr)];
                if let Some(k) = &f.key_expr {
                    subs.push(self.expr(k));
                }
                subs.push(self.expr(&f.value_expr));
                if let Some(c) = &f.cond {
                    subs.push(self.expr(&c.expr));
                }
                ExprKind::Other(subs)
            }
        };
        Expr { kind, span }
    }

    /// The items of an object constructor as Terraform reads them: of a key written twice
    /// (as a name or a quoted string alike), the later value wins. Each repeat is recorded.
    fn unique(&self, items: Vec<ObjectItem>) -> Vec<ObjectItem> {
        let mut seen: std::collections::HashMap<String, usize> =
            std::collections::HashMap::with_capacity(items.len());
        let mut out: Vec<Option<ObjectItem>> = Vec::with_capacity(items.len());
        for item in items {
            if let Some(key) = &item.key {
                if let Some(earlier) = seen.insert(key.value.clone(), out.len()) {
                    self.duplicates.borrow_mut().push(ParseError {
                        span: key.span,
                        message: format!(
                            "duplicate key `{}`: the earlier value is ignored",
                            key.value
                        ),
                    });
                    if let Some(slot) = out.get_mut(earlier) {
                        *slot = None;
                    }
                }
            }
            out.push(Some(item));
        }
        out.into_iter().flatten().collect()
    }

    fn template(&self, template: &Template) -> Vec<Piece> {
        let mut out = Vec::new();
        for element in template.iter() {
            match element {
                Element::Literal(l) => {
                    let span = self.span(l.span());
                    // hcl-edit keeps an empty literal between adjacent interpolations.
                    if !l.value().is_empty() || !span.is_empty() {
                        out.push(Piece::Literal {
                            value: l.value().clone(),
                            span,
                        });
                    }
                }
                Element::Interpolation(i) => out.push(Piece::Interpolation(self.expr(&i.expr))),
                Element::Directive(d) => {
                    let (exprs, templates): (Vec<&Expression>, Vec<&Template>) = match d.as_ref() {
                        Directive::If(d) => {
                            let mut templates = vec![&d.if_expr.template];
                            if let Some(e) = &d.else_expr {
                                templates.push(&e.template);
                            }
                            (vec![&d.if_expr.cond_expr], templates)
                        }
                        Directive::For(d) => (
                            vec![&d.for_expr.collection_expr],
                            vec![&d.for_expr.template],
                        ),
                    };
                    out.push(Piece::Directive(
                        exprs.into_iter().map(|e| self.expr(e)).collect(),
                        templates
                            .into_iter()
                            .map(|t| Text {
                                pieces: self.template(t),
                                heredoc: false,
                            })
                            .collect(),
                    ));
                }
            }
        }
        out
    }
}

/// The local paths (`./x`, `../x`) that a file's `module` blocks use as `source`, by a line
/// scan that needs no parse: `source = "./modules/vpc"` in HCL, `"source": "../x"` in JSON.
pub fn scan_local_sources(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        let json = line
            .find("\"source\"")
            .and_then(|at| line.get(at + "\"source\"".len()..));
        let Some(rest) = line.strip_prefix("source").or(json) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('"') else {
            continue;
        };
        let Some(end) = value.find('"') else {
            continue;
        };
        let Some(path) = value.get(..end) else {
            continue;
        };
        if path.starts_with("./") || path.starts_with("../") || path == "." || path == ".." {
            out.push(path.to_string());
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_shifted_by_the_file_base() {
        let a = "variable \"x\" {}\n";
        let b = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"logs-${var.x}\"\n}\n";
        let m = parse_module(&[("a.tf", a), ("b.tf", b)], false);
        assert_eq!(m.files[1].extent.base as usize, a.len() + 1);
        let res = m.resources().next().unwrap();
        let joined = format!("{a}\n{b}");
        assert_eq!(
            &joined[res.head.range()],
            "resource \"aws_s3_bucket\" \"b\""
        );
        let bucket = res.body.get("bucket").unwrap();
        assert_eq!(&joined[bucket.span.range()], "\"logs-${var.x}\"");
        let lits = bucket.literals();
        assert_eq!(&joined[lits[0].1.range()], "logs-");
    }

    #[test]
    fn nesting_past_the_cap_is_one_parse_error() {
        // 40 levels: the parser alone would take seconds here, and double with each level.
        let deep = format!("r = {}\n", "1 [{\n".repeat(20));
        let m = parse_file("main.tf", &deep);
        assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
        assert!(
            m.errors[0].message.contains("nested more than 32"),
            "{:?}",
            m.errors
        );
        // The 33rd bracket: the `[` of the 17th line.
        assert_eq!(m.errors[0].span.start as usize, "r = ".len() + 5 * 16 + 2);

        // Exactly at the cap, and brackets in strings and comments, are parsed as usual.
        // `locals {` is the first level.
        let open = "[".repeat(super::guard::MAX_NESTING - 1);
        let close = "]".repeat(super::guard::MAX_NESTING - 1);
        let text = format!(
            "locals {{\n  a = {open}{close}\n  s = \"{open}\\\"{open}\"\n  # {open}{open}\n  /* {open}{open} */\n}}\n"
        );
        let m = parse_file("main.tf", &text);
        assert!(m.errors.is_empty(), "{:?}", m.errors);
        assert_eq!(m.blocks.len(), 1);
    }

    #[test]
    fn values_are_classified() {
        let text = r#"locals {
  s = "plain"
  e = ""
  n = 22
  b = true
  l = ["0.0.0.0/0", var.cidr]
  o = { Name = "x", "k" = 1 }
  r = aws_iam_role.app[0].arn
  c = jsonencode({ a = 1 })
  h = <<-EOT
    hello ${name}
  EOT
}
"#;
        let m = parse_file("main.tf", text);
        assert!(m.errors.is_empty());
        let body = &m.blocks[0].body;
        assert_eq!(body.str("s"), Some("plain"));
        assert_eq!(body.str("e"), Some(""));
        assert_eq!(body.get("n").unwrap().as_int(), Some(22));
        assert_eq!(body.bool("b"), Some(true));
        let l = body.get("l").unwrap().as_list().unwrap();
        assert_eq!(l[1].as_var(), Some("cidr"));
        assert_eq!(
            body.get("o").unwrap().field("Name").unwrap().as_str(),
            Some("x")
        );
        assert_eq!(
            body.get("r").unwrap().as_ref_path().unwrap(),
            ["aws_iam_role", "app", "[]", "arn"]
        );
        assert!(matches!(&body.get("c").unwrap().kind, ExprKind::Call(n, _) if n == "jsonencode"));
        assert!(body.get("h").unwrap().as_str().is_none());
    }

    #[test]
    fn syntax_errors_point_into_their_file() {
        let m = parse_module(&[("a.tf", "locals {}\n"), ("b.tf", "x = \n")], false);
        assert_eq!(m.errors.len(), 1);
        assert!(m.errors[0].span.start >= m.files[1].extent.base);
        assert!(m.errors[0].message.starts_with("invalid HCL"));
    }

    #[test]
    fn a_repeated_object_key_is_read_with_the_later_value() {
        let text = "locals {\n  o = { a = null, b = 1, a = \"x\", \"b\" = 2, _0 = 3 }\n  t = { _ = 1, _ = 2 }\n}\n";
        let m = parse_file("main.tf", text);
        assert!(m.errors.is_empty(), "{:?}", m.errors);
        let body = &m.blocks[0].body;
        let o = body.get("o").unwrap();
        let keys: Vec<&str> = o
            .as_object()
            .unwrap()
            .iter()
            .map(|i| i.key.as_ref().unwrap().value.as_str())
            .collect();
        assert_eq!(keys, ["a", "b", "_0"]);
        assert_eq!(o.field("a").unwrap().as_str(), Some("x"));
        assert_eq!(o.field("b").unwrap().as_int(), Some(2));
        assert_eq!(body.get("t").unwrap().field("_").unwrap().as_int(), Some(2));
        let at: Vec<&str> = m
            .duplicate_keys
            .iter()
            .map(|d| &text[d.span.range()])
            .collect();
        assert_eq!(at, ["a", "\"b\"", "_"]);
        assert!(m.duplicate_keys[0].message.contains("duplicate key `a`"));
    }

    #[test]
    fn an_argument_written_twice_in_a_block_is_still_a_parse_error() {
        let m = parse_file("main.tf", "locals {\n  a = 1\n  a = 2\n}\n");
        assert_eq!(m.errors.len(), 1);
        assert!(m.duplicate_keys.is_empty());
    }

    #[test]
    fn repeated_keys_in_variable_files_and_nested_objects() {
        let text = "tags = {\n  env = \"dev\"\n  env = \"prod\"\n  inner = { x = 1, x = 2 }\n}\n";
        let m = parse_module(&[("prod.tfvars", text)], false);
        assert!(m.errors.is_empty(), "{:?}", m.errors);
        assert_eq!(m.duplicate_keys.len(), 2);
        let tags = &m.tfvars[0].value;
        assert_eq!(tags.field("env").unwrap().as_str(), Some("prod"));
        assert_eq!(
            tags.field("inner").unwrap().field("x").unwrap().as_int(),
            Some(2)
        );
    }

    #[test]
    fn local_sources() {
        let text = "module \"a\" {\n  source = \"./modules/a\"\n}\nmodule \"b\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n}\n";
        assert_eq!(scan_local_sources(text), ["./modules/a"]);
        assert_eq!(scan_local_sources("{\"source\": \"../x\"}"), ["../x"]);
    }
}
