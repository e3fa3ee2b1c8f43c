//! The estimated-resources summary: what the compose services and Kubernetes
//! workloads of a run declare in memory and CPU, multiplied by their replicas, with what has no
//! limit counted as unbounded. Not a rule: it never changes the exit code.

use crate::format::Format;
use crate::formats::Parsed;
use crate::formats::compose::ComposeFile;
use crate::formats::k8s::{ContainerSet, Manifest, Workload, WorkloadKind};
use crate::formats::yaml::Node;

/// Every entry of the run, grouped as they are shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resources {
    pub groups: Vec<Group>,
}

/// The entries of one compose file or one Kubernetes namespace.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub format: Format,
    /// The compose file's path, or the namespace (`(unset)` for objects without one).
    pub name: String,
    pub entries: Vec<Entry>,
}

/// One compose service or one Kubernetes workload.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Service name, or `Kind/name`.
    pub name: String,
    /// The file it is declared in.
    pub path: String,
    pub replicas: Replicas,
    /// Per replica, in bytes.
    pub memory_limit: Option<u64>,
    pub memory_request: Option<u64>,
    /// Per replica, in CPUs.
    pub cpu_limit: Option<f64>,
    pub cpu_request: Option<f64>,
    /// Compose only: whether a healthcheck is defined.
    pub healthcheck: Option<bool>,
}

/// How many copies run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replicas {
    Fixed(u64),
    /// A HorizontalPodAutoscaler scales between these.
    Range(u64, u64),
    /// A DaemonSet: one per node.
    PerNode,
}

impl Replicas {
    /// The count totals are multiplied by: the fixed count, the autoscaler's minimum, or 1 per
    /// node.
    pub fn low(self) -> u64 {
        match self {
            Replicas::Fixed(n) | Replicas::Range(n, _) => n,
            Replicas::PerNode => 1,
        }
    }
}

/// Totals of a group or of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub entries: usize,
    pub memory_limit: u64,
    pub memory_request: u64,
    pub cpu_limit: f64,
    pub cpu_request: f64,
    /// Entries without a memory limit: the memory total is a lower bound.
    pub unbounded_memory: usize,
    /// Entries without a CPU limit.
    pub unbounded_cpu: usize,
}

impl Resources {
    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(|g| g.entries.is_empty())
    }

    pub fn totals(&self) -> Totals {
        totals(self.groups.iter().flat_map(|g| g.entries.iter()))
    }
}

impl Group {
    pub fn totals(&self) -> Totals {
        totals(self.entries.iter())
    }
}

fn totals<'a>(entries: impl Iterator<Item = &'a Entry>) -> Totals {
    let mut t = Totals::default();
    for e in entries {
        let n = e.replicas.low();
        t.entries += 1;
        match e.memory_limit {
            Some(m) => t.memory_limit = t.memory_limit.saturating_add(m.saturating_mul(n)),
            None => t.unbounded_memory += 1,
        }
        match e.cpu_limit {
            Some(c) => t.cpu_limit += c * n as f64,
            None => t.unbounded_cpu += 1,
        }
        t.memory_request = t
            .memory_request
            .saturating_add(e.memory_request.unwrap_or(0).saturating_mul(n));
        t.cpu_request += e.cpu_request.unwrap_or(0.0) * n as f64;
    }
    t
}

/// Gather the summary from the parsed files of a run (path and model).
pub fn collect<'a>(files: impl Iterator<Item = (&'a str, &'a Parsed)> + Clone) -> Resources {
    let autoscalers: Vec<Autoscaler> = files
        .clone()
        .flat_map(|(_, parsed)| autoscalers_of(parsed))
        .collect();
    assemble(files.map(|(path, parsed)| part(path, parsed, &autoscalers)))
}

