//! Datastore knowledge (catalog §1.7), shared by the compose and Kubernetes rules: which images
//! keep state and where, and which container ports belong to datastores and admin APIs.
//! The `stateful-images` and `datastore-ports` options extend the built-in lists.

use super::image_ref::ImageRef;
use crate::config::Options;

/// What an image is known to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stateful {
    /// The catalog's name for it (`postgres`, `bitnami/redis`), or the configured repository.
    pub name: String,
    /// A database or message broker (not an application that keeps files, like Grafana).
    pub datastore: bool,
}

/// (repository match, data path, datastore). A match with a `/` must equal the end of the
/// repository path; one without compares the last path component.
const STATEFUL: &[(&str, &str, bool)] = &[
    ("postgres", "/var/lib/postgresql/data", true),
    ("postgis/postgis", "/var/lib/postgresql/data", true),
    ("timescale/timescaledb", "/var/lib/postgresql/data", true),
    ("mysql", "/var/lib/mysql", true),
    ("mariadb", "/var/lib/mysql", true),
    ("percona", "/var/lib/mysql", true),
    ("mongo", "/data/db", true),
    ("redis", "/data", true),
    ("valkey/valkey", "/data", true),
    ("rabbitmq", "/var/lib/rabbitmq", true),
    ("elasticsearch", "/usr/share/elasticsearch/data", true),
    (
        "opensearchproject/opensearch",
        "/usr/share/opensearch/data",
        true,
    ),
    ("influxdb", "/var/lib/influxdb2", true),
    ("minio/minio", "/data", true),
    ("clickhouse/clickhouse-server", "/var/lib/clickhouse", true),
    ("cassandra", "/var/lib/cassandra", true),
    ("neo4j", "/data", true),
    ("grafana/grafana", "/var/lib/grafana", false),
    ("prom/prometheus", "/prometheus", false),
    ("gitea/gitea", "/data", false),
    ("nextcloud", "/var/www/html", false),
    ("vaultwarden/server", "/data", false),
];

/// Bitnami images keep their data under `/bitnami/<name>`; the names follow Bitnami's spelling.
const BITNAMI: &[(&str, &str, bool)] = &[
    ("postgresql", "/bitnami/postgresql", true),
    ("mysql", "/bitnami/mysql/data", true),
    ("mariadb", "/bitnami/mariadb", true),
    ("mongodb", "/bitnami/mongodb", true),
    ("redis", "/bitnami/redis/data", true),
    ("valkey", "/bitnami/valkey/data", true),
    ("rabbitmq", "/bitnami/rabbitmq/mnesia", true),
    ("elasticsearch", "/bitnami/elasticsearch/data", true),
    ("opensearch", "/bitnami/opensearch/data", true),
    ("influxdb", "/bitnami/influxdb", true),
    ("minio", "/bitnami/minio/data", true),
    ("clickhouse", "/bitnami/clickhouse", true),
    ("cassandra", "/bitnami/cassandra", true),
    ("neo4j", "/bitnami/neo4j", true),
    ("grafana", "/opt/bitnami/grafana/data", false),
    ("gitea", "/bitnami/gitea", false),
];

/// Namespaces on Docker Hub that publish Bitnami's images.
const BITNAMI_NAMESPACES: [&str; 3] = ["bitnami", "bitnamilegacy", "bitnamisecure"];

/// Container ports whose exposure is critical, with what usually listens there.
const DATASTORE_PORTS: &[(u16, &str)] = &[
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2375, "the Docker API"),
    (2376, "the Docker API"),
    (2379, "etcd"),
    (3306, "MySQL/MariaDB"),
    (5432, "PostgreSQL"),
    (5672, "RabbitMQ"),
    (5984, "CouchDB"),
    (6379, "Redis/Valkey"),
    (7474, "Neo4j"),
    (7687, "Neo4j"),
    (8086, "InfluxDB"),
    (8123, "ClickHouse HTTP"),
    (9042, "Cassandra"),
    (9200, "Elasticsearch/OpenSearch"),
    (11211, "memcached"),
    (15672, "RabbitMQ management"),
    (27017, "MongoDB"),
];

/// The stateful image a reference names, if it is one. Images added through the
/// `stateful-images` option count as datastores.
pub(crate) fn stateful(image: &ImageRef, options: &Options) -> Option<Stateful> {
    if let Some((name, _)) = configured(image, options) {
        return Some(Stateful {
            name: name.to_string(),
            datastore: true,
        });
    }
    lookup(image).map(|(name, _, datastore)| Stateful {
        name: name.to_string(),
        datastore,
    })
}

