//! The Kestra model: flows over the YAML tree, with every task found by a recursive walk, the
//! triggers, plugin defaults and the task classes the rules share.

mod classes;
pub(crate) mod cron;
pub mod facts;
pub mod pebble;
mod zones;

pub use classes::{TASK_CLASSES, TaskClass, class_of, normalize_type};

use crate::formats::ParseError;
use crate::formats::yaml::{self, Node};
use crate::source::Span;

/// A file of Kestra flows (one per YAML document; normally exactly one).
#[derive(Debug, Default)]
pub struct FlowFile {
    pub flows: Vec<Flow>,
    pub errors: Vec<ParseError>,
    pub duplicate_keys: Vec<ParseError>,
}

/// One flow.
#[derive(Debug)]
pub struct Flow {
    /// The document's top-level mapping.
    pub root: Node,
    /// Every task, depth first in document order: `tasks`, then flow-level `errors`, `finally`
    /// and `afterExecution`, each with the tasks nested in flowable tasks.
    pub tasks: Vec<Task>,
    pub triggers: Vec<Trigger>,
    /// `pluginDefaults` (or the older `taskDefaults`) entries.
    pub plugin_defaults: Vec<PluginDefault>,
}

/// The flow-level list a task belongs to, through however many flowable parents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Tasks,
    Errors,
    Finally,
    AfterExecution,
}

/// A task anywhere in the flow.
#[derive(Debug)]
pub struct Task {
    /// The task's mapping.
    pub node: Node,
    /// `type`, with legacy names mapped to current ones (`io.kestra.core.tasks.log.Log` →
    /// `io.kestra.plugin.core.log.Log`).
    pub kind: String,
    /// The type as written.
    pub raw_kind: String,
    pub class: TaskClass,
    pub section: Section,
    /// The property of the parent (or of the flow) holding the task: `tasks`, `then`, `else`,
    /// `cases`, `default`, `errors`, `finally`, `afterExecution`, …
    pub via: String,
    /// Indices in `Flow::tasks` of the enclosing flowable tasks, nearest first.
    pub parents: Vec<usize>,
}

/// A trigger under `triggers:`.
#[derive(Debug)]
pub struct Trigger {
    pub node: Node,
    /// `type` with legacy names mapped (`io.kestra.core.models.triggers.types.Schedule` →
    /// `io.kestra.plugin.core.trigger.Schedule`).
    pub kind: String,
}

/// A `pluginDefaults` entry: default property values for plugins of a type (or type prefix).
#[derive(Debug)]
pub struct PluginDefault {
    /// The type or prefix, legacy names mapped.
    pub kind: String,
    pub forced: bool,
    /// The `values` mapping.
    pub values: Node,
}

/// How many YAML nodes the tasks of one flow may hold together. Each task keeps a copy of its
/// mapping, nested tasks included, so nesting multiplies the copies; ordinary flows stay far
/// below this, and a flow that nests aliased bulk hundreds of tasks deep cannot exhaust memory.
pub const MAX_TASK_NODES: usize = 4 * yaml::MAX_NODES;

/// Parse a file of flows. Documents that are not flow-shaped mappings are ignored (discovery
/// only hands over files that have a flow's top-level keys).
pub fn parse(text: &str) -> FlowFile {
    let stream = yaml::parse(text);
    let mut errors = stream.errors;
    let flows = stream
        .documents
        .into_iter()
        .filter_map(|d| d.root)
        .filter(|root| root.as_map().is_some() && root.get("apiVersion").is_none())
        .map(|root| Flow::new(root, &mut errors))
        .collect();
    FlowFile {
        flows,
        errors,
        duplicate_keys: stream.duplicate_keys,
    }
}

/// The type of a task, trigger or condition mapping, as written.
fn type_of(node: &Node) -> Option<&str> {
    node.get("type").and_then(Node::as_str)
}

/// Whether a node is a task: a mapping with a string `id` and a string `type`.
/// The type must be a qualified class name: Pause `onResume` inputs also have `id` and `type`
/// (`STRING`).
fn is_task(node: &Node) -> bool {
    node.get("id").and_then(Node::as_str).is_some()
        && type_of(node).is_some_and(|t| t.contains('.'))
}