/// What one file adds to the summary (`autoscalers`: those of the whole run, in file order),
/// as groups of its own that [`assemble`] merges.
pub(crate) fn part(path: &str, parsed: &Parsed, autoscalers: &[Autoscaler]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    match parsed {
        Parsed::Compose(ComposeFile::Yaml(compose)) => {
            let entries: Vec<Entry> = compose
                .services()
                .iter()
                .map(|s| compose_entry(path, s.name, s.node))
                .collect();
            if !entries.is_empty() {
                groups.push(Group {
                    format: Format::Compose,
                    name: path.to_string(),
                    entries,
                });
            }
        }
        Parsed::K8s(manifest) => k8s_entries(path, manifest, autoscalers, &mut groups),
        Parsed::Systemd(unit) => systemd_entry(path, unit, &mut groups),
        _ => {}
    }
    // A run keeps the parts of all its files until it assembles them: no spare capacity.
    groups.shrink_to_fit();
    for group in &mut groups {
        group.entries.shrink_to_fit();
    }
    groups
}

/// The summary from the parts of the run's files, in file order: a compose file is a group of
/// its own, Kubernetes namespaces and systemd directories gather entries from several files.
pub(crate) fn assemble(parts: impl Iterator<Item = Vec<Group>>) -> Resources {
    let mut groups: Vec<Group> = Vec::new();
    for group in parts.flatten() {
        let same = (group.format != Format::Compose)
            .then(|| {
                groups
                    .iter_mut()
                    .find(|g| g.format == group.format && g.name == group.name)
            })
            .flatten();
        match same {
            Some(existing) => existing.entries.extend(group.entries),
            None => groups.push(group),
        }
    }
    for group in &mut groups {
        group
            .entries
            .sort_by(|a, b| (&a.path, &a.name).cmp(&(&b.path, &b.name)));
    }
    groups.sort_by(|a, b| (a.format, &a.name).cmp(&(b.format, &b.name)));
    Resources { groups }
}

fn compose_entry(path: &str, name: &str, service: &Node) -> Entry {
    let limits = service.path(&["deploy", "resources", "limits"]);
    let reservations = service.path(&["deploy", "resources", "reservations"]);
    let memory_limit = limits
        .and_then(|l| l.get("memory"))
        .or_else(|| service.get("mem_limit"))
        .and_then(compose_bytes);
    let memory_request = reservations
        .and_then(|r| r.get("memory"))
        .or_else(|| service.get("mem_reservation"))
        .and_then(compose_bytes);
    let cpu_limit = limits
        .and_then(|l| l.get("cpus"))
        .or_else(|| service.get("cpus"))
        .and_then(number);
    let cpu_request = reservations.and_then(|r| r.get("cpus")).and_then(number);
    let replicas = service
        .path(&["deploy", "replicas"])
        .or_else(|| service.get("scale"))
        .and_then(number)
        .map_or(1, |n| n.max(0.0) as u64);
    let healthcheck = service.get("healthcheck").is_some_and(|h| {
        h.get("disable").and_then(Node::as_bool) != Some(true)
            && h.get("test")
                .is_none_or(|t| t.items().next().and_then(Node::as_str) != Some("NONE"))
    });
    Entry {
        name: name.to_string(),
        path: path.to_string(),
        replicas: Replicas::Fixed(replicas),
        memory_limit,
        memory_request,
        cpu_limit,
        cpu_request,
        healthcheck: Some(healthcheck),
    }
}

