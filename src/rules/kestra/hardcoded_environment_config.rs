//! Environment-specific settings (servers, connection URLs, buckets, regions) written literally
//! in a flow's tasks and triggers instead of coming from `kv`, `envs`, `vars` or plugin defaults.
use crate::formats::kestra::pebble;
use crate::formats::yaml::Value as Yaml;
use crate::rules::prelude::*;
use crate::rules::shared::address::{
    host_of, is_ipv4, is_label, is_loopback, jdbc_hosts, scheme_of, without_port,
};
use crate::rules::shared::secrets::{is_sensitive_key, key_tokens};

pub(crate) static RULE: Rule = Rule {
    id: "kestra/hardcoded-environment-config",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/kestra/hardcoded-environment-config.md"),
    check: Check::Kestra(check),
};

const HELP: &str = "read these settings with `{{ kv('…') }}`, `{{ envs.… }}` or `{{ vars.… }}`, or set them once in `pluginDefaults`, so that each environment supplies its own";

/// Properties that hold parameters, code or prose rather than connection settings: inputs are
/// the flow's parameters, scripts and SQL are checked by other rules.
const SKIPPED_KEYS: &[&str] = &[
    "id",
    "type",
    "description",
    "labels",
    "inputs",
    "conditions",
    "dependsOn",
    "script",
    "commands",
    "beforeCommands",
    "inputFiles",
    "outputFiles",
    "namespaceFiles",
    "sql",
    "message",
    "format",
];

/// URL schemes of servers a flow connects to (databases, brokers, file servers).
const SERVER_SCHEMES: &[&str] = &[
    "sftp",
    "ftp",
    "ftps",
    "ssh",
    "scp",
    "smb",
    "kafka",
    "plaintext",
    "ssl",
    "sasl_ssl",
    "sasl_plaintext",
    "tcp",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "mqtt",
    "mqtts",
    "nats",
    "pulsar",
    "pulsar+ssl",
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "clickhouse",
    "bolt",
    "neo4j",
    "neo4j+s",
    "couchbase",
    "couchbases",
    "ldap",
    "ldaps",
    "hdfs",
    "webhdfs",
];

/// URL schemes of object storage: the host is a bucket or container.
const BUCKET_SCHEMES: &[&str] = &["s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs"];

/// Domains that only resolve inside a private network.
const INTERNAL_DOMAINS: &[&str] = &[
    "internal",
    "local",
    "localdomain",
    "lan",
    "corp",
    "intra",
    "intranet",
    "home.arpa",
    "svc",
];

/// Domains of managed instances (databases, load balancers, workspaces) that one account runs.
const INSTANCE_DOMAINS: &[&str] = &[
    "rds.amazonaws.com",
    "redshift.amazonaws.com",
    "elb.amazonaws.com",
    "database.windows.net",
    "database.azure.com",
    "snowflakecomputing.com",
    "cloud.databricks.com",
    "azuredatabricks.net",
];

/// Public object-storage hosts: URLs on them are downloads of published files (public
/// datasets in tutorials), whatever the bucket is called.
const PUBLIC_STORAGE_DOMAINS: &[&str] = &["storage.googleapis.com", "blob.core.windows.net"];

/// Public services whose names contain an environment word.
const PUBLIC_HOSTS: &[&str] = &["dev.azure.com", "dev.mysql.com"];

/// Words of a host name that say which environment it serves (`api.staging.acme.com`,
/// `db-prod.acme.com`); trailing digits are ignored (`dev2`).
const ENVIRONMENT_WORDS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "test",
    "testing",
    "qa",
    "uat",
    "stg",
    "stage",
    "staging",
    "preprod",
    "prd",
    "prod",
    "production",
    "sandbox",
];

/// What a property's name says about its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    /// A server: `host`, `hostname`, `endpoint`, `endpointOverride`, `servers` (Kafka's
    /// `bootstrap.servers`), `DB_HOST`.
    Server,
    /// A bucket or a region: every literal is environment-specific.
    Place,
    /// A URL property (`url`, `uri`, `jdbcUrl`): read for URLs and IPv4 addresses.
    Url,
    /// Anything else: read for URLs and IPv4 addresses.
    Other,
    /// A version number, which may look like an IPv4 address.
    Version,
}