impl Flow {
    fn new(root: Node, errors: &mut Vec<ParseError>) -> Flow {
        let mut tasks = Vec::new();
        let mut budget = Budget {
            left: MAX_TASK_NODES,
            error: None,
        };
        for (key, section) in [
            ("tasks", Section::Tasks),
            ("errors", Section::Errors),
            ("finally", Section::Finally),
            ("afterExecution", Section::AfterExecution),
        ] {
            if let Some(list) = root.get(key) {
                walk(list, key, section, &[], &mut tasks, &mut budget);
            }
        }
        errors.extend(budget.error);
        let triggers = root
            .get("triggers")
            .into_iter()
            .flat_map(Node::items)
            .filter_map(|node| {
                let kind = normalize_type(type_of(node)?);
                Some(Trigger {
                    node: node.clone(),
                    kind,
                })
            })
            .collect();
        let plugin_defaults = ["pluginDefaults", "taskDefaults"]
            .iter()
            .filter_map(|k| root.get(k))
            .flat_map(Node::items)
            .filter_map(|entry| {
                Some(PluginDefault {
                    kind: normalize_type(type_of(entry)?),
                    forced: entry.get("forced").and_then(Node::as_bool) == Some(true),
                    values: entry.get("values")?.clone(),
                })
            })
            .collect();
        Flow {
            root,
            tasks,
            triggers,
            plugin_defaults,
        }
    }

    /// A top-level property.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.root.get(key)
    }

    pub fn id(&self) -> Option<&str> {
        self.root.get("id").and_then(Node::as_str)
    }

    /// Where findings about the flow as a whole point: its `id` value.
    pub fn anchor(&self) -> Span {
        self.root.get("id").map_or(self.root.span, |n| n.span)
    }

    pub fn namespace(&self) -> Option<&str> {
        self.root.get("namespace").and_then(Node::as_str)
    }

    /// The flow's labels as (key, key node, value node), from the map form
    /// (`labels: {env: prod}`) or the list form (`- key: env` / `value: prod`).
    pub fn labels(&self) -> Vec<(&str, &Node, &Node)> {
        let Some(labels) = self.root.get("labels") else {
            return vec![];
        };
        if labels.as_map().is_some() {
            return labels.pairs().collect();
        }
        labels
            .items()
            .filter_map(|item| {
                let key = item.get("key")?;
                Some((key.as_str()?, key, item.get("value")?))
            })
            .collect()
    }

    /// The `inputs` list items.
    pub fn inputs(&self) -> impl Iterator<Item = &Node> {
        self.root.get("inputs").into_iter().flat_map(Node::items)
    }

    /// The input named `id` (also the older `name`).
    pub fn input(&self, id: &str) -> Option<&Node> {
        self.inputs()
            .find(|i| i.get("id").or_else(|| i.get("name")).and_then(Node::as_str) == Some(id))
    }

    /// The `variables` mapping.
    pub fn variables(&self) -> Option<&Node> {
        self.root.get("variables")
    }

    /// The `outputs` list items.
    pub fn outputs(&self) -> impl Iterator<Item = &Node> {
        self.root.get("outputs").into_iter().flat_map(Node::items)
    }

    pub fn sla(&self) -> impl Iterator<Item = &Node> {
        self.root.get("sla").into_iter().flat_map(Node::items)
    }

    pub fn concurrency(&self) -> Option<&Node> {
        self.root.get("concurrency")
    }

    /// The non-empty flow-level list `key` (`errors`, `finally`, `afterExecution`).
    pub fn has_list(&self, key: &str) -> bool {
        self.root
            .get(key)
            .is_some_and(|n| n.items().next().is_some())
    }

    /// A task's effective property: a forced plugin default, else the task's own value, else
    /// the first plugin default whose type is the task's type or a prefix of it. Server-wide
    /// plugin configuration is not visible here.
    pub fn effective<'a>(&'a self, task: &'a Task, key: &str) -> Option<&'a Node> {
        self.effective_of(&task.node, &task.kind, key)
    }

    /// The same for a trigger.
    pub fn effective_trigger<'a>(&'a self, trigger: &'a Trigger, key: &str) -> Option<&'a Node> {
        self.effective_of(&trigger.node, &trigger.kind, key)
    }

    fn effective_of<'a>(&'a self, node: &'a Node, kind: &str, key: &str) -> Option<&'a Node> {
        let defaults = || {
            self.plugin_defaults
                .iter()
                .filter(|d| kind.starts_with(d.kind.as_str()))
                .filter_map(|d| d.values.get(key).filter(|v| !v.is_null()).map(|v| (d, v)))
        };
        if let Some((_, forced)) = defaults().find(|(d, _)| d.forced) {
            return Some(forced);
        }
        node.get(key)
            .filter(|v| !v.is_null())
            .or_else(|| defaults().map(|(_, v)| v).next())
    }

    /// The literal behind a value that is exactly `{{ vars.x }}` or `{{ inputs.x }}`, which
    /// looks like a reference to a secret kept elsewhere but is not when it resolves to one:
    /// the node of `variables.x` or of the input's `defaults`, when it is a string without
    /// expressions of its own.
    pub fn resolve(&self, value: &str) -> Option<&Node> {
        let (scope, name) = pebble::whole_reference(value)?;
        let node = match scope {
            pebble::Scope::Vars => self.variables()?.get(name)?,
            pebble::Scope::Inputs => self.input(name)?.get("defaults")?,
        };
        node.as_str().filter(|s| !pebble::has_expression(s))?;
        Some(node)
    }

    /// The tasks of the given classes.
    pub fn tasks_of(&self, classes: &[TaskClass]) -> impl Iterator<Item = &Task> {
        self.tasks
            .iter()
            .filter(move |t| classes.contains(&t.class))
    }
}

