//! Settings that make `docker compose up` fail for the second container: a host port published
//! twice, a `container_name` used twice or on a replicated service.
use crate::formats::compose::{Env, Port, Project, ServiceView, ports};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "compose/port-conflict",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/compose/port-conflict.md"),
    check: Check::Compose(check),
};

/// One published host port or range of the merged project.
struct Published<'a> {
    service: usize,
    name: &'a str,
    host_ip: Option<String>,
    /// Host ports, inclusive.
    range: (u16, u16),
    protocol: String,
    /// Where the entry is written in the linted file (`None`: only in the override file).
    here: Option<Span>,
}

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    let published = published_ports(&project);
    check_ports(&project, &published, cx);
    check_replicas(&project, &published, cx);
    check_container_names(&project, cx);
}

fn published_ports<'a>(project: &'a Project) -> Vec<Published<'a>> {
    let env = &project.env;
    let mut out = Vec::new();
    for (index, service) in project.services.iter().enumerate() {
        // Docker ignores `ports` of a service on the host's network; fragments (a partial
        // override file linted on its own) lack the profiles and ports of their main file.
        if !service.complete || text(service.get("network_mode"), env).as_deref() == Some("host") {
            continue;
        }
        let own = ports(&service.own, env);
        let merged = ports(&service.merged, env);
        for (i, port) in merged.iter().enumerate() {
            let Some(range) = port.published.as_deref().and_then(host_range) else {
                continue;
            };
            // Compose merges entries that are the same once interpolated (an override file
            // repeating `${PORT:-8080}:80` for the main file's `8080:80`).
            if merged
                .iter()
                .take(i)
                .any(|earlier| same_entry(earlier, port))
            {
                continue;
            }
            let here = own.iter().find(|o| same_entry(o, port)).map(Port::span);
            out.push(Published {
                service: index,
                name: service.name(),
                host_ip: port.host_ip.clone().filter(|ip| !ip.contains('$')),
                range,
                protocol: port.protocol.clone(),
                here,
            });
        }
    }
    out
}

fn check_ports(project: &Project, published: &[Published], cx: &mut Ctx) {
    for (j, later) in published.iter().enumerate() {
        let Some(earlier) = published.iter().take(j).find(|earlier| {
            earlier.protocol == later.protocol
                && earlier.range.0 <= later.range.1
                && later.range.0 <= earlier.range.1
                && addresses_clash(earlier.host_ip.as_deref(), later.host_ip.as_deref())
                && run_together(project, earlier.service, later.service)
                && !replaced_by_override(earlier, later)
        }) else {
            continue;
        };
        // Point at the later entry, or at the earlier one when the later is in the override
        // file, or at the later service when both are.
        let (at, owner, other) = match (later.here, earlier.here) {
            (Some(at), _) => (at, later, earlier),
            (None, Some(at)) => (at, earlier, later),
            (None, None) => match project.services.get(later.service) {
                Some(service) => (service.key().span, later, earlier),
                None => continue,
            },
        };
        let port = shared_port(owner, other);
        let by = if other.service == owner.service {
            "another entry of the same service".to_string()
        } else {
            format!("service `{}`", other.name)
        };
        let owner = owner.name;
        cx.report(
            at,
            format!("service `{owner}` publishes host port `{port}`, which {by} also publishes"),
        )
        .help("publish one of them on another host port or bind them to different addresses");
    }
}

/// A service run in several containers cannot publish the same fixed host port in each.
fn check_replicas(project: &Project, published: &[Published], cx: &mut Ctx) {
    for entry in published {
        let Some(service) = project.services.get(entry.service) else {
            continue;
        };
        let Some(at) = entry.here else {
            continue;
        };
        let replicas = replicas(service, project.env);
        let size = u32::from(entry.range.1) - u32::from(entry.range.0) + 1;
        if replicas > 1 && u64::from(size) < replicas {
            cx.report(
                at,
                format!(
                    "service `{}` runs `{replicas}` containers but publishes {} host port{} `{}`",
                    entry.name,
                    if size == 1 { "the fixed" } else { "only" },
                    if size == 1 { "" } else { "s" },
                    show_range(entry.range, &entry.protocol)
                ),
            )
            .help(
                "publish a host port range with one port per replica, or leave the host port out",
            );
        }
    }
}