/// A system service's `MemoryMax=` (else `MemoryHigh=`, else the legacy `MemoryLimit=`) and
/// `CPUQuota=`, grouped by the directory of the unit file. Drop-ins are not summed on their own.
fn systemd_entry(path: &str, unit: &crate::formats::systemd::Unit, groups: &mut Vec<Group>) {
    use crate::formats::systemd::UnitKind;
    if unit.kind != UnitKind::Service || path.ends_with(".conf") {
        return;
    }
    let setting = |key: &str| unit.get("Service", key).map(|e| e.value.as_str());
    let memory_limit = ["MemoryMax", "MemoryHigh", "MemoryLimit"]
        .iter()
        .find_map(|k| setting(k))
        .and_then(systemd_bytes);
    let cpu_limit = setting("CPUQuota").and_then(|q| {
        let percent: f64 = q.trim().strip_suffix('%')?.trim().parse().ok()?;
        Some(percent / 100.0)
    });
    let entry = Entry {
        name: unit.name.clone(),
        path: path.to_string(),
        replicas: Replicas::Fixed(1),
        memory_limit,
        memory_request: setting("MemoryLow")
            .or_else(|| setting("MemoryMin"))
            .and_then(systemd_bytes),
        cpu_limit,
        cpu_request: None,
        healthcheck: None,
    };
    let dir = path.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
    match groups
        .iter_mut()
        .find(|g| g.format == Format::Systemd && g.name == dir)
    {
        Some(group) => group.entries.push(entry),
        None => groups.push(Group {
            format: Format::Systemd,
            name: dir,
            entries: vec![entry],
        }),
    }
}

/// systemd's sizes: bytes, or with `K`, `M`, `G`, `T` (binary units); `infinity` and
/// percentages of the host's memory are not a known amount.
fn systemd_bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = split_unit(text);
    let value: f64 = digits.parse().ok()?;
    let scale = match unit {
        "" => 1.0,
        "K" | "k" => 1024.0,
        "M" | "m" => 1024.0_f64.powi(2),
        "G" | "g" => 1024.0_f64.powi(3),
        "T" | "t" => 1024.0_f64.powi(4),
        _ => return None,
    };
    Some((value * scale) as u64)
}

/// A HorizontalPodAutoscaler of the run: (namespace, target kind, target name, min, max).
pub(crate) type Autoscaler = (Option<String>, String, String, u64, u64);

/// The HorizontalPodAutoscalers of one file.
pub(crate) fn autoscalers_of(parsed: &Parsed) -> Vec<Autoscaler> {
    let mut out = Vec::new();
    if let Parsed::K8s(manifest) = parsed {
        for object in manifest
            .objects
            .iter()
            .filter(|o| o.kind() == "HorizontalPodAutoscaler")
        {
            let Some(spec) = object.root.get("spec") else {
                continue;
            };
            let target = spec.get("scaleTargetRef");
            let kind = target.and_then(|t| t.get("kind")).and_then(Node::as_str);
            let name = target.and_then(|t| t.get("name")).and_then(Node::as_str);
            let max = spec.get("maxReplicas").and_then(number);
            if let (Some(kind), Some(name), Some(max)) = (kind, name, max) {
                let min = spec.get("minReplicas").and_then(number).unwrap_or(1.0);
                out.push((
                    object.namespace().map(str::to_string),
                    kind.to_string(),
                    name.to_string(),
                    min.max(0.0) as u64,
                    max.max(0.0) as u64,
                ));
            }
        }
    }
    out
}

fn k8s_entries(
    path: &str,
    manifest: &Manifest,
    autoscalers: &[Autoscaler],
    groups: &mut Vec<Group>,
) {
    for object in &manifest.objects {
        let Some(workload) = object.workload() else {
            continue;
        };
        let namespace = object.namespace().map(str::to_string);
        let (memory_limit, memory_request, cpu_limit, cpu_request) = pod_resources(&workload);
        let scaled = autoscalers.iter().find(|(ns, kind, name, _, _)| {
            *ns == namespace && kind == object.kind() && Some(name.as_str()) == object.name()
        });
        let replicas = match (workload.kind, scaled) {
            (WorkloadKind::DaemonSet, _) => Replicas::PerNode,
            (_, Some((_, _, _, min, max))) => Replicas::Range(*min, *max),
            (WorkloadKind::Pod, _) => Replicas::Fixed(1),
            (WorkloadKind::Job, _) => {
                Replicas::Fixed(count(object.root.path(&["spec", "parallelism"])))
            }
            (WorkloadKind::CronJob, _) => Replicas::Fixed(count(object.root.path(&[
                "spec",
                "jobTemplate",
                "spec",
                "parallelism",
            ]))),
            _ => Replicas::Fixed(count(object.root.path(&["spec", "replicas"]))),
        };
        let entry = Entry {
            name: object.label(),
            path: path.to_string(),
            replicas,
            memory_limit,
            memory_request,
            cpu_limit,
            cpu_request,
            healthcheck: None,
        };
        let name = namespace.unwrap_or_else(|| "(unset)".to_string());
        match groups
            .iter_mut()
            .find(|g| g.format == Format::K8s && g.name == name)
        {
            Some(group) => group.entries.push(entry),
            None => groups.push(Group {
                format: Format::K8s,
                name,
                entries: vec![entry],
            }),
        }
    }
}

