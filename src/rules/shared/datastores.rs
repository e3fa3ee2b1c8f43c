//! Datastore knowledge, shared by the compose and Kubernetes rules: which images
//! keep state and where, and which container ports belong to datastores and admin APIs.
//! The `stateful-images` and `datastore-ports` options extend the built-in lists.

use super::image_ref::ImageRef;
use crate::rules::options::Options;

/// What an image is known to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stateful {
    /// The built-in name for it (`postgres`, `bitnami/redis`), or the configured repository.
    pub name: String,
    /// A database or message broker (not an application that keeps files, like Grafana).
    pub datastore: bool,
}

/// A known stateful image: its name in findings, the repositories that publish it, where it keeps
/// its data, and whether it is a datastore.
struct Known {
    name: &'static str,
    /// Repositories as [`ImageRef::is_any_of`] reads them: a bare name is a Docker official
    /// image, `namespace/name` a Docker Hub repository, and one with a registry host is that
    /// registry's repository.
    repositories: &'static [&'static str],
    data: &'static str,
    datastore: bool,
}

const fn known(
    name: &'static str,
    repositories: &'static [&'static str],
    data: &'static str,
    datastore: bool,
) -> Known {
    Known {
        name,
        repositories,
        data,
        datastore,
    }
}

/// Images are matched by their whole repository, never by their last path component: a
/// third party's `mariadb` (LinuxServer's keeps its data in `/config`) or a team's own `redis`
/// build is not the official image.
const STATEFUL: &[Known] = &[
    known("postgres", &["postgres"], "/var/lib/postgresql/data", true),
    known(
        "postgis/postgis",
        &["postgis/postgis"],
        "/var/lib/postgresql/data",
        true,
    ),
    known(
        "timescale/timescaledb",
        &["timescale/timescaledb"],
        "/var/lib/postgresql/data",
        true,
    ),
    known(
        "mysql",
        &["mysql", "mysql/mysql-server"],
        "/var/lib/mysql",
        true,
    ),
    known("mariadb", &["mariadb"], "/var/lib/mysql", true),
    known(
        "linuxserver/mariadb",
        &[
            "linuxserver/mariadb",
            "lscr.io/linuxserver/mariadb",
            "ghcr.io/linuxserver/mariadb",
        ],
        "/config",
        true,
    ),
    known(
        "percona",
        &["percona", "percona/percona-server"],
        "/var/lib/mysql",
        true,
    ),
    known("mongo", &["mongo"], "/data/db", true),
    known("redis", &["redis"], "/data", true),
    known("valkey/valkey", &["valkey/valkey"], "/data", true),
    known("rabbitmq", &["rabbitmq"], "/var/lib/rabbitmq", true),
    known(
        "elasticsearch",
        &[
            "elasticsearch",
            "docker.elastic.co/elasticsearch/elasticsearch",
        ],
        "/usr/share/elasticsearch/data",
        true,
    ),
    known(
        "opensearchproject/opensearch",
        &[
            "opensearchproject/opensearch",
            "public.ecr.aws/opensearchproject/opensearch",
        ],
        "/usr/share/opensearch/data",
        true,
    ),
    known("influxdb", &["influxdb"], "/var/lib/influxdb2", true),
    known(
        "minio/minio",
        &["minio/minio", "quay.io/minio/minio"],
        "/data",
        true,
    ),
    known(
        "clickhouse/clickhouse-server",
        &["clickhouse/clickhouse-server", "yandex/clickhouse-server"],
        "/var/lib/clickhouse",
        true,
    ),
    known("cassandra", &["cassandra"], "/var/lib/cassandra", true),
    known("neo4j", &["neo4j"], "/data", true),
    known(
        "grafana/grafana",
        &[
            "grafana/grafana",
            "grafana/grafana-oss",
            "grafana/grafana-enterprise",
        ],
        "/var/lib/grafana",
        false,
    ),
    known(
        "prom/prometheus",
        &["prom/prometheus", "quay.io/prometheus/prometheus"],
        "/prometheus",
        false,
    ),
    known("gitea/gitea", &["gitea/gitea"], "/data", false),
    known("nextcloud", &["nextcloud"], "/var/www/html", false),
    known(
        "vaultwarden/server",
        &["vaultwarden/server", "ghcr.io/dani-garcia/vaultwarden"],
        "/data",
        false,
    ),
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

/// Docker Hub namespaces that publish Bitnami's images.
const BITNAMI_NAMESPACES: [&str; 3] = ["bitnami", "bitnamilegacy", "bitnamisecure"];

/// Container ports whose exposure is critical, with what usually listens there.
/// [`SHARED_PORTS`] lists those that other software commonly uses too.
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

/// Datastore ports that other servers use as well (Home Assistant serves 8123, many search and
/// monitoring tools 9200 or 8086): they count only when the image is known to be the
/// datastore, named by its built-in name.
const SHARED_PORTS: &[(u16, &[&str])] = &[
    (8086, &["influxdb", "bitnami/influxdb"]),
    (
        8123,
        &["clickhouse/clickhouse-server", "bitnami/clickhouse"],
    ),
    (
        9200,
        &[
            "elasticsearch",
            "opensearchproject/opensearch",
            "bitnami/elasticsearch",
            "bitnami/opensearch",
        ],
    ),
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

/// Every datastore port in `start..=end` that a container of `image` may serve, in increasing
/// order. A port of [`SHARED_PORTS`] counts only when the image is known to be its datastore
/// (or the `datastore-ports` option lists it); an unknown or unresolved image serves only the
/// distinctive ports.
pub(crate) fn datastore_ports_of(
    start: u16,
    end: u16,
    image: Option<&ImageRef>,
    options: &Options,
) -> impl Iterator<Item = (u16, &'static str)> {
    let name = image
        .filter(|i| !i.is_unresolved())
        .and_then(lookup)
        .map(|(name, _, _)| name);
    datastore_ports_in(start, end, options).filter(move |(port, _)| {
        let Some((_, names)) = SHARED_PORTS.iter().find(|(p, _)| p == port) else {
            return true;
        };
        options.datastore_ports.contains(port) || name.is_some_and(|n| names.contains(&n))
    })
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
    let repository = image.repository().to_ascii_lowercase();
    if let Some(rest) = repository.strip_prefix("docker.io/")
        && let Some((namespace, name)) = rest.split_once('/')
        && BITNAMI_NAMESPACES.contains(&namespace)
    {
        return BITNAMI
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(n, p, d)| (bitnami_name(n), *p, *d));
    }
    STATEFUL
        .iter()
        .find(|k| image.is_any_of(k.repositories))
        .map(|k| (k.name, k.data, k.datastore))
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
        assert_eq!(path("redis:7", &[]).as_deref(), Some("/data"));
        assert_eq!(
            path("public.ecr.aws/docker/library/redis:7", &[]).as_deref(),
            Some("/data")
        );
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
    fn the_whole_repository_names_the_image() {
        // Another publisher's image of the same name is not the official one.
        assert_eq!(path("ghcr.io/acme/redis:7", &[]), None);
        assert_eq!(path("acme/postgres:16", &[]), None);
        assert_eq!(path("registry.example.com/mirror/mysql:8", &[]), None);
        assert_eq!(
            path("lscr.io/linuxserver/mariadb:11.4", &[]).as_deref(),
            Some("/config")
        );
        assert_eq!(path("linuxserver/mariadb", &[]).as_deref(), Some("/config"));
        assert_eq!(path("mariadb:11.4", &[]).as_deref(), Some("/var/lib/mysql"));
        assert_eq!(
            path("docker.elastic.co/elasticsearch/elasticsearch:8.15.0", &[]).as_deref(),
            Some("/usr/share/elasticsearch/data")
        );
        assert_eq!(path("acme/elasticsearch:8", &[]), None);
        assert_eq!(path("ghcr.io/org/valkey/valkey:8", &[]), None);
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

    fn port(port: u16, image: Option<&str>, options: &Options) -> Option<&'static str> {
        let image = image.map(ImageRef::parse);
        datastore_ports_of(port, port, image.as_ref(), options)
            .next()
            .map(|(_, what)| what)
    }

    #[test]
    fn ports() {
        let none = Options::default();
        assert_eq!(port(5432, None, &none), Some("PostgreSQL"));
        assert_eq!(port(5432, Some("acme/app:1"), &none), Some("PostgreSQL"));
        assert_eq!(port(8080, None, &none), None);
        assert_eq!(datastore_ports_in(5000, 6000, &none).count(), 3);
        let options = Options {
            datastore_ports: vec![8080, 5432],
            ..Options::default()
        };
        assert_eq!(port(8080, None, &options), Some("a configured datastore"));
        assert_eq!(port(5432, None, &options), Some("PostgreSQL"));
    }

    #[test]
    fn shared_ports_need_the_datastore_image() {
        let none = Options::default();
        assert_eq!(port(9200, None, &none), None);
        assert_eq!(port(9200, Some("acme/search-ui:2"), &none), None);
        assert_eq!(
            port(9200, Some("elasticsearch:8.15.0"), &none),
            Some("Elasticsearch/OpenSearch")
        );
        assert_eq!(
            port(
                9200,
                Some("docker.elastic.co/elasticsearch/elasticsearch:8.15.0"),
                &none
            ),
            Some("Elasticsearch/OpenSearch")
        );
        assert_eq!(
            port(9200, Some("bitnami/opensearch:2"), &none),
            Some("Elasticsearch/OpenSearch")
        );
        assert_eq!(
            port(8123, Some("homeassistant/home-assistant:2024.6"), &none),
            None
        );
        assert_eq!(
            port(8123, Some("clickhouse/clickhouse-server:24.8"), &none),
            Some("ClickHouse HTTP")
        );
        assert_eq!(port(8086, Some("influxdb:2.7"), &none), Some("InfluxDB"));
        let options = Options {
            datastore_ports: vec![9200],
            ..Options::default()
        };
        assert_eq!(
            port(9200, Some("acme/search:1"), &options),
            Some("Elasticsearch/OpenSearch")
        );
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
