//! Task classes by type prefix (what a task does: remote calls, computation, flow control, or
//! nothing to judge) and the mapping of legacy type names: one table
//! that every Kestra rule reads.

/// What a task does, as far as retry, timeout and error handling are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskClass {
    /// Talks to a remote system (HTTP, databases, cloud storage, messaging, notifications).
    Network,
    /// Runs code or a workload (scripts, containers, dbt, Spark, Kubernetes, Ansible).
    Compute,
    /// Orchestrates other tasks (`io.kestra.plugin.core.flow.*`).
    Flowable,
    /// Works inside Kestra only (logs, debug, execution control, outputs, KV and storage).
    Exempt,
}

/// Type prefixes and their class, longest match wins; a type matching none is `Network`
/// (most plugins talk to a remote system).
pub const TASK_CLASSES: &[(&str, TaskClass)] = &[
    ("io.kestra.plugin.core.http.", TaskClass::Network),
    ("io.kestra.plugin.fs.", TaskClass::Network),
    ("io.kestra.plugin.jdbc.", TaskClass::Network),
    ("io.kestra.plugin.aws.", TaskClass::Network),
    ("io.kestra.plugin.gcp.", TaskClass::Network),
    ("io.kestra.plugin.azure.", TaskClass::Network),
    ("io.kestra.plugin.minio.", TaskClass::Network),
    ("io.kestra.plugin.git.", TaskClass::Network),
    ("io.kestra.plugin.kafka.", TaskClass::Network),
    ("io.kestra.plugin.mongodb.", TaskClass::Network),
    ("io.kestra.plugin.elasticsearch.", TaskClass::Network),
    ("io.kestra.plugin.redis.", TaskClass::Network),
    ("io.kestra.plugin.mqtt.", TaskClass::Network),
    ("io.kestra.plugin.nats.", TaskClass::Network),
    ("io.kestra.plugin.amqp.", TaskClass::Network),
    ("io.kestra.plugin.notifications.", TaskClass::Network),
    ("io.kestra.plugin.slack.", TaskClass::Network),
    // Embedded databases run inside the worker.
    ("io.kestra.plugin.jdbc.duckdb.", TaskClass::Compute),
    ("io.kestra.plugin.jdbc.sqlite.", TaskClass::Compute),
    ("io.kestra.plugin.scripts.", TaskClass::Compute),
    // Legacy `io.kestra.core.tasks.scripts.Bash` and friends.
    ("io.kestra.plugin.core.scripts.", TaskClass::Compute),
    ("io.kestra.plugin.docker.", TaskClass::Compute),
    ("io.kestra.plugin.dbt.", TaskClass::Compute),
    ("io.kestra.plugin.spark.", TaskClass::Compute),
    ("io.kestra.plugin.kubernetes.", TaskClass::Compute),
    ("io.kestra.plugin.ansible.", TaskClass::Compute),
    ("io.kestra.plugin.terraform.", TaskClass::Compute),
    ("io.kestra.plugin.core.flow.", TaskClass::Flowable),
    ("io.kestra.plugin.core.log.", TaskClass::Exempt),
    ("io.kestra.plugin.core.debug.", TaskClass::Exempt),
    ("io.kestra.plugin.core.execution.", TaskClass::Exempt),
    ("io.kestra.plugin.core.output.", TaskClass::Exempt),
    ("io.kestra.plugin.core.kv.", TaskClass::Exempt),
    ("io.kestra.plugin.core.storage.", TaskClass::Exempt),
    // Internal storage too: namespace files, state store, metrics, templating.
    ("io.kestra.plugin.core.namespace.", TaskClass::Exempt),
    ("io.kestra.plugin.core.state.", TaskClass::Exempt),
    ("io.kestra.plugin.core.metric.", TaskClass::Exempt),
    ("io.kestra.plugin.core.templating.", TaskClass::Exempt),
    // Enabling or disabling a trigger of the instance.
    ("io.kestra.plugin.core.trigger.", TaskClass::Exempt),
    // Kestra's own test-only tasks (`io.kestra.core.tasks.test.*`) and other classes of its core
    // that are not plugins.
    ("io.kestra.plugin.core.test.", TaskClass::Exempt),
    ("io.kestra.core.", TaskClass::Exempt),
    // File conversions that read and write Kestra's internal storage only.
    ("io.kestra.plugin.serdes.", TaskClass::Exempt),
    ("io.kestra.plugin.transform.", TaskClass::Exempt),
    ("io.kestra.plugin.compress.", TaskClass::Exempt),
];