/// A replica count: the value, or 1 when not written.
fn count(node: Option<&Node>) -> u64 {
    node.and_then(number).map_or(1, |n| n.max(0.0) as u64)
}

/// The pod's memory limit, memory request, CPU limit and CPU request. A sum is known only when
/// every container that counts sets the value; init containers run one at a time before the
/// others, so the pod needs the larger of the biggest init container and the sum of the rest
/// (as the scheduler computes it).
fn pod_resources(workload: &Workload) -> (Option<u64>, Option<u64>, Option<f64>, Option<f64>) {
    let containers = workload.containers();
    let running: Vec<_> = containers
        .iter()
        .filter(|c| matches!(c.set, ContainerSet::Containers | ContainerSet::Sidecar))
        .collect();
    let init: Vec<_> = containers
        .iter()
        .filter(|c| c.set == ContainerSet::Init)
        .collect();
    let memory = |kind: &str| -> Option<u64> {
        let sum = running
            .iter()
            .map(|c| {
                c.node
                    .path(&["resources", kind, "memory"])
                    .and_then(k8s_bytes)
            })
            .sum::<Option<u64>>()?;
        let peak = init
            .iter()
            .filter_map(|c| {
                c.node
                    .path(&["resources", kind, "memory"])
                    .and_then(k8s_bytes)
            })
            .max()
            .unwrap_or(0);
        (!running.is_empty()).then_some(sum.max(peak))
    };
    let cpu = |kind: &str| -> Option<f64> {
        let sum = running
            .iter()
            .map(|c| c.node.path(&["resources", kind, "cpu"]).and_then(k8s_cpus))
            .sum::<Option<f64>>()?;
        let peak = init
            .iter()
            .filter_map(|c| c.node.path(&["resources", kind, "cpu"]).and_then(k8s_cpus))
            .fold(0.0, f64::max);
        (!running.is_empty()).then_some(sum.max(peak))
    };
    (
        memory("limits"),
        memory("requests"),
        cpu("limits"),
        cpu("requests"),
    )
}

/// A number written as a YAML number or a string.
fn number(node: &Node) -> Option<f64> {
    node.as_str()?.trim().parse().ok()
}

