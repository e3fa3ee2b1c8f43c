//! The Terraform model: one module (every `*.tf`, `*.tf.json` and `*.tfvars` of a directory, or
//! one state file) with spanned blocks, attributes and values. Spans live in one offset space
//! for the whole module: each file gets its own range, starting at its `base`.

mod guard;
mod json;
mod parse;
pub mod unit;

pub use parse::{parse_file, parse_module, scan_local_sources};

use crate::formats::ParseError;
use crate::source::{Extent, Span, Spanned};

/// Directories whose modules are examples, tests or test fixtures ([`is_example_dir`]).
pub const EXAMPLE_DIRS: [&str; 6] = [
    "examples", "example", "test", "tests", "fixtures", "testdata",
];

/// Whether a module directory, relative to the path given to infralint, lies under a directory
/// named in [`EXAMPLE_DIRS`]: a module kept to show or test other modules, not a production
/// root. Directories above the given path do not count, so linting `tests/infra/` itself lints
/// it as production code.
pub fn is_example_dir(relative: &std::path::Path) -> bool {
    relative.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(|name| EXAMPLE_DIRS.contains(&name))
    })
}

/// A parsed module.
#[derive(Debug, Default)]
pub struct Module {
    /// The files of the module, in the order given, with their ranges.
    pub files: Vec<ModuleFile>,
    /// Top-level blocks of every configuration file, in file order.
    pub blocks: Vec<Block>,
    /// Assignments of the `*.tfvars` files, in the order of the files (the order Terraform
    /// loads them in, for a module built by [`unit::build`]).
    pub tfvars: Vec<Attribute>,
    /// True when the module is known to be a child: another module of the run uses its
    /// directory as a local `source`, or it sits under a `modules/` directory.
    pub child: bool,
    /// Index into `blocks` of each `variable` block by name (the first one wins).
    pub variables: std::collections::HashMap<String, usize>,
    /// True when some module of the run defines a budget (`terraform/missing-budget`).
    pub run_has_budget: bool,
    /// True for an example or a test fixture ([`is_example_dir`]): rules about how a
    /// production root keeps its state, pins its providers and caps its spending skip it.
    pub example: bool,
    /// The module's directory holds `.terraform.lock.hcl`, the provider lock file.
    pub lock_file: bool,
    pub errors: Vec<ParseError>,
    /// Keys written twice in one object constructor: valid Terraform (the later value wins),
    /// but worth a warning.
    pub duplicate_keys: Vec<ParseError>,
}

/// One file of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleFile {
    pub name: String,
    pub kind: FileKind,
    /// Where the file's text lies in the module's offset space.
    pub extent: Extent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `*.tf`
    Config,
    /// `*.tf.json`
    ConfigJson,
    /// `*.tfvars` and `*.tfvars.json`
    Vars,
    /// `*.tfstate` and `*.tfstate.backup`: not read, the file itself is the finding.
    State,
}

impl FileKind {
    pub fn of(name: &str) -> FileKind {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".tfstate") || lower.ends_with(".tfstate.backup") {
            FileKind::State
        } else if lower.ends_with(".tfvars") || lower.ends_with(".tfvars.json") {
            FileKind::Vars
        } else if lower.ends_with(".tf.json") {
            FileKind::ConfigJson
        } else {
            FileKind::Config
        }
    }
}

/// A block: `resource "aws_s3_bucket" "logs" { … }`, `ingress { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The block type (`resource`, `ingress`).
    pub kind: Spanned<String>,
    pub labels: Vec<Spanned<String>>,
    pub body: Body,
    /// The whole block.
    pub span: Span,
    /// The block type and its labels: where findings about the block point.
    pub head: Span,
}

impl Block {
    pub fn label(&self, index: usize) -> Option<&str> {
        self.labels.get(index).map(|l| l.value.as_str())
    }

