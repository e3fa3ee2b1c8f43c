//! The estimated-resources section: a plain-text table for the human report and a JSON object
//! for the JSON report.

use serde_json::{Value, json};

use crate::format::Format;
use crate::resources::{Entry, Group, Replicas, Resources, Totals, format_bytes, format_cpus};

/// The machine the workloads are meant for (`[options] host-memory`, `host-cpus`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Host {
    pub memory: Option<u64>,
    pub cpus: Option<f64>,
}

/// The section as text, or nothing when no service or workload was found.
pub fn text(resources: &Resources, host: Host) -> String {
    if resources.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("Estimated resources (declared per replica, totals times replicas):\n");
    for group in resources.groups.iter().filter(|g| !g.entries.is_empty()) {
        let (prefix, what) = group_label(group.format);
        let title = format!("{prefix} {}", group.name);
        out.push_str(&format!("  {title}\n"));
        let compose = group.format == Format::Compose;
        let mut rows = vec![header(what, compose)];
        rows.extend(group.entries.iter().map(|e| row(e, compose)));
        out.push_str(&table(&rows, "    "));
        out.push_str(&format!("    total: {}\n", totals_line(&group.totals())));
    }
    let totals = resources.totals();
    out.push_str(&format!("  Run total: {}\n", totals_line(&totals)));
    if let Some(line) = headroom(&totals, host) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

/// How a group is titled (followed by its name) and what its entries are called.
pub(crate) fn group_label(format: Format) -> (&'static str, &'static str) {
    match format {
        Format::Compose => ("Docker Compose:", "service"),
        Format::Systemd => ("systemd units in", "unit"),
        _ => ("Kubernetes namespace", "workload"),
    }
}

pub(crate) fn header(what: &str, compose: bool) -> Vec<String> {
    let mut h = vec![what.to_string(), "replicas".into(), "memory limit".into()];
    if compose {
        h.extend([
            "memory reserved".into(),
            "CPU limit".into(),
            "healthcheck".into(),
        ]);
    } else {
        h.extend([
            "memory request".into(),
            "CPU limit".into(),
            "CPU request".into(),
        ]);
    }
    h
}

pub(crate) fn row(e: &Entry, compose: bool) -> Vec<String> {
    let bytes = |b: Option<u64>| b.map_or("-".to_string(), format_bytes);
    let cpus = |c: Option<f64>| c.map_or("-".to_string(), format_cpus);
    let mut r = vec![
        e.name.clone(),
        replicas(e.replicas),
        bytes(e.memory_limit),
        bytes(e.memory_request),
        cpus(e.cpu_limit),
    ];
    if compose {
        r.push(match e.healthcheck {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => "-".into(),
        });
    } else {
        r.push(cpus(e.cpu_request));
    }
    r
}

/// `3`, `2-10` (autoscaled), `per node`.
pub fn replicas(r: Replicas) -> String {
    match r {
        Replicas::Fixed(n) => n.to_string(),
        Replicas::Range(min, max) => format!("{min}-{max}"),
        Replicas::PerNode => "per node".into(),
    }
}

fn table(rows: &[Vec<String>], indent: &str) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = indent.to_string();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(&format!("{cell:<width$}  "));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `memory limits 1.8 GiB (a lower bound: 1 of 3 without a limit); CPU limits 1.5`, or
/// `no memory limits` when none is set.
pub fn totals_line(t: &Totals) -> String {
    let part = |what: &str, total: String, unbounded: usize, requests: Option<String>| {
        let mut text = if unbounded == t.entries {
            format!("no {what} limits")
        } else if unbounded == 0 {
            format!("{what} limits {total}")
        } else {
            format!(
                "{what} limits {total} (a lower bound: {unbounded} of {} without a limit)",
                t.entries
            )
        };
        if let Some(requests) = requests {
            text.push_str(&format!(", requests {requests}"));
        }
        text
    };
    let memory = part(
        "memory",
        format_bytes(t.memory_limit),
        t.unbounded_memory,
        (t.memory_request > 0).then(|| format_bytes(t.memory_request)),
    );
    let cpu = part(
        "CPU",
        format_cpus(t.cpu_limit),
        t.unbounded_cpu,
        (t.cpu_request > 0.0).then(|| format_cpus(t.cpu_request)),
    );
    format!("{memory}; {cpu}")
}

/// What is left of the host after the limits, when the host is known.
pub fn headroom(t: &Totals, host: Host) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(memory) = host.memory {
        let left = memory as i128 - i128::from(t.memory_limit);
        parts.push(if left >= 0 {
            format!(
                "{} of {} memory left",
                format_bytes(left as u64),
                format_bytes(memory)
            )
        } else {
            format!(
                "memory limits exceed the host's {} by {}",
                format_bytes(memory),
                format_bytes((-left) as u64)
            )
        });
    }
    if let Some(cpus) = host.cpus {
        let left = cpus - t.cpu_limit;
        parts.push(if left >= 0.0 {
            format!("{} of {} CPUs left", format_cpus(left), format_cpus(cpus))
        } else {
            format!(
                "CPU limits exceed the host's {} by {}",
                format_cpus(cpus),
                format_cpus(-left)
            )
        });
    }
    if parts.is_empty() {
        return None;
    }
    let lower = t.unbounded_memory > 0 || t.unbounded_cpu > 0;
    Some(format!(
        "Host: {}{}",
        parts.join(", "),
        if lower {
            " (at most: some entries have no limit)"
        } else {
            ""
        }
    ))
}