/// Docker's memory sizes: a number of bytes, or with `b`, `k`, `m`, `g` (binary units, any case,
/// optional trailing `b`: `512m`, `1GB`).
pub fn compose_bytes(node: &Node) -> Option<u64> {
    let text = node.as_str()?.trim().to_ascii_lowercase();
    let text = text
        .strip_suffix('b')
        .filter(|t| !t.is_empty() && t.ends_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or(&text);
    let (digits, unit) = split_unit(text);
    let value: f64 = digits.parse().ok()?;
    let scale: f64 = match unit {
        "" | "b" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((value * scale) as u64)
}

/// Kubernetes quantities for memory: plain bytes, decimal (`k`, `M`, `G`, `T`, `P`, `E`) or
/// binary (`Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`) suffixes, or an exponent (`129e6`).
pub fn k8s_bytes(node: &Node) -> Option<u64> {
    let text = node.as_str()?.trim();
    let (digits, unit) = split_unit(text);
    let value: f64 = digits.parse().ok()?;
    let scale: f64 = match unit {
        "" => 1.0,
        "m" => 0.001,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0_f64.powi(2),
        "Gi" => 1024.0_f64.powi(3),
        "Ti" => 1024.0_f64.powi(4),
        "Pi" => 1024.0_f64.powi(5),
        "Ei" => 1024.0_f64.powi(6),
        _ => return None,
    };
    Some((value * scale) as u64)
}

/// Kubernetes CPU quantities: cores (`0.5`, `2`) or millicores (`500m`).
pub fn k8s_cpus(node: &Node) -> Option<f64> {
    let text = node.as_str()?.trim();
    match text.strip_suffix('m') {
        Some(milli) => milli.parse::<f64>().ok().map(|m| m / 1000.0),
        None => text.parse().ok(),
    }
}

/// `512Mi` → (`512`, `Mi`); `129e6` stays a number.
fn split_unit(text: &str) -> (&str, &str) {
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || ((c == 'e' || c == 'E')
                    && text
                        .get(i + 1..)
                        .is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()))))
        })
        .map_or(text.len(), |(i, _)| i);
    (text.get(..end).unwrap_or(""), text.get(end..).unwrap_or(""))
}

/// A memory size written by a person (`[options] host-memory`): `8GiB`, `8Gi`, `8G`, `512MB`,
/// `512m`; every unit is binary, as memory is sold.
pub fn parse_size(text: &str) -> Option<u64> {
    let lower = text.trim().to_ascii_lowercase();
    let trimmed = lower.trim_end_matches('b').trim_end_matches('i');
    let (digits, unit) = split_unit(trimmed);
    let value: f64 = digits.trim().parse().ok()?;
    let scale = match unit.trim() {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0_f64.powi(2),
        "g" => 1024.0_f64.powi(3),
        "t" => 1024.0_f64.powi(4),
        _ => return None,
    };
    Some((value * scale) as u64)
}

/// Bytes for people: `512 MiB`, `1.5 GiB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let unit_name = UNITS.get(unit).copied().unwrap_or("B");
    if value.fract() == 0.0 {
        format!("{value:.0} {unit_name}")
    } else {
        format!("{value:.1} {unit_name}")
    }
}

