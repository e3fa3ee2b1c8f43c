//! Firewall rules that let the whole internet reach SSH, RDP, datastores or every port.
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/open-ingress",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/terraform/open-ingress.md"),
    check: Check::Terraform(check),
};

/// Ports that must not be reachable from anywhere, with what listens there: datastores, admin
/// and remote-access services.
const PORTS: [(i64, &str); 21] = [
    (22, "SSH"),
    (3389, "RDP"),
    (2375, "Docker API"),
    (2376, "Docker API"),
    (2379, "etcd"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (6379, "Redis"),
    (27017, "MongoDB"),
    (9200, "Elasticsearch"),
    (11211, "memcached"),
    (5984, "CouchDB"),
    (8086, "InfluxDB"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (9042, "Cassandra"),
    (5672, "RabbitMQ"),
    (15672, "RabbitMQ management"),
    (8123, "ClickHouse"),
    (7474, "Neo4j"),
    (7687, "Neo4j"),
];

const HELP: &str = "allow only known source ranges, or reach the port through a VPN, a bastion or an identity-aware proxy";

fn check(module: &Module, cx: &mut Ctx) {
    for block in module.resources() {
        // Every open rule of the resource, reported as one finding.
        let mut found: Vec<Open> = Vec::new();
        let out = &mut found;
        match block.label(0).unwrap_or("") {
            "aws_security_group" => {
                for ingress in block.body.blocks("ingress") {
                    aws_rule(module, &ingress.body, "cidr_blocks", out);
                    aws_rule(module, &ingress.body, "ipv6_cidr_blocks", out);
                }
            }
            "aws_security_group_rule"
                if module.resolve_str(block.body.get("type")) == Some("ingress") =>
            {
                aws_rule(module, &block.body, "cidr_blocks", out);
                aws_rule(module, &block.body, "ipv6_cidr_blocks", out);
            }
            "aws_vpc_security_group_ingress_rule" => {
                aws_rule(module, &block.body, "cidr_ipv4", out);
                aws_rule(module, &block.body, "cidr_ipv6", out);
            }
            "google_compute_firewall" => google_firewall(module, block, out),
            "azurerm_network_security_rule" => azure_rule(module, &block.body, out),
            "azurerm_network_security_group" => {
                for rule in block.body.blocks("security_rule") {
                    azure_rule(module, &rule.body, out);
                }
            }
            _ => {}
        }
        report(cx, block, &found);
    }
}

/// An open source range and what it reaches.
struct Open {
    span: Span,
    source: String,
    what: String,
}

fn open_sources<'a>(module: &'a Module, value: &'a Expr) -> Vec<(&'a Expr, String)> {
    let mut out = Vec::new();
    let resolved = module.resolve(value);
    let items: Vec<&Expr> = match resolved.as_list() {
        Some(items) => items.iter().collect(),
        None => vec![resolved],
    };
    for item in items {
        let Some(text) = module.resolve(item).as_str() else {
            continue;
        };
        let text = text.trim();
        let open = matches!(text, "0.0.0.0/0" | "::/0")
            || ["*", "internet", "any"]
                .iter()
                .any(|w| text.eq_ignore_ascii_case(w));
        if open {
            // Point at the written expression: the list element, or the attribute value when
            // it came from a variable.
            let at = if std::ptr::eq(resolved, value) && !std::ptr::eq(item, value) {
                item
            } else {
                value
            };
            out.push((at, text.to_string()));
        }
    }
    out
}

/// What an open rule exposes, when it matters.
fn exposed(from: i64, to: i64) -> Option<String> {
    // `-1` to `-1` is read as every port, as the EC2 API does for "all".
    if from <= 0 && (to >= 65535 || to == -1) {
        return Some("all ports".to_string());
    }
    let (port, name) = PORTS.iter().find(|(p, _)| from <= *p && *p <= to)?;
    if from == to {
        Some(format!("port {port} ({name})"))
    } else {
        Some(format!("ports {from}-{to}, including {port} ({name})"))
    }
}

/// One finding for the open rules of a resource, at the first one.
fn report(cx: &mut Ctx, block: &Block, found: &[Open]) {
    let Some(first) = found.first() else {
        return;
    };
    let mut sources: Vec<String> = Vec::new();
    let mut reached: Vec<&str> = Vec::new();
    for open in found {
        let source = format!("`{}`", open.source);
        if !sources.contains(&source) {
            sources.push(source);
        }
        if !reached.contains(&open.what.as_str()) {
            reached.push(&open.what);
        }
    }
    cx.report(
        first.span,
        format!(
            "`{}` allows {} to reach {}",
            block.address(),
            sources.join(", "),
            reached.join(", ")
        ),
    )
    .help(HELP);
}

fn aws_rule(module: &Module, body: &Body, key: &str, out: &mut Vec<Open>) {
    let Some(value) = body.get(key) else {
        return;
    };
    let sources = open_sources(module, value);
    if sources.is_empty() {
        return;
    }
    let protocol_key = if body.attr("ip_protocol").is_some() {
        "ip_protocol"
    } else {
        "protocol"
    };
    let protocol = body.get(protocol_key).map(|p| module.resolve(p));
    let protocol = match protocol {
        Some(p) => match (&p.kind, p.as_str()) {
            (ExprKind::Number(n), _) => n.clone(),
            (_, Some(s)) => s.to_ascii_lowercase(),
            _ => return,
        },
        None => "tcp".to_string(),
    };
    let what = if protocol == "-1" || protocol == "all" {
        Some("all ports".to_string())
    } else if matches!(protocol.as_str(), "tcp" | "udp" | "6" | "17") {
        let port = |k: &str| body.get(k).and_then(|e| module.resolve(e).as_int());
        match (port("from_port"), port("to_port")) {
            (Some(from), Some(to)) => exposed(from, to),
            _ => None,
        }
    } else {
        None
    };
    if let Some(what) = what {
        for (at, source) in sources {
            out.push(Open {
                span: at.span,
                source,
                what: what.clone(),
            });
        }
    }
}

fn google_firewall(module: &Module, block: &Block, out: &mut Vec<Open>) {
    let body = &block.body;
    let direction = module
        .resolve_str(body.get("direction"))
        .unwrap_or("INGRESS");
    if !direction.eq_ignore_ascii_case("INGRESS") || body.bool("disabled") == Some(true) {
        return;
    }
    let Some(ranges) = body.get("source_ranges") else {
        return;
    };
    let sources = open_sources(module, ranges);
    if sources.is_empty() {
        return;
    }
    let mut what = None;
    for allow in body.blocks("allow") {
        let protocol = module
            .resolve_str(allow.body.get("protocol"))
            .unwrap_or("")
            .to_ascii_lowercase();
        if !matches!(protocol.as_str(), "tcp" | "udp" | "all" | "6" | "17") {
            continue;
        }
        let ports = allow.body.get("ports").map(|p| module.resolve(p));
        let Some(ports) = ports else {
            what = Some("all ports".to_string());
            break;
        };
        let Some(items) = ports.as_list() else {
            continue;
        };
        if items.is_empty() {
            what = Some("all ports".to_string());
            break;
        }
        if let Some(found) = items
            .iter()
            .filter_map(|p| port_range(module.resolve(p)))
            .find_map(|(from, to)| exposed(from, to))
        {
            what = Some(found);
            break;
        }
    }
    if let Some(what) = what {
        for (at, source) in sources {
            out.push(Open {
                span: at.span,
                source,
                what: what.clone(),
            });
        }
    }
}

/// `"22"`, `"1000-2000"`, `22` or `"*"` as an inclusive range.
fn port_range(expr: &Expr) -> Option<(i64, i64)> {
    if let Some(n) = expr.as_int() {
        return Some((n, n));
    }
    let text = expr.as_str()?.trim();
    if text == "*" {
        return Some((0, 65535));
    }
    match text.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => text.parse().ok().map(|n| (n, n)),
    }
}

fn azure_rule(module: &Module, body: &Body, out: &mut Vec<Open>) {
    let is = |key: &str, want: &str| {
        module
            .resolve_str(body.get(key))
            .is_some_and(|v| v.eq_ignore_ascii_case(want))
    };
    if !is("direction", "Inbound") || !is("access", "Allow") {
        return;
    }
    let mut sources = Vec::new();
    for key in ["source_address_prefix", "source_address_prefixes"] {
        if let Some(value) = body.get(key) {
            sources.extend(open_sources(module, value));
        }
    }
    if sources.is_empty() {
        return;
    }
    let mut ranges = Vec::new();
    if let Some(range) = body.get("destination_port_range") {
        ranges.extend(port_range(module.resolve(range)));
    }
    if let Some(list) = body
        .get("destination_port_ranges")
        .and_then(|l| module.resolve(l).as_list())
    {
        ranges.extend(list.iter().filter_map(|p| port_range(module.resolve(p))));
    }
    let Some(what) = ranges.into_iter().find_map(|(from, to)| exposed(from, to)) else {
        return;
    };
    for (at, source) in sources {
        out.push(Open {
            span: at.span,
            source,
            what: what.clone(),
        });
    }
}