/// The section as a JSON value for the JSON report.
pub fn json(resources: &Resources) -> Value {
    let groups: Vec<Value> = resources
        .groups
        .iter()
        .map(|g| {
            json!({
                "format": g.format.id(),
                "name": g.name,
                "entries": g.entries.iter().map(entry_json).collect::<Vec<_>>(),
                "total": totals_json(&g.totals()),
            })
        })
        .collect();
    json!({ "groups": groups, "total": totals_json(&resources.totals()) })
}

/// The summary as [`json`] gives it, serialized group by group rather than built whole first
/// (keys in the same sorted order).
pub(crate) struct Json<'a>(pub(crate) &'a Resources);

impl serde::Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("groups", &GroupsJson(self.0))?;
        map.serialize_entry("total", &totals_json(&self.0.totals()))?;
        map.end()
    }
}

struct GroupsJson<'a>(&'a Resources);

impl serde::Serialize for GroupsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.groups.iter().map(GroupJson))
    }
}

struct GroupJson<'a>(&'a Group);

impl serde::Serialize for GroupJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let group = self.0;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("entries", &EntriesJson(group))?;
        map.serialize_entry("format", group.format.id())?;
        map.serialize_entry("name", &group.name)?;
        map.serialize_entry("total", &totals_json(&group.totals()))?;
        map.end()
    }
}

struct EntriesJson<'a>(&'a Group);

impl serde::Serialize for EntriesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.entries.iter().map(entry_json))
    }
}

fn entry_json(e: &Entry) -> Value {
    let (min, max, per_node) = match e.replicas {
        Replicas::Fixed(n) => (n, n, false),
        Replicas::Range(a, b) => (a, b, false),
        Replicas::PerNode => (1, 1, true),
    };
    json!({
        "name": e.name,
        "path": e.path,
        "replicas": { "min": min, "max": max, "per_node": per_node },
        "memory_limit_bytes": e.memory_limit,
        "memory_request_bytes": e.memory_request,
        "cpu_limit": e.cpu_limit,
        "cpu_request": e.cpu_request,
        "healthcheck": e.healthcheck,
    })
}

fn totals_json(t: &Totals) -> Value {
    json!({
        "entries": t.entries,
        "memory_limit_bytes": t.memory_limit,
        "memory_request_bytes": t.memory_request,
        "cpu_limit": t.cpu_limit,
        "cpu_request": t.cpu_request,
        "unbounded_memory": t.unbounded_memory,
        "unbounded_cpu": t.unbounded_cpu,
    })
}
