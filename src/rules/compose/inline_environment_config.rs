//! Environment-specific values (hosts, URLs, regions, the environment's name) written inline
//! in a service's `environment`.
use crate::formats::compose::Project;
use crate::formats::compose::{environment, is_interpolated};
use crate::rules::prelude::*;
use crate::rules::shared::address::{host_of, is_hostname, is_ipv4, is_loopback, without_port};
use crate::rules::shared::secrets::is_sensitive_key;

pub(crate) static RULE: Rule = Rule {
    id: "compose/inline-environment-config",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/compose/inline-environment-config.md"),
    check: Check::Compose(check),
};

/// Keys whose literal value names a place of one environment, whatever it looks like.
const PLACE_SUFFIXES: [&str; 2] = ["_BUCKET", "_REGION"];

fn check(compose: &Compose, cx: &mut Ctx) {
    let project = Project::of(compose);
    let names: Vec<&str> = project.services.iter().map(|v| v.name()).collect();
    let uses_interpolation = compose.root.as_ref().is_some_and(|r| {
        r.strings()
            .iter()
            .any(|n| n.as_str().is_some_and(is_interpolated))
    });
    let documented = compose.surroundings.env_template.is_some();
    for view in project.services.iter().filter(|v| v.complete) {
        if view.get("env_file").is_some() {
            cx.pass(
                view.key().span,
                format!(
                    "`{}` reads its configuration from an `env_file`",
                    view.name()
                ),
            );
            continue;
        }
        let entries = environment(view.service.node);
        let mut keys: Vec<&str> = Vec::new();
        let mut interpolated = 0;
        for e in &entries {
            let Some(value) = e.value.map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            // Secrets are `compose/hardcoded-secret`'s business.
            if is_sensitive_key(e.key) {
                continue;
            }
            if is_interpolated(value) {
                interpolated += 1;
                continue;
            }
            if is_place_key(e.key) && is_name(value) || is_remote_address(value, &names) {
                keys.push(e.key);
            }
        }
        if keys.is_empty() {
            if interpolated > 0 {
                cx.pass(
                    view.key().span,
                    format!(
                        "`{}` takes its configuration from interpolated variables",
                        view.name()
                    ),
                );
            }
            continue;
        }
        let at = view
            .service
            .node
            .entry("environment")
            .map_or(view.key().span, |e| e.key.span);
        let help = if uses_interpolation && !documented {
            "pass these through `${VAR}` or an `env_file`, and document the variables in a committed `.env.example`"
        } else {
            "pass these through `${VAR}` interpolation or an `env_file`, so each environment sets its own"
        };
        cx.report(
            at,
            format!(
                "service `{}` sets environment-specific `{}` inline",
                view.name(),
                keys.join("`, `")
            ),
        )
        .help(help);
    }
}

fn is_place_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    PLACE_SUFFIXES
        .iter()
        .any(|s| upper.ends_with(s) || upper == s.trim_start_matches('_'))
}

/// A value that can name a bucket or a region: not a boolean, a number or a path.
fn is_name(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
    ) && !value.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !value.starts_with(['/', '.', '~'])
}

/// Docker's names for the host and its gateway, the same on every machine.
fn is_docker_name(host: &str) -> bool {
    host.to_ascii_lowercase().ends_with(".docker.internal")
}

/// The network and broadcast addresses of a /24 (`10.13.13.0`): a subnet setting, not a host.
fn is_network_address(host: &str) -> bool {
    host.ends_with(".0") || host.ends_with(".255")
}

/// A URL, IP address or host name that points outside the project: a URL whose host has a
/// dot, a host IPv4 address, or a host name under a known top-level domain. Single-label names
/// (`db`, `redis`) are containers or aliases on the project's networks, whichever file
/// defines them; loopback, wildcard and Docker's own names are the same machine everywhere.
fn is_remote_address(value: &str, services: &[&str]) -> bool {
    if value.contains(char::is_whitespace) {
        return false;
    }
    let host = match host_of(value) {
        Some(h) => h,
        None => without_port(value),
    };
    let address = host_of(value).is_some() || is_ipv4(host) || is_hostname(host);
    address
        && !host.is_empty()
        && !services.contains(&host)
        && !is_loopback(host)
        && !is_docker_name(host)
        && (is_ipv4(host) && !is_network_address(host) || !is_ipv4(host) && host.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places() {
        assert!(is_place_key("AWS_REGION"));
        assert!(is_place_key("s3_bucket"));
        assert!(is_place_key("BUCKET"));
        assert!(!is_place_key("DB_PORT"));
        assert!(is_name("eu-west-1"));
        assert!(is_name("acme-uploads-prod"));
        assert!(!is_name("true"));
        assert!(!is_name("5432"));
        assert!(!is_name("/data/bucket"));
    }

    #[test]
    fn addresses() {
        let services = ["db", "cache"];
        assert!(is_remote_address("https://api.example.com/v1", &services));
        assert!(is_remote_address("10.0.0.12", &services));
        assert!(is_remote_address("smtp.example.com", &services));
        assert!(!is_remote_address("http://db:5432", &services));
        assert!(!is_remote_address("http://localhost:8080", &services));
        assert!(!is_remote_address("config.yaml", &services));
        assert!(!is_remote_address("1.2.3", &services));
        assert!(!is_remote_address("production", &services));
        assert!(is_remote_address("cloud.example.org", &services));
        assert!(is_remote_address("10.1.2.3:8080", &services));
        assert!(!is_remote_address("0.0.0.0:8000", &services));
        assert!(!is_remote_address("db:5432", &services));
        assert!(!is_remote_address("postgres:5432", &services));
        assert!(!is_remote_address("10.13.13.0", &services));
        assert!(!is_remote_address("10.0.0.0/8", &services));
        assert!(!is_remote_address(
            "http://host.docker.internal:9000",
            &services
        ));
        assert!(!is_remote_address("sqlite:///data/app.db", &services));
        assert!(!is_remote_address("/var/lib/app", &services));
        assert!(is_remote_address("s3.eu-west-1.amazonaws.com", &services));
        assert!(!is_remote_address("com.example.app", &services));
        assert!(!is_remote_address("redis://cache:6379/0", &services));
    }
}