fn check_container_names(project: &Project, cx: &mut Ctx) {
    let env = &project.env;
    let names: Vec<Option<String>> = project
        .services
        .iter()
        .map(|s| text(s.get("container_name"), env).filter(|n| !n.contains('$')))
        .collect();
    for (j, service) in project.services.iter().enumerate() {
        if !service.complete {
            continue;
        }
        let Some(name) = names.get(j).cloned().flatten() else {
            continue;
        };
        let at = service
            .written("container_name")
            .map_or(service.key().span, |n| n.span);
        let replicas = replicas(service, env);
        if replicas > 1 {
            cx.report(
                at,
                format!(
                    "service `{}` runs `{replicas}` containers under the one `container_name` `{name}`",
                    service.name()
                ),
            )
            .help("remove `container_name` and let Compose name the replicas");
            continue;
        }
        let clash = project.services.iter().enumerate().take(j).find(|(i, _)| {
            names.get(*i).cloned().flatten().as_deref() == Some(name.as_str())
                && run_together(project, *i, j)
        });
        if let Some((_, other)) = clash {
            cx.report(
                at,
                format!(
                    "service `{}` uses `container_name` `{name}`, which service `{}` uses too",
                    service.name(),
                    other.name()
                ),
            )
            .help("give each service its own `container_name`, or remove it and let Compose name the containers");
        }
    }
}

/// Whether two bindings of one port collide: no address means every address; `0.0.0.0` means
/// every IPv4 address and `::` every IPv6 address.
fn addresses_clash(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    let v6 = |ip: &str| ip.contains(':');
    a == b
        || (a == "0.0.0.0" && !v6(b))
        || (b == "0.0.0.0" && !v6(a))
        || (a == "::" && v6(b))
        || (b == "::" && v6(a))
}

/// An entry of the main file and one of the override file for the same service: override
/// files commonly replace the list with `!override`, a tag the YAML layer does not keep, so
/// such a pair is not taken as publishing both.
fn replaced_by_override(a: &Published, b: &Published) -> bool {
    a.service == b.service && a.here.is_some() != b.here.is_some()
}

/// Whether two services start together: services without `profiles` always start; two with
/// profiles only when they share one.
fn run_together(project: &Project, a: usize, b: usize) -> bool {
    let profiles = |i: usize| -> Vec<&str> {
        project
            .services
            .get(i)
            .and_then(|s| s.get("profiles"))
            .map(|p| p.items().filter_map(Node::as_str).collect())
            .unwrap_or_default()
    };
    let (pa, pb) = (profiles(a), profiles(b));
    pa.is_empty() || pb.is_empty() || pa.iter().any(|p| pb.contains(p))
}

/// `scale`, or `deploy.replicas` when set (Compose lets the latter win); 1 when unknown.
fn replicas(service: &ServiceView, env: &Env) -> u64 {
    let read = |n: Option<&Node>| text(n, env).and_then(|t| t.trim().parse::<u64>().ok());
    read(service.merged.path(&["deploy", "replicas"]))
        .or_else(|| read(service.get("scale")))
        .unwrap_or(1)
}

/// A scalar's text after interpolation.
fn text(node: Option<&Node>, env: &Env) -> Option<String> {
    Some(env.interpolate(node?.as_str()?).trim().to_string())
}

/// `8080` or `8000-8010` as a host port range.
fn host_range(text: &str) -> Option<(u16, u16)> {
    let text = text.trim();
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (a, b): (u16, u16) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b && a > 0).then_some((a, b))
}

/// The same entry once interpolated: to find a merged entry among those written in the linted
/// file, and to merge repeated entries as Compose does.
fn same_entry(a: &Port, b: &Port) -> bool {
    a.host_ip == b.host_ip
        && a.published == b.published
        && a.target == b.target
        && a.protocol == b.protocol
}

/// The first host port both entries publish, with the owner's address and the protocol.
fn shared_port(owner: &Published, other: &Published) -> String {
    let first = owner.range.0.max(other.range.0);
    let address = match owner.host_ip.as_deref() {
        Some(ip) if ip.contains(':') => format!("[{ip}]:"),
        Some(ip) if !ip.is_empty() => format!("{ip}:"),
        _ => String::new(),
    };
    format!("{address}{first}/{}", owner.protocol)
}

fn show_range(range: (u16, u16), protocol: &str) -> String {
    if range.0 == range.1 {
        format!("{}/{protocol}", range.0)
    } else {
        format!("{}-{}/{protocol}", range.0, range.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_clashes() {
        assert!(addresses_clash(None, Some("127.0.0.1")));
        assert!(addresses_clash(Some("0.0.0.0"), Some("127.0.0.1")));
        assert!(addresses_clash(Some("::"), Some("::1")));
        assert!(!addresses_clash(Some("0.0.0.0"), Some("::1")));
        assert!(!addresses_clash(Some("127.0.0.1"), Some("127.0.0.2")));
        assert!(addresses_clash(Some("10.0.0.5"), Some("10.0.0.5")));
    }

    #[test]
    fn host_ranges() {
        assert_eq!(host_range("8080"), Some((8080, 8080)));
        assert_eq!(host_range("8000-8010"), Some((8000, 8010)));
        assert_eq!(host_range("${PORT}"), None);
        assert_eq!(host_range("0"), None);
    }
}