    /// `type.name` for resources and data sources, the label for others.
    pub fn address(&self) -> String {
        self.labels
            .iter()
            .map(|l| l.value.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind.value == kind
    }

    /// A `resource` block of this type.
    pub fn is_resource(&self, ty: &str) -> bool {
        self.is("resource") && self.label(0) == Some(ty)
    }
}

/// Attributes and nested blocks, in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key.value == key)
    }

    /// The value of an attribute.
    pub fn get(&self, key: &str) -> Option<&Expr> {
        self.attr(key).map(|a| &a.value)
    }

    /// Nested blocks of a type.
    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind.value == kind)
    }

    pub fn block(&self, kind: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.kind.value == kind)
    }

    /// The literal string value of an attribute.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Expr::as_str)
    }

    /// The literal boolean value of an attribute (`true`, or the strings `"true"`/`"false"`,
    /// which Terraform converts).
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(Expr::as_bool)
    }
}

/// `key = value`
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub key: Spanned<String>,
    pub value: Expr,
    pub span: Span,
}

/// An expression, reduced to what rules can know statically.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// A number as written.
    Number(String),
    /// A quoted string or heredoc, made of literal text and interpolations.
    Text(Text),
    List(Vec<Expr>),
    Object(Vec<ObjectItem>),
    /// A traversal of names: `var.cidr`, `local.tags`, `aws_iam_role.app.arn`. Index and
    /// splat steps are written `[]` and `*`.
    Ref(Vec<String>),
    /// A function call with its arguments.
    Call(String, Vec<Expr>),
    /// Anything else (operators, conditionals, `for`), with its sub-expressions.
    Other(Vec<Expr>),
}

/// A string or heredoc.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub pieces: Vec<Piece>,
    pub heredoc: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Literal text: `value` with escapes and heredoc indentation resolved; `span` covers the
    /// text as written.
    Literal { value: String, span: Span },
    /// `${ … }`
    Interpolation(Expr),
    /// `%{ … }`, with the expressions and templates inside it.
    Directive(Vec<Expr>, Vec<Text>),
}

/// `key = value` inside an object expression.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectItem {
    /// The key when it is a name or a literal string.
    pub key: Option<Spanned<String>>,
    pub key_span: Span,
    pub value: Expr,
}

impl Expr {
    /// The value of a string without interpolations.
    pub fn as_str(&self) -> Option<&str> {
        let ExprKind::Text(text) = &self.kind else {
            return None;
        };
        match text.pieces.as_slice() {
            [] => Some(""),
            [Piece::Literal { value, .. }] => Some(value),
            _ => None,
        }
    }

    /// The span of the written text of a literal string (inside the quotes), when the string
    /// is one literal piece.
    pub fn text_span(&self) -> Option<Span> {
        let ExprKind::Text(text) = &self.kind else {
            return None;
        };
        match text.pieces.as_slice() {
            [Piece::Literal { span, .. }] => Some(*span),
            _ => None,
        }
    }