fn key_kind(key: &str) -> KeyKind {
    let tokens: Vec<String> = key_tokens(key).map(str::to_ascii_lowercase).collect();
    let mut rev = tokens.iter().rev().map(String::as_str);
    let last = rev.next().unwrap_or("");
    let prev = rev.next().unwrap_or("");
    match (prev, last) {
        (
            _,
            "host" | "hostname" | "hosts" | "endpoint" | "endpoints" | "server" | "servers"
            | "brokers",
        )
        | ("host" | "endpoint", "name" | "override" | "url" | "uri") => KeyKind::Server,
        (_, "bucket" | "region") | ("bucket", "name") => KeyKind::Place,
        (_, "url" | "uri" | "urls" | "uris") => KeyKind::Url,
        (_, "version") => KeyKind::Version,
        _ => KeyKind::Other,
    }
}

/// A literal value found in a task or trigger.
struct Hit {
    owner: String,
    key: String,
    span: Span,
}

/// A setting read from an expression or set in `pluginDefaults`.
struct Externalized {
    owner: Option<String>,
    key: String,
    span: Span,
}

#[derive(Default)]
struct Scan {
    hits: Vec<Hit>,
    externalized: Option<Externalized>,
}

fn check(file: &FlowFile, cx: &mut Ctx) {
    for flow in &file.flows {
        let nested: Vec<Span> = flow.tasks.iter().map(|t| t.node.span).collect();
        let mut scan = Scan::default();
        for task in &flow.tasks {
            let owner = format!("task `{}`", task.id().unwrap_or("?"));
            walk(&task.node, None, &owner, &nested, &mut scan);
        }
        for trigger in &flow.triggers {
            let owner = format!("trigger `{}`", trigger.id().unwrap_or("?"));
            walk(&trigger.node, None, &owner, &nested, &mut scan);
        }
        if scan.hits.is_empty() {
            if scan.externalized.is_none() {
                scan.externalized = from_plugin_defaults(flow);
            }
            if let Some(e) = scan.externalized {
                let message = match e.owner {
                    Some(owner) => format!("{owner} reads `{}` from an expression", e.key),
                    None => format!("`{}` is set once in `pluginDefaults`", e.key),
                };
                cx.pass(e.span, message);
            }
            continue;
        }
        scan.hits.sort_by_key(|h| h.span.start);
        report(&scan.hits, cx);
    }
}