/// What is left of [`MAX_TASK_NODES`] while a flow's tasks are collected, and the error once
/// it ran out (tasks past that point are left out).
struct Budget {
    left: usize,
    error: Option<ParseError>,
}

/// Collect the tasks of a list (or single task) found under `via`, then their nested tasks.
/// The recursion follows the YAML tree, whose depth the YAML layer caps.
fn walk(
    node: &Node,
    via: &str,
    section: Section,
    parents: &[usize],
    out: &mut Vec<Task>,
    budget: &mut Budget,
) {
    if is_task(node) {
        push(node, via, section, parents, out, budget);
        return;
    }
    for item in node.items() {
        if is_task(item) {
            push(item, via, section, parents, out, budget);
        } else if let Some(inner) = item.get("task").filter(|t| is_task(t)) {
            // `Dag` items wrap their task: `- task: {...}` / `dependsOn: [...]`.
            push(inner, via, section, parents, out, budget);
        }
    }
}

fn push(
    node: &Node,
    via: &str,
    section: Section,
    parents: &[usize],
    out: &mut Vec<Task>,
    budget: &mut Budget,
) {
    if budget.error.is_some() {
        return;
    }
    let size = node.size(budget.left);
    if size > budget.left {
        budget.error = Some(ParseError {
            span: node.span,
            message: format!(
                "the flow's nested tasks hold more than {MAX_TASK_NODES} YAML nodes together; \
                 the tasks from here on were not read"
            ),
        });
        return;
    }
    budget.left -= size;
    let raw_kind = type_of(node).unwrap_or("").to_string();
    let kind = normalize_type(&raw_kind);
    let class = class_of(&kind);
    let index = out.len();
    out.push(Task {
        node: node.clone(),
        kind,
        raw_kind,
        class,
        section,
        via: via.to_string(),
        parents: parents.to_vec(),
    });
    if class != TaskClass::Flowable {
        return;
    }
    let mut chain = Vec::with_capacity(parents.len() + 1);
    chain.push(index);
    chain.extend_from_slice(parents);
    for (key, _, value) in node.pairs() {
        if matches!(key, "id" | "type") {
            continue;
        }
        if key == "cases" {
            for (_, _, branch) in value.pairs() {
                walk(branch, key, section, &chain, out, budget);
            }
        } else {
            walk(value, key, section, &chain, out, budget);
        }
    }
}

impl Task {
    pub fn id(&self) -> Option<&str> {
        self.node.get("id").and_then(Node::as_str)
    }