    /// `true`/`false`, or the strings `"true"`/`"false"`.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ExprKind::Bool(b) => Some(*b),
            ExprKind::Text(_) => match self.as_str()? {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A whole number, written as a number or a numeric string.
    pub fn as_int(&self) -> Option<i64> {
        match &self.kind {
            ExprKind::Number(n) => n.parse().ok(),
            ExprKind::Text(_) => self.as_str()?.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Expr]> {
        match &self.kind {
            ExprKind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[ObjectItem]> {
        match &self.kind {
            ExprKind::Object(items) => Some(items),
            _ => None,
        }
    }

    /// The item of an object expression under a key.
    pub fn field(&self, key: &str) -> Option<&Expr> {
        self.as_object()?
            .iter()
            .find(|i| i.key.as_ref().is_some_and(|k| k.value == key))
            .map(|i| &i.value)
    }

    /// The traversal steps of a reference.
    pub fn as_ref_path(&self) -> Option<&[String]> {
        match &self.kind {
            ExprKind::Ref(path) => Some(path),
            _ => None,
        }
    }

    /// `var.NAME` → `NAME`.
    pub fn as_var(&self) -> Option<&str> {
        match self.as_ref_path()? {
            [var, name, ..] if var == "var" => Some(name),
            _ => None,
        }
    }

    /// A literal written in the file: no reference, call or interpolation anywhere inside.
    pub fn is_literal(&self) -> bool {
        match &self.kind {
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) => true,
            ExprKind::Text(text) => text
                .pieces
                .iter()
                .all(|p| matches!(p, Piece::Literal { .. })),
            ExprKind::List(items) => items.iter().all(Expr::is_literal),
            ExprKind::Object(items) => items.iter().all(|i| i.value.is_literal()),
            ExprKind::Ref(_) | ExprKind::Call(..) | ExprKind::Other(_) => false,
        }
    }

    /// Every literal piece of text inside the expression, nested ones included, with whether
    /// it is the whole of its string.
    pub fn literals(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        self.collect_literals(&mut out);
        out
    }

    fn collect_literals<'a>(&'a self, out: &mut Vec<(&'a str, Span)>) {
        match &self.kind {
            ExprKind::Text(text) => text.collect_literals(out),
            ExprKind::List(items) | ExprKind::Other(items) | ExprKind::Call(_, items) => {
                for item in items {
                    item.collect_literals(out);
                }
            }
            ExprKind::Object(items) => {
                for item in items {
                    item.value.collect_literals(out);
                }
            }
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Ref(_) => {}
        }
    }

    /// Every sub-expression, this one first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Text(text) => text.walk(f),
            ExprKind::List(items) | ExprKind::Other(items) | ExprKind::Call(_, items) => {
                for item in items {
                    item.walk(f);
                }
            }
            ExprKind::Object(items) => {
                for item in items {
                    item.value.walk(f);
                }
            }
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Ref(_) => {}
        }
    }

    /// Whether any reference inside the expression starts with these steps.
    pub fn references(&self, prefix: &[&str]) -> bool {
        let mut found = false;
        self.walk(&mut |e| {
            if let ExprKind::Ref(path) = &e.kind {
                found |= path.len() >= prefix.len()
                    && path.iter().zip(prefix).all(|(a, b)| b.is_empty() || a == b);
            }
        });
        found
    }
}

impl Text {
    fn collect_literals<'a>(&'a self, out: &mut Vec<(&'a str, Span)>) {
        for piece in &self.pieces {
            match piece {
                Piece::Literal { value, span } => out.push((value, *span)),
                Piece::Interpolation(e) => e.collect_literals(out),
                Piece::Directive(exprs, texts) => {
                    for e in exprs {
                        e.collect_literals(out);
                    }
                    for t in texts {
                        t.collect_literals(out);
                    }
                }
            }
        }
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        for piece in &self.pieces {
            match piece {
                Piece::Literal { .. } => {}
                Piece::Interpolation(e) => e.walk(f),
                Piece::Directive(exprs, texts) => {
                    for e in exprs {
                        e.walk(f);
                    }
                    for t in texts {
                        t.walk(f);
                    }
                }
            }
        }
    }
}

/// The JSON document an expression holds: the argument of `jsonencode(…)`, or a literal string
/// (a heredoc, say) that parses as a JSON object or array. Spans point into the string when it
/// was written without escapes or indentation to strip, else at the whole string.
pub fn json_document(expr: &Expr) -> Option<Expr> {
    match &expr.kind {
        ExprKind::Call(name, args) if name == "jsonencode" => args.first().cloned(),
        ExprKind::Text(_) => {
            let text = expr.as_str()?;
            let trimmed = text.trim_start();
            if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
                return None;
            }
            let span = expr.text_span()?;
            let exact = span.len() == text.len();
            let base = if exact { span.start as usize } else { 0 };
            let value = json::parse(text, base).ok()?;
            let mut doc = json::expr(&value);
            if !exact {
                doc.set_span(expr.span);
            }
            Some(doc)
        }
        _ => None,
    }
}