/// Legacy prefixes and what they are called now. The plural package names of the old core
/// (`flows`, `debugs`, …) come before the generic `io.kestra.core.tasks.` mapping.
const LEGACY: &[(&str, &str)] = &[
    ("io.kestra.core.tasks.flows.", "io.kestra.plugin.core.flow."),
    (
        "io.kestra.core.tasks.debugs.",
        "io.kestra.plugin.core.debug.",
    ),
    (
        "io.kestra.core.tasks.executions.",
        "io.kestra.plugin.core.execution.",
    ),
    (
        "io.kestra.core.tasks.storages.",
        "io.kestra.plugin.core.storage.",
    ),
    (
        "io.kestra.core.tasks.states.",
        "io.kestra.plugin.core.state.",
    ),
    (
        "io.kestra.core.tasks.outputs.",
        "io.kestra.plugin.core.output.",
    ),
    ("io.kestra.core.tasks.", "io.kestra.plugin.core."),
    (
        "io.kestra.core.models.triggers.types.",
        "io.kestra.plugin.core.trigger.",
    ),
    (
        "io.kestra.core.models.conditions.types.",
        "io.kestra.plugin.core.condition.",
    ),
    ("io.kestra.plugin.fs.http.", "io.kestra.plugin.core.http."),
];

/// A type with its legacy prefix replaced by the current one.
pub fn normalize_type(kind: &str) -> String {
    let kind = kind.trim();
    for (old, new) in LEGACY {
        if let Some(rest) = kind.strip_prefix(old) {
            return format!("{new}{rest}");
        }
    }
    kind.to_string()
}

/// The class of a (normalized) task type.
pub fn class_of(kind: &str) -> TaskClass {
    TASK_CLASSES
        .iter()
        .filter(|(prefix, _)| kind.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map_or(TaskClass::Network, |(_, class)| *class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_names() {
        assert_eq!(
            normalize_type("io.kestra.core.tasks.log.Log"),
            "io.kestra.plugin.core.log.Log"
        );
        assert_eq!(
            normalize_type("io.kestra.core.tasks.flows.Parallel"),
            "io.kestra.plugin.core.flow.Parallel"
        );
        assert_eq!(
            normalize_type("io.kestra.core.models.triggers.types.Schedule"),
            "io.kestra.plugin.core.trigger.Schedule"
        );
    }

    #[test]
    fn classes() {
        assert_eq!(
            class_of("io.kestra.plugin.core.flow.If"),
            TaskClass::Flowable
        );
        assert_eq!(
            class_of("io.kestra.plugin.core.http.Request"),
            TaskClass::Network
        );
        assert_eq!(
            class_of("io.kestra.plugin.scripts.python.Script"),
            TaskClass::Compute
        );
        assert_eq!(class_of("io.kestra.plugin.core.log.Log"), TaskClass::Exempt);
        assert_eq!(class_of("com.acme.Thing"), TaskClass::Network);
        assert_eq!(
            class_of("io.kestra.plugin.jdbc.duckdb.Query"),
            TaskClass::Compute
        );
        assert_eq!(
            class_of(&normalize_type("io.kestra.core.tasks.trigger.Toggle")),
            TaskClass::Exempt
        );
        assert_eq!(
            class_of(&normalize_type("io.kestra.core.tasks.test.Read")),
            TaskClass::Exempt
        );
    }
}