/// Where a stateful image keeps its data. `command` is the container's command words (MinIO
/// serves the directory after `server`).
pub(crate) fn data_path(image: &ImageRef, command: &[&str], options: &Options) -> Option<String> {
    if let Some((_, path)) = configured(image, options) {
        return Some(path.trim_end_matches('/').to_string());
    }
    let (name, path, _) = lookup(image)?;
    if name.ends_with("minio")
        && let Some(dir) = minio_dir(command)
    {
        return Some(dir);
    }
    if name == "influxdb" && image.tag.is_some_and(|t| t == "1" || t.starts_with("1.")) {
        return Some("/var/lib/influxdb".into());
    }
    Some(path.to_string())
}

/// What listens on a container port that must not be published to every network, if it is one
/// (ports added through the `datastore-ports` option are "a configured datastore").
pub(crate) fn datastore_port(port: u16, options: &Options) -> Option<&'static str> {
    datastore_ports_in(port, port, options)
        .next()
        .map(|(_, what)| what)
}

/// Every datastore port in `start..=end`, in increasing order.
pub(crate) fn datastore_ports_in(
    start: u16,
    end: u16,
    options: &Options,
) -> impl Iterator<Item = (u16, &'static str)> {
    let configured = options
        .datastore_ports
        .iter()
        .map(|p| (*p, "a configured datastore"));
    let mut found: Vec<(u16, &'static str)> = DATASTORE_PORTS
        .iter()
        .copied()
        .chain(configured)
        .filter(|(p, _)| start <= *p && *p <= end)
        .collect();
    found.sort_by_key(|(p, _)| *p);
    found.dedup_by_key(|(p, _)| *p);
    found.into_iter()
}

/// The entry of the `stateful-images` option that matches the image: (repository, data path).
fn configured<'o>(image: &ImageRef, options: &'o Options) -> Option<(&'o str, &'o str)> {
    let path = image.path.to_ascii_lowercase();
    let path = path.strip_prefix("library/").unwrap_or(&path);
    let last = path.rsplit('/').next().unwrap_or("");
    let repository = image.repository().to_ascii_lowercase();
    options
        .stateful_images
        .iter()
        .find(|(name, _)| {
            let name = name.to_ascii_lowercase();
            if name.contains('/') {
                path == name || repository.ends_with(&format!("/{name}"))
            } else {
                last == name
            }
        })
        .map(|(name, dir)| (name.as_str(), dir.as_str()))
}

fn lookup(image: &ImageRef) -> Option<(&'static str, &'static str, bool)> {
    let path = image.path.to_ascii_lowercase();
    let path = path.strip_prefix("library/").unwrap_or(&path);
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or("");
    let namespace = parts.next();
    if let Some(ns) = namespace
        && BITNAMI_NAMESPACES.contains(&ns)
    {
        return BITNAMI
            .iter()
            .find(|(n, _, _)| *n == last)
            .map(|(n, p, d)| (bitnami_name(n), *p, *d));
    }
    STATEFUL
        .iter()
        .find(|(m, _, _)| match m.split_once('/') {
            Some(_) => path == *m || path.ends_with(&format!("/{m}")),
            None => last == *m,
        })
        .copied()
}

/// `bitnami/<name>` for the Bitnami table's names.
fn bitnami_name(name: &str) -> &'static str {
    const NAMES: [&str; 16] = [
        "bitnami/postgresql",
        "bitnami/mysql",
        "bitnami/mariadb",
        "bitnami/mongodb",
        "bitnami/redis",
        "bitnami/valkey",
        "bitnami/rabbitmq",
        "bitnami/elasticsearch",
        "bitnami/opensearch",
        "bitnami/influxdb",
        "bitnami/minio",
        "bitnami/clickhouse",
        "bitnami/cassandra",
        "bitnami/neo4j",
        "bitnami/grafana",
        "bitnami/gitea",
    ];
    NAMES
        .iter()
        .find(|n| n.strip_prefix("bitnami/") == Some(name))
        .copied()
        .unwrap_or("bitnami")
}