    /// Where findings about the task point: its `id` value.
    pub fn anchor(&self) -> Span {
        self.node.get("id").map_or(self.node.span, |n| n.span)
    }

    /// The span of the `type` value.
    pub fn type_span(&self) -> Span {
        self.node.get("type").map_or(self.node.span, |n| n.span)
    }

    /// The task's simple type name (`Log` for `io.kestra.plugin.core.log.Log`).
    pub fn short_kind(&self) -> &str {
        self.kind.rsplit('.').next().unwrap_or(&self.kind)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.node.get(key)
    }
}

impl Trigger {
    pub fn id(&self) -> Option<&str> {
        self.node.get("id").and_then(Node::as_str)
    }

    pub fn anchor(&self) -> Span {
        self.node.get("id").map_or(self.node.span, |n| n.span)
    }

    /// The simple type name (`Schedule`).
    pub fn short_kind(&self) -> &str {
        self.kind.rsplit('.').next().unwrap_or(&self.kind)
    }

    /// Whether the trigger is one of Kestra's core triggers `name` (`Schedule`, `Flow`, …).
    pub fn is_core(&self, name: &str) -> bool {
        self.kind
            .strip_prefix("io.kestra.plugin.core.trigger.")
            .is_some_and(|n| n == name)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.node.get(key)
    }
}

/// What a Flow trigger reacts to, for `kestra/missing-error-handler` and
/// `kestra/unobserved-allow-failure`: flows of the run whose FAILED or WARNING executions some
/// flow watches.
#[derive(Debug, Clone)]
pub struct FailureWatch {
    /// The watching flow (namespace, id), which never reacts to itself.
    pub watcher: (String, String),
    /// Which flows it watches.
    pub scopes: Vec<WatchScope>,
    /// No condition narrows the trigger to namespaces or flows: it fires for every flow of the
    /// instance (Kestra's "alert on any failure" pattern).
    pub all: bool,
    /// It fires on FAILED executions (what a flow's `errors` would handle).
    pub failed: bool,
    /// It fires on WARNING executions (how an allowed failure ends).
    pub warning: bool,
    /// It fires on SUCCESS executions too: a downstream flow rather than an alerting one.
    pub success: bool,
}

/// A namespace (exact, prefix or suffix), optionally narrowed to one flow id.
#[derive(Debug, Clone)]
pub struct WatchScope {
    pub namespace: String,
    pub prefix: bool,
    pub suffix: bool,
    pub flow_id: Option<String>,
}

impl FailureWatch {
    /// The watches of a flow's Flow triggers whose state filters admit FAILED or WARNING.
    /// Disabled triggers watch nothing.
    pub fn of(flow: &Flow) -> Vec<FailureWatch> {
        let watcher = (
            flow.namespace().unwrap_or("").to_string(),
            flow.id().unwrap_or("").to_string(),
        );
        flow.triggers
            .iter()
            .filter(|t| t.is_core("Flow"))
            .filter(|t| t.get("disabled").and_then(Node::as_bool) != Some(true))
            .filter_map(|t| {
                let failed = admits(&t.node, "FAILED");
                let warning = admits(&t.node, "WARNING");
                if !(failed || warning) {
                    return None;
                }
                let scopes = scopes(&t.node);
                Some(FailureWatch {
                    watcher: watcher.clone(),
                    all: scopes.is_none(),
                    scopes: scopes.unwrap_or_default(),
                    failed,
                    warning,
                    success: admits(&t.node, "SUCCESS"),
                })
            })
            .collect()
    }

    /// Whether the watch reacts to executions of the flow `id` in `namespace` (in the states
    /// it admits: check `failed` or `warning`).
    pub fn covers(&self, namespace: &str, id: &str) -> bool {
        if self.watcher.0 == namespace && self.watcher.1 == id {
            return false;
        }
        self.all || self.scopes.iter().any(|s| s.covers(namespace, id))
    }
}