fn report(hits: &[Hit], cx: &mut Ctx) {
    let Some(first) = hits.first() else { return };
    let mut keys: Vec<&str> = vec![];
    let mut others: Vec<&str> = vec![];
    for hit in hits {
        if hit.owner == first.owner {
            if !keys.contains(&hit.key.as_str()) {
                keys.push(&hit.key);
            }
        } else if !others.contains(&hit.owner.as_str()) {
            others.push(&hit.owner);
        }
    }
    let mut message = format!(
        "{} hardcodes environment-specific {}",
        first.owner,
        join(&keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>())
    );
    if !others.is_empty() {
        let verb = if others.len() == 1 { "does" } else { "do" };
        // `task `a``, `task `b`` and `trigger `c`` read as `tasks `a` and `b` and trigger `c``.
        let mut groups: Vec<String> = vec![];
        for (singular, plural) in [("task ", "tasks "), ("trigger ", "triggers ")] {
            let names: Vec<String> = others
                .iter()
                .filter_map(|o| o.strip_prefix(singular))
                .map(str::to_string)
                .collect();
            match names.len() {
                0 => {}
                1 => groups.push(format!("{singular}{}", join(&names))),
                _ => groups.push(format!("{plural}{}", join(&names))),
            }
        }
        message.push_str(&format!("; so {verb} {}", groups.join(" and ")));
    }
    cx.report(first.span, message).help(HELP);
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The first environment setting of the flow's `pluginDefaults`, literal or not.
fn from_plugin_defaults(flow: &Flow) -> Option<Externalized> {
    for default in &flow.plugin_defaults {
        let mut scan = Scan::default();
        walk(&default.values, None, "", &[], &mut scan);
        let found = scan
            .hits
            .into_iter()
            .map(|h| (h.key, h.span))
            .chain(scan.externalized.map(|e| (e.key, e.span)))
            .min_by_key(|(_, span)| span.start);
        if let Some((key, span)) = found {
            return Some(Externalized {
                owner: None,
                key,
                span,
            });
        }
    }
    None
}

/// Collect the environment settings below a task or trigger, without entering nested tasks.
fn walk(node: &Node, key: Option<&str>, owner: &str, nested: &[Span], scan: &mut Scan) {
    match &node.value {
        Yaml::Map(_) => {
            for (k, _, value) in node.pairs() {
                let skipped = SKIPPED_KEYS.contains(&k)
                    || is_sensitive_key(k)
                    || k.eq_ignore_ascii_case("connectionString")
                    || nested.contains(&value.span);
                if !skipped {
                    walk(value, Some(k), owner, nested, scan);
                }
            }
        }
        Yaml::Seq(items) => {
            for item in items.iter().filter(|i| !nested.contains(&i.span)) {
                walk(item, key, owner, nested, scan);
            }
        }
        Yaml::Scalar(_) => {
            let (Some(key), Some(text)) = (key, node.as_str()) else {
                return;
            };
            let kind = key_kind(key);
            let text = text.trim();
            if pebble::has_expression(text) {
                if kind != KeyKind::Other && kind != KeyKind::Version && from_store(text) {
                    scan.externalized.get_or_insert(Externalized {
                        owner: Some(owner.to_string()),
                        key: key.to_string(),
                        span: node.span,
                    });
                }
            } else if is_environment_specific(kind, text) {
                scan.hits.push(Hit {
                    owner: owner.to_string(),
                    key: key.to_string(),
                    span: node.span,
                });
            }
        }
    }
}

/// Whether an expression reads the KV store, environment variables, server-wide or flow
/// variables, or a secret.
fn from_store(text: &str) -> bool {
    pebble::uses_kv(text)
        || pebble::uses_envs(text)
        || pebble::uses_globals(text)
        || pebble::uses_vars(text)
        || !pebble::secret_calls(text).is_empty()
}

/// Whether a literal (without expressions) is an environment-specific setting.
fn is_environment_specific(kind: KeyKind, text: &str) -> bool {
    let word = |t: &str| !t.is_empty() && !t.contains(char::is_whitespace);
    if kind == KeyKind::Server {
        return text
            .split(',')
            .map(str::trim)
            .any(|t| word(t) && is_server(t));
    }
    if !word(text) {
        return false;
    }
    match kind {
        KeyKind::Place => !matches!(text, "true" | "false" | "null" | "~"),
        KeyKind::Server => false,
        KeyKind::Url | KeyKind::Other => is_specific_url(text) || is_remote_ipv4(text),
        KeyKind::Version => false,
    }
}

/// A server written as a URL, `host[:port]` or a JDBC URL.
fn is_server(text: &str) -> bool {
    if let Some(hosts) = jdbc_hosts(text) {
        return hosts.into_iter().any(is_remote_host);
    }
    is_remote_host(host_of(text).unwrap_or_else(|| without_port(text)))
}

/// A host outside this machine that is not a bare service name (`postgres`, `kafka`), which
/// each environment resolves to its own server.
fn is_remote_host(host: &str) -> bool {
    !host.is_empty()
        && !is_loopback(host)
        && (is_ipv4(host) || (host.contains('.') && host.split('.').all(is_label)))
}

/// An IPv4 address, alone or with a port.
fn is_remote_ipv4(text: &str) -> bool {
    let host = match text.split_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        Some(_) => return false,
        None => text,
    };
    is_ipv4(host) && !is_loopback(host)
}

/// A URL whose target differs between environments: a JDBC, broker, file-server or
/// object-storage URL, or an HTTP(S) URL on a private or environment-named host.
fn is_specific_url(text: &str) -> bool {
    if let Some(hosts) = jdbc_hosts(text) {
        return hosts.into_iter().any(is_remote_host);
    }
    let (Some(scheme), Some(host)) = (scheme_of(text), host_of(text)) else {
        return false;
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "http" || scheme == "https" {
        is_private_web_host(host)
    } else if BUCKET_SCHEMES.contains(&scheme.as_str()) {
        !host.is_empty()
    } else if SERVER_SCHEMES.contains(&scheme.as_str()) {
        is_remote_host(host)
    } else {
        false
    }
}

/// A web host that is not a public service: an IPv4 address, a private domain, a managed
/// instance, or a name that says which environment it serves. Bare service names and public
/// hosts (`api.github.com`, dataset downloads) are the same in every environment.
fn is_private_web_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if !is_remote_host(&host) {
        return false;
    }
    if is_ipv4(&host) {
        return true;
    }
    if is_public_storage(&host) || PUBLIC_HOSTS.contains(&host.as_str()) {
        return false;
    }
    INTERNAL_DOMAINS
        .iter()
        .chain(INSTANCE_DOMAINS)
        .any(|d| in_domain(&host, d))
        || names_environment(&host)
}

