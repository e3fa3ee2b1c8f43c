//! Network addresses in configuration values: the host of a URL, loopback and IPv4 literals,
//! dotted host names. Shared by the rules that look for environment-specific settings.

/// `host` of `host:port` (an IPv6 address without brackets is left whole).
pub(crate) fn without_port(value: &str) -> &str {
    match value.split_once(':') {
        Some((host, port)) if !port.contains(':') => host,
        _ => value,
    }
}

/// The scheme of `scheme://…`, when it is a valid URL scheme.
pub(crate) fn scheme_of(value: &str) -> Option<&str> {
    let (scheme, _) = value.split_once("://")?;
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    valid.then_some(scheme)
}

/// The host of `scheme://[user@]host[:port]/…`.
pub(crate) fn host_of(value: &str) -> Option<&str> {
    scheme_of(value)?;
    let (_, rest) = value.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    Some(host)
}

/// Loopback and wildcard addresses, and Docker's name for the host: the same machine in every
/// environment.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
        || host == "host.docker.internal"
}

/// A dotted-quad IPv4 address.
pub(crate) fn is_ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.parse::<u8>().is_ok())
}

/// Top-level domains that make a dotted word a host name rather than a file or package name.
const TLDS: [&str; 40] = [
    "com", "net", "org", "io", "dev", "app", "cloud", "co", "de", "fr", "uk", "eu", "us",
    "internal", "local", "lan", "ai", "me", "info", "biz", "xyz", "tech", "nl", "ch", "at", "be",
    "it", "es", "ru", "cn", "jp", "in", "br", "au", "ca", "se", "no", "fi", "pl", "cz",
];

/// First labels of reverse-DNS identifiers (`com.example.app`, `io.github.user`).
const REVERSE_DNS_HEADS: [&str; 8] = ["com", "org", "net", "io", "edu", "gov", "de", "uk"];

/// A dotted host name ending in a known top-level domain (`smtp.example.com`), not a
/// reverse-DNS identifier (`com.example.app`).
pub(crate) fn is_hostname(text: &str) -> bool {
    let text = text.split(':').next().unwrap_or(text).trim_end_matches('.');
    let labels: Vec<&str> = text.split('.').collect();
    let (Some(first), Some(last)) = (labels.first(), labels.last()) else {
        return false;
    };
    labels.len() >= 2
        && labels.iter().all(|l| is_label(l))
        && TLDS.contains(last)
        && !REVERSE_DNS_HEADS.contains(first)
}

/// A non-empty DNS label: letters, digits and `-`.
pub(crate) fn is_label(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The hosts of a JDBC URL: `jdbc:postgresql://h1:5432,h2/db`, `jdbc:sqlserver://h;db=x`,
/// `jdbc:oracle:thin:@h:1521:SID`, `jdbc:oracle:thin:@//h:1521/svc`. `None` when the text is not
/// a JDBC URL; empty when it names no host (`jdbc:duckdb:`, `jdbc:h2:mem:test`,
/// `jdbc:sqlite:/data/app.db`).
pub(crate) fn jdbc_hosts(value: &str) -> Option<Vec<&str>> {
    if !value.get(..5)?.eq_ignore_ascii_case("jdbc:") {
        return None;
    }
    let rest = value.get(5..)?;
    let authority = if let Some((_, after)) = rest.split_once("//") {
        after
    } else if let Some((_, after)) = rest.split_once(":@") {
        after
    } else {
        return Some(vec![]);
    };
    let authority = authority.split(['/', ';', '?']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    Some(
        authority
            .split(',')
            .map(|h| match h.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or(""),
                None => h.split(':').next().unwrap_or(""),
            })
            .filter(|h| !h.is_empty())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://u@api.example.com:8443/x"),
            Some("api.example.com")
        );
        assert_eq!(host_of("http://[::1]:80/"), Some("::1"));
        assert_eq!(host_of("jdbc:postgresql://db:5432/app"), None);
        assert_eq!(without_port("db:5432"), "db");
        assert!(is_loopback("127.0.0.1") && is_loopback("LOCALHOST"));
        assert!(is_ipv4("10.1.2.3") && !is_ipv4("1.2.3") && !is_ipv4("1.2.3.256"));
        assert!(is_hostname("smtp.example.com") && !is_hostname("com.example.app"));
    }

    #[test]
    fn jdbc() {
        let hosts = |v| jdbc_hosts(v).unwrap_or_default();
        assert_eq!(
            hosts("jdbc:postgresql://db.acme.io:5432/app"),
            ["db.acme.io"]
        );
        assert_eq!(hosts("jdbc:postgresql://a:5432,b:5433/app"), ["a", "b"]);
        assert_eq!(
            hosts("jdbc:sqlserver://sql.acme.io:1433;databaseName=x"),
            ["sql.acme.io"]
        );
        assert_eq!(
            hosts("jdbc:oracle:thin:@ora.acme.io:1521:ORCL"),
            ["ora.acme.io"]
        );
        assert_eq!(
            hosts("jdbc:oracle:thin:@//ora.acme.io:1521/svc"),
            ["ora.acme.io"]
        );
        assert_eq!(hosts("jdbc:mysql://user@10.0.0.3/app"), ["10.0.0.3"]);
        assert!(hosts("jdbc:duckdb:").is_empty());
        assert!(hosts("jdbc:h2:mem:test").is_empty());
        assert!(jdbc_hosts("https://x").is_none());
    }
}