impl WatchScope {
    fn covers(&self, namespace: &str, id: &str) -> bool {
        let ns = if self.prefix {
            self.namespace.is_empty()
                || namespace == self.namespace
                || namespace
                    .strip_prefix(self.namespace.as_str())
                    .is_some_and(|rest| rest.starts_with('.') || self.namespace.ends_with('.'))
        } else if self.suffix {
            namespace.ends_with(self.namespace.as_str())
        } else {
            namespace == self.namespace
        };
        ns && self.flow_id.as_deref().is_none_or(|f| f == id)
    }
}

/// Whether a Flow trigger fires on executions ending in `state`. Every state filter must admit
/// it (they are combined with AND): the trigger's `states`, the `in` / `notIn` of
/// `ExecutionStatus` conditions, and the states of `preconditions` (any of its upstream flows,
/// and the `STATE` filters of `where`). A trigger without any filter fires on every terminal
/// state.
fn admits(trigger: &Node, state: &str) -> bool {
    let listed = |list: &Node| list.strings().iter().any(|s| s.as_str() == Some(state));
    if trigger
        .get("states")
        .is_some_and(|l| !l.is_null() && !listed(l))
    {
        return false;
    }
    for condition in conditions(trigger) {
        if type_of(condition).is_some_and(|t| t.contains("ExecutionStatus")) {
            if condition
                .get("in")
                .is_some_and(|l| l.items().next().is_some() && !listed(l))
            {
                return false;
            }
            if condition.get("notIn").is_some_and(listed) {
                return false;
            }
        }
    }
    if let Some(pre) = trigger.get("preconditions") {
        let flow_states: Vec<&Node> = pre
            .get("flows")
            .into_iter()
            .flat_map(Node::items)
            .filter_map(|f| f.get("states"))
            .collect();
        if !flow_states.is_empty() && !flow_states.iter().any(|l| listed(l)) {
            return false;
        }
        for filter in where_filters(pre) {
            if filter.get("field").and_then(Node::as_str) != Some("STATE") {
                continue;
            }
            let values: Vec<&Node> = ["value", "values"]
                .iter()
                .filter_map(|k| filter.get(k))
                .collect();
            let hit = values.iter().any(|l| listed(l));
            let negated = matches!(
                filter.get("type").and_then(Node::as_str),
                Some("NOT_EQUAL_TO" | "NOT_IN")
            );
            if !values.is_empty() && hit == negated {
                return false;
            }
        }
    }
    true
}

/// The filters of a `preconditions.where` list.
fn where_filters(pre: &Node) -> impl Iterator<Item = &Node> {
    pre.get("where")
        .into_iter()
        .flat_map(Node::items)
        .flat_map(|w| w.get("filters").into_iter().flat_map(Node::items))
}

/// A trigger's conditions, with those nested in `MultipleCondition`-like conditions (a list or
/// a map of conditions under `conditions`). The conditions under a `Not` are left out: they
/// exclude, and what they exclude is not a scope.
fn conditions(trigger: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = trigger.get("conditions").into_iter().collect();
    while let Some(list) = stack.pop() {
        let items: Vec<&Node> = match list.as_map() {
            Some(_) => list.pairs().map(|(_, _, v)| v).collect(),
            None => list.items().collect(),
        };
        for condition in items {
            if type_of(condition).is_some_and(|t| t.ends_with(".Not")) {
                continue;
            }
            out.push(condition);
            stack.extend(condition.get("conditions"));
        }
    }
    out
}