/// `host` is `domain` or a subdomain of it.
fn in_domain(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// S3 endpoints (`bucket.s3.amazonaws.com`, `s3.eu-west-1.amazonaws.com/bucket`) and the other
/// clouds' public storage hosts.
fn is_public_storage(host: &str) -> bool {
    PUBLIC_STORAGE_DOMAINS.iter().any(|d| in_domain(host, d))
        || (in_domain(host, "amazonaws.com") && host.split('.').any(|l| l.starts_with("s3")))
}

/// A label of the host (not its top-level domain), or a `-`-separated part of one, is an
/// environment word.
fn names_environment(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let Some((_, names)) = labels.split_last() else {
        return false;
    };
    names.iter().flat_map(|l| l.split('-')).any(|part| {
        let word = part.trim_end_matches(|c: char| c.is_ascii_digit());
        ENVIRONMENT_WORDS.contains(&word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(key_kind("host"), KeyKind::Server);
        assert_eq!(key_kind("DB_HOST"), KeyKind::Server);
        assert_eq!(key_kind("bootstrap.servers"), KeyKind::Server);
        assert_eq!(key_kind("endpointOverride"), KeyKind::Server);
        assert_eq!(key_kind("hostName"), KeyKind::Server);
        assert_eq!(key_kind("bucket"), KeyKind::Place);
        assert_eq!(key_kind("AWS_REGION"), KeyKind::Place);
        assert_eq!(key_kind("url"), KeyKind::Url);
        assert_eq!(key_kind("dbtVersion"), KeyKind::Version);
        assert_eq!(key_kind("from"), KeyKind::Other);
    }

    #[test]
    fn urls() {
        assert!(is_specific_url("jdbc:postgresql://db.acme.io:5432/app"));
        assert!(!is_specific_url("jdbc:postgresql://postgres:5432/app"));
        assert!(!is_specific_url(
            "jdbc:postgresql://host.docker.internal:5432/app"
        ));
        assert!(!is_specific_url("jdbc:duckdb:"));
        assert!(is_specific_url("s3://acme-landing/raw/"));
        assert!(is_specific_url("gs://demo-kestra-prd/demo-extract/"));
        assert!(is_specific_url("sftp://files.acme.io/in"));
        assert!(is_specific_url("http://10.0.3.7:8080/api"));
        assert!(is_specific_url("https://api.staging.acme.io/orders"));
        assert!(is_specific_url("https://orders-prod.acme.io"));
        assert!(is_specific_url("https://erp.acme.corp/api"));
        assert!(is_specific_url(
            "https://dbc-1234.cloud.databricks.com/api/2.1/jobs/run-now"
        ));
        assert!(!is_specific_url("https://api.github.com/repos/x/y"));
        assert!(!is_specific_url("https://kestra.io/docs"));
        assert!(!is_specific_url("http://localhost:8080/api/v1"));
        assert!(!is_specific_url("http://kestra:8080/api/v1"));
        assert!(!is_specific_url(
            "https://wri-dataportal-prod.s3.amazonaws.com/manual/plants.zip"
        ));
        assert!(!is_specific_url("https://api.kestra.dev/v1"));
        assert!(!is_specific_url("kestra:///acme/data.csv"));
    }

    #[test]
    fn servers_and_addresses() {
        assert!(is_server("kafka-1.acme.io:9092"));
        assert!(!is_server("localhost:9092"));
        assert!(!is_server("kafka:9092"));
        assert!(is_server("10.0.0.5"));
        assert!(is_remote_ipv4("10.1.2.3:22"));
        assert!(!is_remote_ipv4("127.0.0.1:22"));
        assert!(!is_remote_ipv4("10.0.0.5:5000/app:1.0"));
        assert!(is_environment_specific(
            KeyKind::Server,
            "a.acme.io:9092, localhost:9093"
        ));
        assert!(!is_environment_specific(KeyKind::Version, "1.2.3.4"));
    }
}
