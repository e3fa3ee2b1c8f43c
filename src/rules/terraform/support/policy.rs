//! IAM policy statements, from JSON documents (`jsonencode({…})`, JSON heredocs) and from
//! `aws_iam_policy_document` data sources, for the rules that judge them.
use crate::formats::terraform::json_document;
use crate::rules::prelude::*;

/// What a rule needs to know about one statement. Lists hold literal values only.
pub(crate) struct Statement {
    pub(crate) allow: bool,
    pub(crate) actions: Vec<String>,
    pub(crate) not_action: bool,
    pub(crate) resources: Vec<String>,
    /// `Principal: "*"`, `{"AWS": "*"}`, or a `principals` block of `*` identifiers.
    pub(crate) public_principal: bool,
    pub(crate) has_condition: bool,
    /// The statement, or the document when the statement has no span of its own.
    pub(crate) span: Span,
}

/// The statements of a JSON policy document held by an expression.
pub(crate) fn json_statements(expr: &Expr) -> Vec<Statement> {
    let Some(doc) = json_document(expr) else {
        return vec![];
    };
    let mut out = Vec::new();
    let Some(statements) = doc.field("Statement") else {
        return out;
    };
    let list: Vec<&Expr> = match statements.as_list() {
        Some(items) => items.iter().collect(),
        None => vec![statements],
    };
    for st in list {
        if st.as_object().is_none() {
            continue;
        }
        let list = |key: &str| st.field(key).map(strings).unwrap_or_default();
        let principal = st.field("Principal");
        let public_principal = principal.is_some_and(|p| {
            p.as_str() == Some("*")
                || p.field("AWS")
                    .is_some_and(|aws| strings(aws).iter().any(|s| s == "*"))
        });
        out.push(Statement {
            allow: st
                .field("Effect")
                .and_then(Expr::as_str)
                .is_some_and(|e| e.eq_ignore_ascii_case("allow")),
            actions: list("Action"),
            not_action: st.field("NotAction").is_some(),
            resources: list("Resource"),
            public_principal,
            has_condition: st.field("Condition").is_some(),
            span: st.span,
        });
    }
    out
}

/// The strings of a value that is a string or a list of strings.
fn strings(expr: &Expr) -> Vec<String> {
    match expr.as_list() {
        Some(items) => items
            .iter()
            .filter_map(Expr::as_str)
            .map(str::to_string)
            .collect(),
        None => expr.as_str().map(str::to_string).into_iter().collect(),
    }
}

/// The statements of a `data "aws_iam_policy_document"` block.
pub(crate) fn document_statements(block: &Block) -> Vec<Statement> {
    let mut out = Vec::new();
    for st in block.body.blocks("statement") {
        let body = &st.body;
        let list = |key: &str| body.get(key).map(strings).unwrap_or_default();
        let public_principal = body.blocks("principals").any(|p| {
            p.body
                .get("identifiers")
                .and_then(Expr::as_list)
                .is_some_and(|ids| ids.iter().any(|i| i.as_str() == Some("*")))
        });
        out.push(Statement {
            allow: body
                .str("effect")
                .is_none_or(|e| e.eq_ignore_ascii_case("allow")),
            actions: list("actions"),
            not_action: body.attr("not_actions").is_some(),
            resources: list("resources"),
            public_principal,
            has_condition: body.block("condition").is_some(),
            span: st.head,
        });
    }
    out
}

/// The `aws_iam_policy_document` data source an expression refers to with `….json`.
pub(crate) fn referenced_document<'a>(module: &'a Module, expr: &Expr) -> Option<&'a Block> {
    let path = expr.as_ref_path()?;
    let [data, ty, name, ..] = path else {
        return None;
    };
    if data != "data" || ty != "aws_iam_policy_document" {
        return None;
    }
    module
        .blocks("data")
        .find(|b| b.label(0) == Some(ty.as_str()) && b.label(1) == Some(name.as_str()))
}