/// CPUs for people: `0.5`, `2`.
pub fn format_cpus(cpus: f64) -> String {
    let text = format!("{cpus:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use crate::formats::{compose, k8s};

    fn scalar(text: &str) -> Node {
        crate::formats::yaml::parse(&format!("v: {text}\n")).documents[0]
            .root
            .as_ref()
            .unwrap()
            .get("v")
            .unwrap()
            .clone()
    }

    #[test]
    fn quantities() {
        assert_eq!(k8s_bytes(&scalar("512Mi")), Some(512 * 1024 * 1024));
        assert_eq!(k8s_bytes(&scalar("1G")), Some(1_000_000_000));
        assert_eq!(k8s_bytes(&scalar("129e6")), Some(129_000_000));
        assert_eq!(k8s_bytes(&scalar("64")), Some(64));
        assert_eq!(k8s_bytes(&scalar("lots")), None);
        assert_eq!(k8s_cpus(&scalar("500m")), Some(0.5));
        assert_eq!(k8s_cpus(&scalar("\"2\"")), Some(2.0));
        assert_eq!(compose_bytes(&scalar("512m")), Some(512 * 1024 * 1024));
        assert_eq!(compose_bytes(&scalar("1GB")), Some(1024 * 1024 * 1024));
        assert_eq!(compose_bytes(&scalar("2048")), Some(2048));
        assert_eq!(parse_size("8GiB"), Some(8 << 30));
        assert_eq!(parse_size("8G"), Some(8 << 30));
        assert_eq!(parse_size("512 MB"), Some(512 << 20));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(format_bytes(512 * 1024 * 1024), "512 MiB");
        assert_eq!(format_bytes(1536 * 1024 * 1024), "1.5 GiB");
        assert_eq!(format_cpus(0.5), "0.5");
        assert_eq!(format_cpus(2.0), "2");
    }

    #[test]
    fn systemd_services() {
        use crate::formats::systemd::Unit;
        let text = "[Service]\nExecStart=/usr/bin/app\nMemoryMax=512M\nCPUQuota=150%\n";
        let parsed = Parsed::Systemd(Unit::single("deploy/app.service", "app.service", text));
        let timer = Parsed::Systemd(Unit::single(
            "deploy/app.timer",
            "app.timer",
            "[Timer]\nOnCalendar=daily\n",
        ));
        let r = collect(
            [
                ("deploy/app.service", &parsed),
                ("deploy/app.timer", &timer),
            ]
            .into_iter(),
        );
        assert_eq!(r.groups.len(), 1);
        let e = &r.groups[0].entries[0];
        assert_eq!(e.memory_limit, Some(512 << 20));
        assert_eq!(e.cpu_limit, Some(1.5));
        assert_eq!(r.groups[0].name, "deploy");
    }

    #[test]
    fn compose_services_and_totals() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      replicas: 3\n      resources:\n        limits: {memory: 256m, cpus: '0.5'}\n    healthcheck:\n      test: [CMD, curl, -f, http://localhost/]\n  db:\n    image: postgres:16\n    mem_limit: 1g\n  worker:\n    image: app:1\n";
        let parsed = Parsed::Compose(compose::parse("compose.yaml", text));
        let r = collect([("compose.yaml", &parsed)].into_iter());
        let group = &r.groups[0];
        assert_eq!(group.entries.len(), 3);
        let web = group.entries.iter().find(|e| e.name == "web").unwrap();
        assert_eq!(web.replicas, Replicas::Fixed(3));
        assert_eq!(web.healthcheck, Some(true));
        let t = r.totals();
        assert_eq!(t.memory_limit, 3 * 256 * 1024 * 1024 + 1024 * 1024 * 1024);
        assert_eq!(t.unbounded_memory, 1);
        assert_eq!(t.cpu_limit, 1.5);
        assert_eq!(t.unbounded_cpu, 2);
    }

    #[test]
    fn kubernetes_pods_replicas_and_autoscalers() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  replicas: 2\n  template:\n    spec:\n      initContainers:\n      - name: migrate\n        resources: {limits: {memory: 1Gi}}\n      containers:\n      - name: api\n        resources: {limits: {memory: 256Mi, cpu: 500m}, requests: {memory: 128Mi, cpu: 100m}}\n      - name: proxy\n        resources: {limits: {memory: 128Mi, cpu: 100m}, requests: {memory: 64Mi, cpu: 50m}}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 3\n  maxReplicas: 10\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    spec:\n      containers:\n      - name: agent\n";
        let parsed = Parsed::K8s(k8s::parse(text));
        let r = collect([("k8s.yaml", &parsed)].into_iter());
        assert_eq!(r.groups.len(), 2);
        let unset = &r.groups[0];
        assert_eq!(unset.name, "(unset)");
        assert_eq!(unset.entries[0].replicas, Replicas::PerNode);
        assert_eq!(unset.entries[0].memory_limit, None);
        let shop = &r.groups[1];
        let api = &shop.entries[0];
        assert_eq!(api.name, "Deployment/api");
        assert_eq!(api.replicas, Replicas::Range(3, 10));
        // The init container's 1Gi is above the 384Mi the app containers need together.
        assert_eq!(api.memory_limit, Some(1024 * 1024 * 1024));
        assert_eq!(api.memory_request, Some(192 * 1024 * 1024));
        assert_eq!(api.cpu_limit, Some(0.6));
        assert_eq!(shop.totals().memory_limit, 3 * 1024 * 1024 * 1024);
    }
}