/// The first directory MinIO serves: the first operand after `server` (`server /data
/// --console-address :9001`). URLs of distributed setups give their path, and a `{1...4}`
/// expansion its first value (`http://minio{1...4}/data{1...2}` serves `/data1` first).
fn minio_dir(command: &[&str]) -> Option<String> {
    let at = command.iter().position(|w| *w == "server")?;
    let mut words = command.iter().skip(at + 1);
    while let Some(word) = words.next() {
        let word = word.trim_matches(['"', '\'']);
        if word.starts_with('-') {
            // `--address :9000` takes a value; `--flag=value` does not.
            if !word.contains('=') {
                words.next();
            }
            continue;
        }
        let path = match word.split_once("://") {
            Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..))?,
            None => word,
        };
        if !path.starts_with('/') {
            return None;
        }
        let dir = first_expansion(path);
        let dir = dir.trim_end_matches('/');
        return Some(if dir.is_empty() {
            "/".into()
        } else {
            dir.into()
        });
    }
    None
}

/// MinIO's `{a...b}` ellipsis notation replaced by its first value.
fn first_expansion(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else {
            return out;
        };
        let inner = after.get(..close).unwrap_or("");
        out.push_str(inner.split("...").next().unwrap_or(""));
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(image: &str, command: &[&str]) -> Option<String> {
        data_path(&ImageRef::parse(image), command, &Options::default())
    }

    #[test]
    fn data_paths() {
        assert_eq!(
            path("postgres:16", &[]).as_deref(),
            Some("/var/lib/postgresql/data")
        );
        assert_eq!(
            path("docker.io/library/mysql:8", &[]).as_deref(),
            Some("/var/lib/mysql")
        );
        assert_eq!(path("ghcr.io/acme/redis:7", &[]).as_deref(), Some("/data"));
        assert_eq!(path("valkey/valkey:8", &[]).as_deref(), Some("/data"));
        assert_eq!(
            path("influxdb:1.8", &[]).as_deref(),
            Some("/var/lib/influxdb")
        );
        assert_eq!(
            path("influxdb:2.7", &[]).as_deref(),
            Some("/var/lib/influxdb2")
        );
        assert_eq!(path("nginx:1.27", &[]), None);
        assert_eq!(
            path("vaultwarden/server:1.32", &[]).as_deref(),
            Some("/data")
        );
        assert_eq!(path("acme/server:1", &[]), None);
    }

    #[test]
    fn bitnami_and_minio() {
        assert_eq!(
            path("bitnami/postgresql:16", &[]).as_deref(),
            Some("/bitnami/postgresql")
        );
        assert_eq!(
            path("docker.io/bitnamilegacy/redis:7.2", &[]).as_deref(),
            Some("/bitnami/redis/data")
        );
        assert_eq!(
            stateful(&ImageRef::parse("bitnami/redis:7"), &Options::default()).map(|s| s.name),
            Some("bitnami/redis".to_string())
        );
        assert_eq!(path("bitnami/nginx:1", &[]), None);
        assert_eq!(
            path("minio/minio:RELEASE.2024", &[]).as_deref(),
            Some("/data")
        );
        assert_eq!(
            path(
                "minio/minio:RELEASE.2024",
                &[
                    "server",
                    "--address",
                    ":9000",
                    "/export",
                    "--console-address",
                    ":9001"
                ]
            )
            .as_deref(),
            Some("/export")
        );
        assert_eq!(
            path("quay.io/minio/minio", &["server", "/mnt/data{1...4}"]).as_deref(),
            Some("/mnt/data1")
        );
        assert_eq!(
            path(
                "quay.io/minio/minio",
                &[
                    "server",
                    "--console-address",
                    "\":9001\"",
                    "http://minio{1...4}/data{1...2}"
                ]
            )
            .as_deref(),
            Some("/data1")
        );
    }

    #[test]
    fn ports() {
        let none = Options::default();
        assert_eq!(datastore_port(5432, &none), Some("PostgreSQL"));
        assert_eq!(datastore_port(8080, &none), None);
        assert_eq!(datastore_ports_in(5000, 6000, &none).count(), 3);
        let options = Options {
            datastore_ports: vec![8080, 5432],
            ..Options::default()
        };
        assert_eq!(
            datastore_port(8080, &options),
            Some("a configured datastore")
        );
        assert_eq!(datastore_port(5432, &options), Some("PostgreSQL"));
    }

    #[test]
    fn configured_images() {
        let options = Options {
            stateful_images: [("acme/ledger".to_string(), "/srv/ledger/".to_string())].into(),
            ..Options::default()
        };
        let image = ImageRef::parse("registry.example.com/acme/ledger:2");
        assert_eq!(
            data_path(&image, &[], &options).as_deref(),
            Some("/srv/ledger")
        );
        assert!(stateful(&image, &options).is_some_and(|s| s.datastore));
    }
}