impl Expr {
    /// Point this expression and everything inside it at one span.
    fn set_span(&mut self, span: Span) {
        self.span = span;
        match &mut self.kind {
            ExprKind::Text(text) => text.set_span(span),
            ExprKind::List(items) | ExprKind::Other(items) | ExprKind::Call(_, items) => {
                for item in items {
                    item.set_span(span);
                }
            }
            ExprKind::Object(items) => {
                for item in items {
                    item.key_span = span;
                    if let Some(key) = &mut item.key {
                        key.span = span;
                    }
                    item.value.set_span(span);
                }
            }
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Ref(_) => {}
        }
    }
}

impl Text {
    fn set_span(&mut self, to: Span) {
        for piece in &mut self.pieces {
            match piece {
                Piece::Literal { span, .. } => *span = to,
                Piece::Interpolation(e) => e.set_span(to),
                Piece::Directive(exprs, texts) => {
                    for e in exprs {
                        e.set_span(to);
                    }
                    for t in texts {
                        t.set_span(to);
                    }
                }
            }
        }
    }
}

impl Module {
    /// Top-level blocks of a type.
    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind.value == kind)
    }

    /// `resource` blocks.
    pub fn resources(&self) -> impl Iterator<Item = &Block> {
        self.blocks("resource")
    }

    /// `resource` blocks of one type.
    pub fn resources_of<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks("resource")
            .filter(move |b| b.label(0) == Some(ty))
    }

    pub fn variable(&self, name: &str) -> Option<&Block> {
        self.blocks.get(*self.variables.get(name)?)
    }

    /// The `default` of a variable referenced as `var.NAME`.
    pub fn variable_default(&self, name: &str) -> Option<&Expr> {
        self.variable(name)?.body.get("default")
    }

    /// An expression with `var.NAME` replaced by the variable's default, where it has one.
    pub fn resolve<'a>(&'a self, expr: &'a Expr) -> &'a Expr {
        match expr.as_var() {
            Some(name) if expr.as_ref_path().is_some_and(|p| p.len() == 2) => {
                self.variable_default(name).unwrap_or(expr)
            }
            _ => expr,
        }
    }

    /// The literal string an optional expression has, after resolving `var.NAME`.
    pub fn resolve_str<'a>(&'a self, expr: Option<&'a Expr>) -> Option<&'a str> {
        self.resolve(expr?).as_str()
    }

    /// The `backend` or `cloud` blocks inside `terraform` blocks.
    pub fn backends(&self) -> impl Iterator<Item = &Block> {
        self.blocks("terraform").flat_map(|t| {
            t.body
                .blocks
                .iter()
                .filter(|b| b.is("backend") || b.is("cloud"))
        })
    }

    /// Whether the module has configuration files (a lone state file has none).
    pub fn has_config(&self) -> bool {
        self.files
            .iter()
            .any(|f| matches!(f.kind, FileKind::Config | FileKind::ConfigJson))
    }

    /// A root module, the one `terraform apply` runs in (where state, backends and provider pins
    /// matter): it configures a backend, a provider or has variable files, and is not known to
    /// be a child.
    pub fn is_root(&self) -> bool {
        !self.child
            && (self.backends().next().is_some()
                || self.blocks("provider").next().is_some()
                || self.files.iter().any(|f| f.kind == FileKind::Vars))
    }

    /// Where "missing X" findings about the module point: the first `terraform` block, else the
    /// first `provider` block.
    pub fn owner(&self) -> Option<Span> {
        self.blocks("terraform")
            .next()
            .or_else(|| self.blocks("provider").next())
            .map(|b| b.head)
    }

    /// The file a span is in.
    pub fn file_of(&self, span: Span) -> Option<&ModuleFile> {
        self.files.iter().rev().find(|f| f.extent.contains(span))
    }
}
