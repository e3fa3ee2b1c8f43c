//! Kubernetes label selectors (`matchLabels` and `matchExpressions`), evaluated as the API
//! server does, for rules that ask which pods a policy, budget or controller selects.

use crate::formats::yaml::Node;
use crate::source::Span;

/// A parsed `LabelSelector`: every requirement must hold (they are ANDed).
#[derive(Clone, Debug, PartialEq)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

/// One requirement: a `matchLabels` entry (an `In` with one value) or a `matchExpressions` item.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
    /// The `matchLabels` entry or the `matchExpressions` item.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// Why a selector cannot be evaluated; the API server rejects such a selector too.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectorError {
    pub span: Span,
    pub message: String,
}

impl LabelSelector {
    /// Read a `LabelSelector` node (`{matchLabels, matchExpressions}`). An empty mapping gives
    /// a selector without requirements; whether that selects everything or nothing depends on
    /// the field (callers decide).
    pub fn parse(node: &Node) -> Result<LabelSelector, SelectorError> {
        if node.is_null() {
            return Ok(LabelSelector {
                requirements: Vec::new(),
            });
        }
        if node.as_map().is_none() {
            return Err(error(node.span, "the selector is not a mapping"));
        }
        let mut requirements = Vec::new();
        if let Some(labels) = node.get("matchLabels") {
            requirements.extend(Self::equality_map(labels)?.requirements);
        }
        if let Some(expressions) = node.get("matchExpressions") {
            if !expressions.is_null() && expressions.as_seq().is_none() {
                return Err(error(expressions.span, "`matchExpressions` is not a list"));
            }
            for item in expressions.items() {
                requirements.push(expression(item)?);
            }
        }
        Ok(LabelSelector { requirements })
    }

    /// Read a plain label map used as a selector (a Service's or ReplicationController's
    /// `selector`, or `matchLabels`): every pair must be equal.
    pub fn equality_map(node: &Node) -> Result<LabelSelector, SelectorError> {
        if node.is_null() {
            return Ok(LabelSelector {
                requirements: Vec::new(),
            });
        }
        let Some(entries) = node.as_map() else {
            return Err(error(node.span, "the label map is not a mapping"));
        };
        let mut requirements = Vec::new();
        for entry in entries {
            let Some(key) = entry.key.as_str() else {
                return Err(error(entry.key.span, "a label key is not a string"));
            };
            let value = label_text(&entry.value)
                .ok_or_else(|| error(entry.value.span, "a label value is not a string"))?;
            requirements.push(Requirement {
                key: key.to_string(),
                operator: Operator::In,
                values: vec![value.to_string()],
                span: entry.key.span.cover(entry.value.span),
            });
        }
        Ok(LabelSelector { requirements })
    }

    /// A selector without requirements (`{}`).
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether pods with these labels (a mapping, or `None` for no labels) are selected. An
    /// empty selector matches every set of labels.
    pub fn matches(&self, labels: Option<&Node>) -> bool {
        self.first_unmet(labels).is_none()
    }

    /// The first requirement the labels do not meet.
    pub fn first_unmet(&self, labels: Option<&Node>) -> Option<&Requirement> {
        self.requirements.iter().find(|r| !r.matches(labels))
    }
}

impl Requirement {
    pub fn matches(&self, labels: Option<&Node>) -> bool {
        let value = labels.and_then(|l| l.get(&self.key)).and_then(label_text);
        match self.operator {
            Operator::In => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            Operator::NotIn => value.is_none_or(|v| self.values.iter().all(|x| x != v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }
}

/// A label value as text: strings, and plain numbers or booleans as written (`version: 2`).
fn label_text(node: &Node) -> Option<&str> {
    match node.as_scalar() {
        Some(s) if s.is_null() => Some(""),
        Some(s) => Some(s.text.as_str()),
        None => None,
    }
}

fn expression(item: &Node) -> Result<Requirement, SelectorError> {
    let key = item
        .get("key")
        .and_then(Node::as_str)
        .ok_or_else(|| error(item.span, "a `matchExpressions` item has no `key`"))?;
    let op = item.get("operator");
    let operator = match op.and_then(Node::as_str) {
        Some("In") => Operator::In,
        Some("NotIn") => Operator::NotIn,
        Some("Exists") => Operator::Exists,
        Some("DoesNotExist") => Operator::DoesNotExist,
        Some(other) => {
            return Err(error(
                op.map_or(item.span, |n| n.span),
                &format!("`{other}` is not a selector operator"),
            ));
        }
        None => {
            return Err(error(
                item.span,
                "a `matchExpressions` item has no `operator`",
            ));
        }
    };
    let values: Vec<String> = item
        .get("values")
        .into_iter()
        .flat_map(Node::items)
        .filter_map(label_text)
        .map(str::to_string)
        .collect();
    let needs_values = matches!(operator, Operator::In | Operator::NotIn);
    if needs_values == values.is_empty() {
        let what = if needs_values {
            "needs `values`"
        } else {
            "must not have `values`"
        };
        return Err(error(item.span, &format!("the `{key}` expression {what}")));
    }
    Ok(Requirement {
        key: key.to_string(),
        operator,
        values,
        span: item.span,
    })
}

fn error(span: Span, message: &str) -> SelectorError {
    SelectorError {
        span,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml;

    fn node(text: &str) -> Node {
        yaml::parse(text)
            .documents
            .into_iter()
            .next()
            .unwrap()
            .root
            .unwrap()
    }

    #[test]
    fn match_labels_and_expressions() {
        let s = LabelSelector::parse(&node(
            "matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [front, edge]}\n- {key: canary, operator: DoesNotExist}\n- {key: zone, operator: NotIn, values: [b]}\n- {key: team, operator: Exists}\n",
        ))
        .unwrap();
        assert_eq!(s.requirements.len(), 5);
        let yes = node("{app: web, tier: edge, team: x}");
        assert!(s.matches(Some(&yes)));
        let zone_b = node("{app: web, tier: edge, team: x, zone: b}");
        assert_eq!(s.first_unmet(Some(&zone_b)).unwrap().key, "zone");
        let canary = node("{app: web, tier: edge, team: x, canary: 'true'}");
        assert!(!s.matches(Some(&canary)));
        assert!(!s.matches(None));
    }

    #[test]
    fn empty_and_numbers() {
        let s = LabelSelector::parse(&node("{}")).unwrap();
        assert!(s.is_empty() && s.matches(None));
        let s = LabelSelector::equality_map(&node("{version: 2}")).unwrap();
        assert!(s.matches(Some(&node("{version: '2'}"))));
    }

    #[test]
    fn malformed_selectors_are_errors() {
        for text in [
            "matchExpressions:\n- {key: a, operator: Equals, values: [b]}\n",
            "matchExpressions:\n- {key: a, operator: In}\n",
            "matchExpressions:\n- {key: a, operator: Exists, values: [b]}\n",
            "matchExpressions:\n- {operator: Exists}\n",
            "matchLabels: [a]\n",
            "[a]\n",
        ] {
            assert!(LabelSelector::parse(&node(text)).is_err(), "{text}");
        }
    }
}
