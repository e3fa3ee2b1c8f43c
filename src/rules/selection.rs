//! Which rules run: the selection of a run or a path (`select`, `extend-select`, `ignore`) and
//! the selectors it is written in (`all`, `default`, a format id, a rule id).

use crate::format::Format;
use crate::rules::{self, Rule};

/// Which rules run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Selectors to enable: `all`, a format id, or a rule id. Empty means the default rules.
    pub select: Vec<String>,
    /// Selectors enabled on top of `select` (or of the default rules when it is empty).
    pub extend_select: Vec<String>,
    /// Selectors to disable; they beat `select` and `extend_select`.
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn enables(&self, rule: &Rule) -> bool {
        let selected = (self.select.is_empty() && rule.default)
            || self.select.iter().any(|s| selects(s, rule))
            || self.extend_select.iter().any(|s| selects(s, rule));
        selected && !self.ignore.iter().any(|s| matches(s, rule))
    }
}

/// Whether a selector (`all`, a format, a rule id) covers a rule: for ignores and severity
/// overrides, where a format means all of its rules.
pub fn matches(selector: &str, rule: &Rule) -> bool {
    selector == "all"
        || selector == rule.id
        || rule.id.split('/').next() == Some(selector)
        || (selector == "default" && rule.default)
}

/// Whether a selector turns a rule on: `all` and a rule id do whatever the rule's default
/// flag; a format selects its rules that are on by default, and `default` every such rule.
pub fn selects(selector: &str, rule: &Rule) -> bool {
    selector == "all" || selector == rule.id || (rule.default && matches(selector, rule))
}

/// Is a selector one infralint knows?
pub fn is_known_selector(selector: &str) -> bool {
    selector == "all"
        || selector == "default"
        || Format::from_id(selector).is_some()
        || selector == "infralint"
        || rules::by_id(selector).is_some()
}