/// The namespaces and flows a Flow trigger's conditions and preconditions narrow it to; `None`
/// when nothing narrows it, so it fires for every flow of the instance. A namespace or flow
/// condition read here: `ExecutionNamespace` (`comparison: PREFIX|SUFFIX` or `prefix: true`),
/// `ExecutionFlow`, their older names (`ExecutionNamespaceCondition`, `FlowNamespaceCondition`,
/// `ExecutionFlowCondition`, `FlowCondition`, under `io.kestra.core.models.conditions.types`
/// or `io.kestra.plugin.core.condition`), `preconditions.flows` and the `FLOW_ID` and
/// `NAMESPACE` filters of `preconditions.where`.
fn scopes(trigger: &Node) -> Option<Vec<WatchScope>> {
    let mut out = Vec::new();
    let mut narrowed = false;
    let text = |n: &Node, k: &str| n.get(k).and_then(Node::as_str).map(str::to_string);
    for condition in conditions(trigger) {
        let Some(kind) = type_of(condition) else {
            continue;
        };
        let short = kind.rsplit('.').next().unwrap_or(kind);
        let short = short.strip_suffix("Condition").unwrap_or(short);
        let namespace = text(condition, "namespace").unwrap_or_default();
        match short {
            "ExecutionNamespace" | "FlowNamespace" => {
                narrowed = true;
                let comparison = text(condition, "comparison");
                let prefix = comparison.as_deref() == Some("PREFIX")
                    || (comparison.is_none()
                        && condition.get("prefix").and_then(Node::as_bool) == Some(true));
                out.push(WatchScope {
                    namespace,
                    prefix,
                    suffix: comparison.as_deref() == Some("SUFFIX"),
                    flow_id: None,
                });
            }
            "ExecutionFlow" | "Flow" => {
                narrowed = true;
                out.push(WatchScope {
                    namespace,
                    prefix: false,
                    suffix: false,
                    flow_id: text(condition, "flowId"),
                });
            }
            _ => {}
        }
    }
    if let Some(pre) = trigger.get("preconditions") {
        for flow in pre.get("flows").into_iter().flat_map(Node::items) {
            narrowed = true;
            out.push(WatchScope {
                namespace: text(flow, "namespace").unwrap_or_default(),
                prefix: false,
                suffix: false,
                flow_id: text(flow, "flowId"),
            });
        }
        for filter in where_filters(pre) {
            let field = filter.get("field").and_then(Node::as_str);
            if !matches!(field, Some("FLOW_ID" | "NAMESPACE")) {
                continue;
            }
            let kind = filter.get("type").and_then(Node::as_str).unwrap_or("");
            let mut values: Vec<String> = text(filter, "value").into_iter().collect();
            values.extend(
                filter
                    .get("values")
                    .into_iter()
                    .flat_map(Node::strings)
                    .filter_map(|v| v.as_str().map(str::to_string)),
            );
            // Only a filter that names what it keeps narrows the trigger; a negated or pattern
            // filter (`NOT_EQUAL_TO`, `REGEX`, `CONTAINS`, …) is read as keeping every flow.
            if !matches!(kind, "EQUAL_TO" | "IN" | "STARTS_WITH" | "ENDS_WITH") || values.is_empty()
            {
                continue;
            }
            narrowed = true;
            for value in values {
                out.push(if field == Some("FLOW_ID") {
                    WatchScope {
                        namespace: String::new(),
                        prefix: true,
                        suffix: false,
                        flow_id: Some(value),
                    }
                } else {
                    WatchScope {
                        namespace: value,
                        prefix: kind == "STARTS_WITH",
                        suffix: kind == "ENDS_WITH",
                        flow_id: None,
                    }
                });
            }
        }
    }
    narrowed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOW: &str = "id: etl
namespace: acme.data
labels:
  - key: team
    value: data
pluginDefaults:
  - type: io.kestra.plugin.jdbc
    values:
      timeout: PT5M
tasks:
  - id: seq
    type: io.kestra.core.tasks.flows.Sequential
    tasks:
      - id: q
        type: io.kestra.plugin.jdbc.postgresql.Query
    errors:
      - id: warn
        type: io.kestra.plugin.core.log.Log
  - id: sw
    type: io.kestra.plugin.core.flow.Switch
    cases:
      a:
        - id: a1
          type: io.kestra.plugin.scripts.shell.Commands
    default:
      - id: d1
        type: io.kestra.plugin.core.http.Request
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: inner
          type: io.kestra.plugin.core.debug.Return
errors:
  - id: alert
    type: io.kestra.plugin.notifications.slack.SlackExecution
triggers:
  - id: daily
    type: io.kestra.core.models.triggers.types.Schedule
";

    #[test]
    fn walks_nested_tasks() {
        let file = parse(FLOW);
        let flow = file.flows.first().unwrap();
        let ids: Vec<_> = flow.tasks.iter().map(|t| t.id().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "seq", "q", "warn", "sw", "a1", "d1", "dag", "inner", "alert"
            ]
        );
        let q = flow.tasks.get(1).unwrap();
        assert_eq!(q.parents, [0]);
        assert_eq!(q.class, TaskClass::Network);
        assert_eq!(flow.tasks.first().unwrap().class, TaskClass::Flowable);
        assert_eq!(flow.tasks.get(2).unwrap().via, "errors");
        assert_eq!(flow.tasks.last().unwrap().section, Section::Errors);
        assert_eq!(
            flow.effective(q, "timeout").and_then(Node::as_str),
            Some("PT5M")
        );
        assert!(flow.triggers.first().unwrap().is_core("Schedule"));
        assert_eq!(flow.labels().len(), 1);
    }

    #[test]
    fn resolves_vars_and_inputs() {
        let file = parse(
            "id: f\nnamespace: a.b\nvariables:\n  pw: hunter2\ninputs:\n  - id: tok\n    type: STRING\n    defaults: abc\ntasks: []\n",
        );
        let flow = file.flows.first().unwrap();
        assert_eq!(
            flow.resolve("{{ vars.pw }}").and_then(Node::as_str),
            Some("hunter2")
        );
        assert_eq!(
            flow.resolve("{{inputs.tok}}").and_then(Node::as_str),
            Some("abc")
        );
        assert!(flow.resolve("{{ secret('X') }}").is_none());
    }

    #[test]
    fn failure_watches() {
        let file = parse(
            "id: alerts\nnamespace: system\ntasks: []\ntriggers:\n  - id: on_fail\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionStatus\n        in: [FAILED]\n      - type: io.kestra.plugin.core.condition.ExecutionNamespace\n        namespace: acme\n        comparison: PREFIX\n",
        );
        let watches = FailureWatch::of(file.flows.first().unwrap());
        assert_eq!(watches.len(), 1);
        let w = watches.first().unwrap();
        assert!(w.covers("acme.data", "etl"));
        assert!(w.covers("acme", "etl"));
        assert!(!w.covers("acmecorp", "etl"));
        assert!(!w.covers("other", "etl"));
    }

    fn watch(triggers: &str) -> Vec<FailureWatch> {
        let file = parse(&format!(
            "id: alerts\nnamespace: system\ntasks: []\ntriggers:\n{triggers}"
        ));
        FailureWatch::of(file.flows.first().unwrap())
    }

    #[test]
    fn a_status_condition_alone_watches_every_flow() {
        let w = watch(
            "  - id: t\n    type: io.kestra.core.models.triggers.types.Flow\n    conditions:\n      - type: io.kestra.core.models.conditions.types.ExecutionStatusCondition\n        in: [FAILED, WARNING]\n",
        );
        let w = w.first().unwrap();
        assert!(w.all && w.failed && w.warning);
        assert!(w.covers("anything.at.all", "etl"));
        assert!(!w.covers("system", "alerts"));
    }

    #[test]
    fn states_combine_and_old_namespace_conditions_scope() {
        let w = watch(
            "  - id: t\n    type: io.kestra.plugin.core.trigger.Flow\n    states: [FAILED]\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionStatus\n        in: [FAILED, WARNING]\n      - type: io.kestra.plugin.core.condition.FlowNamespaceCondition\n        namespace: acme\n        prefix: true\n",
        );
        let w = w.first().unwrap();
        assert!(w.failed && !w.warning && !w.all);
        assert!(w.covers("acme.sales", "etl"));
        assert!(!w.covers("other", "etl"));
        let none = watch(
            "  - id: t\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionStatus\n        notIn: [FAILED, WARNING]\n",
        );
        assert!(none.is_empty());
        let disabled =
            watch("  - id: t\n    type: io.kestra.plugin.core.trigger.Flow\n    disabled: true\n");
        assert!(disabled.is_empty());
    }

    #[test]
    fn preconditions_where_filters() {
        let w = watch(
            "  - id: t\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: p\n      where:\n        - id: w\n          filters:\n            - field: NAMESPACE\n              type: IN\n              values: [acme.sales, acme.hr]\n            - field: STATE\n              type: IN\n              values: [FAILED]\n",
        );
        let w = w.first().unwrap();
        assert!(w.failed && !w.warning);
        assert!(w.covers("acme.hr", "pay"));
        assert!(!w.covers("acme.ops", "pay"));
    }
}
