//! Images that run a service without a `HEALTHCHECK`.
use crate::formats::docker::Healthcheck;
use crate::rules::prelude::*;
use crate::rules::shared::image_ref::ImageRef;
use crate::rules::shared::interpolate::stage_image;

pub(crate) static RULE: Rule = Rule {
    id: "docker/missing-healthcheck",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/docker/missing-healthcheck.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(last) = file.final_stage() else {
        return;
    };
    let healthcheck = file.effective(last, Kind::Healthcheck);
    if let Some(found) = healthcheck
        && let Some(Healthcheck::Cmd(_)) = found.instr.healthcheck()
    {
        cx.pass(found.instr.span, "the final stage has a `HEALTHCHECK`");
        return;
    }
    // Base images, build images, command-line tools and batch jobs exit when done or run
    // whatever they are given: there is no service to watch.
    if !runs_a_service(file, last) {
        return;
    }
    match healthcheck {
        Some(found) if found.instr.healthcheck() == Some(Healthcheck::None) => {
            cx.report(
                found.instr.span,
                "`HEALTHCHECK NONE` turns off health checking for the final image",
            )
            .help("replace it with a `HEALTHCHECK CMD` that probes the service");
        }
        // A malformed HEALTHCHECK is a parse problem, not a missing one.
        Some(_) => {}
        None => {
            let span = file
                .from_instruction(last)
                .map_or(last.image.span, |f| f.span);
            cx.report(span, "the final stage has no `HEALTHCHECK`")
                .help("add a `HEALTHCHECK CMD` that fails when the service cannot serve, such as a request to its health endpoint");
        }
    }
}

/// Official images (and a few vendor repositories) that exist to run a server: their default
/// command is one (`nginx`, `postgres`), or they are the runtime of web applications
/// (ASP.NET Core).
const SERVER_BASES: &[&str] = &[
    "nginx",
    "httpd",
    "caddy",
    "traefik",
    "haproxy",
    "tomcat",
    "jetty",
    "postgres",
    "mysql",
    "mariadb",
    "mongo",
    "redis",
    "rabbitmq",
    "memcached",
    "elasticsearch",
    "couchdb",
    "cassandra",
    "neo4j",
    "influxdb",
    "registry",
    "wordpress",
    "ghost",
    "nextcloud",
    "drupal",
    "nginxinc/nginx-unprivileged",
    "bitnami/nginx",
    "grafana/grafana",
    "prom/prometheus",
    "mcr.microsoft.com/dotnet/aspnet",
];

/// Programs that start a server when they are the command (by file name).
const SERVER_PROGRAMS: &[&str] = &[
    "nginx",
    "httpd",
    "apache2-foreground",
    "apache2ctl",
    "caddy",
    "traefik",
    "haproxy",
    "envoy",
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "daphne",
    "granian",
    "waitress-serve",
    "puma",
    "unicorn",
    "passenger",
    "supervisord",
    "catalina.sh",
    "mongod",
    "mysqld",
    "postgres",
    "http-server",
    "serve",
    "runserver",
    "streamlit",
];

/// Whether the final stage runs a service: it `EXPOSE`s a port, its `CMD` or `ENTRYPOINT`
/// starts a server, or it is built on a known server image.
fn runs_a_service(file: &Dockerfile, last: &Stage) -> bool {
    if file.effective(last, Kind::Expose).is_some() {
        return true;
    }
    let command = [Kind::Entrypoint, Kind::Cmd]
        .into_iter()
        .filter_map(|kind| file.effective(last, kind))
        .any(|found| starts_a_server(&found.instr.args.text));
    if command {
        return true;
    }
    file.root(last).is_some_and(|root| {
        let resolved = stage_image(file, root);
        let image = ImageRef::parse(&resolved);
        !image.is_unresolved()
            && (image.is_any_of(SERVER_BASES)
                || (image.is_any_of(&["php"])
                    && image
                        .tag
                        .is_some_and(|t| t.contains("apache") || t.contains("fpm"))))
    })
}

/// Whether a `CMD`/`ENTRYPOINT` (exec or shell form) starts a server: a server program, a
/// script or subcommand named like one (`server.js`, `redis-server`, `runserver`,
/// `php-fpm`), or a listen option (`--port`, `--bind`, `--listen`, `0.0.0.0`).
fn starts_a_server(command: &str) -> bool {
    command
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '"' | '\'' | ','))
        .filter(|w| !w.is_empty())
        .any(|word| {
            let word = word.to_ascii_lowercase();
            let name = word.rsplit('/').next().unwrap_or(&word);
            let option = name.split('=').next().unwrap_or(name);
            SERVER_PROGRAMS.contains(&name)
                || name.starts_with("php-fpm")
                || (name.contains("server") && !name.starts_with("serverless"))
                || matches!(option, "--port" | "--bind" | "--listen" | "--host")
                || word.contains("0.0.0.0")
        })
}

#[cfg(test)]
mod tests {
    use super::starts_a_server;

    #[test]
    fn server_commands() {
        assert!(starts_a_server(r#"["node", "server.js"]"#));
        assert!(starts_a_server(r#"["gunicorn", "app:app"]"#));
        assert!(starts_a_server("uvicorn main:app --host 0.0.0.0"));
        assert!(starts_a_server(r#"["python", "manage.py", "runserver"]"#));
        assert!(starts_a_server(r#"["/usr/sbin/php-fpm8.2", "-F"]"#));
        assert!(starts_a_server(r#"["redis-server"]"#));
        assert!(starts_a_server("./app --port=8080"));
        assert!(!starts_a_server(r#"["python3"]"#));
        assert!(!starts_a_server(r#"["bash"]"#));
        assert!(!starts_a_server(r#"["/usr/local/bin/migrate", "up"]"#));
        assert!(!starts_a_server("serverless deploy"));
    }
}
