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
use crate::source::{Span, Spanned, floor_char_boundary};

/// Parse the files of one module. Files are given as (name, text); file `i` starts at the sum
/// of the lengths of the files before it plus `i` (one separator byte between files).
pub fn parse_module(files: &[(&str, &str)], child: bool) -> Module {
    let mut module = Module {
        child,
        ..Module::default()
    };
    let mut base = 0usize;
    for (name, text) in files {
        let kind = FileKind::of(name);
        module.files.push(ModuleFile {
            name: (*name).to_string(),
            kind,
            base: clamp(base),
            len: clamp(text.len()),
        });
        let is_json = name.to_ascii_lowercase().ends_with(".json");
        add_file(&mut module, kind, is_json, text, base);
        base += text.len() + 1;
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

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
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
            let body = match hcl_edit::parser::parse_body(text) {
                Ok(body) => body,
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
            let cx = Conv { base };
            let body = cx.body(&body);
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

/// Convert an expression parsed on its own, whose text starts at `base`.
pub(super) fn convert_expr(expr: &Expression, base: usize) -> Expr {
    Conv { base }.expr(expr)
}

/// Converts `hcl-edit` trees into the model, shifting spans by `base`.
struct Conv {
    base: usize,
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
                o.iter()
                    .map(|(k, v)| {
                        let key_span = self.span(k.span());
                        let key = match k {
                            ObjectKey::Ident(i) => Some(i.as_str().to_string()),
                            ObjectKey::Expression(e) => match e {
                                Expression::String(s) => Some(s.value().clone()),
                                Expression::Variable(v) => Some(v.as_str().to_string()),
                                _ => None,
                            },
                        };
                        ObjectItem {
                            key: key.map(|k| Spanned::new(k, key_span)),
                            key_span,
                            value: self.expr(v.expr()),
                        }
                    })
                    .collect(),
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
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::string_slice)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_shifted_by_the_file_base() {
        let a = "variable \"x\" {}\n";
        let b = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"logs-${var.x}\"\n}\n";
        let m = parse_module(&[("a.tf", a), ("b.tf", b)], false);
        assert_eq!(m.files[1].base as usize, a.len() + 1);
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
        assert!(m.errors[0].span.start >= m.files[1].base);
        assert!(m.errors[0].message.starts_with("invalid HCL"));
    }

    #[test]
    fn local_sources() {
        let text = "module \"a\" {\n  source = \"./modules/a\"\n}\nmodule \"b\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n}\n";
        assert_eq!(scan_local_sources(text), ["./modules/a"]);
        assert_eq!(scan_local_sources("{\"source\": \"../x\"}"), ["../x"]);
    }
}
