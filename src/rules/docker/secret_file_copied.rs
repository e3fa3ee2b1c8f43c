//! Files that usually hold secrets (keys, `.env`, registry and cloud credentials) copied into
//! the final image.
use crate::rules::prelude::*;
use crate::rules::shared::wildcard;

pub(crate) static RULE: Rule = Rule {
    id: "docker/secret-file-copied",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/docker/secret-file-copied.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(last) = file.final_stage() else {
        return;
    };
    // A stage built `FROM <alias>` starts from that stage's files, so they ship too.
    let mut chain = file.chain(last);
    chain.reverse();
    for instr in chain.into_iter().flat_map(|stage| file.body(stage)) {
        if !matches!(instr.kind, Kind::Copy | Kind::Add) {
            continue;
        }
        let (sources, _) = instr.copy_sources();
        let extra = &cx.options().secret_file_patterns;
        let secret =
            |s: &&Spanned<String>| is_secret_file(&s.value) || matches_extra(&s.value, extra);
        for source in sources.iter().filter(secret) {
            cx.report(
                source.span,
                format!("secret file `{}` is copied into the final image", source.value),
            )
            .help("keep it out of the image: list it in `.dockerignore` and read it with `RUN --mount=type=secret` where it is needed");
        }
    }
}

/// Names of files that hold secrets, compared in lowercase.
const SECRET_NAMES: &[&str] = &[
    ".env",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    ".htpasswd",
    "credentials",
    "credentials.json",
    "kubeconfig",
    "secrets.yml",
    "secrets.yaml",
    "secrets.json",
    "secrets.env",
];

/// Extensions of key stores and private keys.
const SECRET_EXTENSIONS: &[&str] = &[".pem", ".key", ".p12", ".pfx", ".ppk", ".tfvars"];

/// Suffixes that mark a `.env.*` file as a template.
const TEMPLATE_SUFFIXES: &[&str] = &[".example", ".sample", ".template", ".dist"];

/// Words in the name of a `.pem` file that say it holds certificates, not a private key.
const CERTIFICATE_WORDS: &[&str] = &[
    "ca",
    "cacert",
    "cert",
    "certs",
    "certificate",
    "chain",
    "fullchain",
    "bundle",
    "pub",
    "public",
];

/// Whether a COPY/ADD source names a file that usually holds secrets.
fn is_secret_file(source: &str) -> bool {
    let path = source.trim_end_matches('/').to_ascii_lowercase();
    let name = path.rsplit('/').next().unwrap_or(&path);
    if name.ends_with(".pub") || name.ends_with(".crt") || name.ends_with(".cer") {
        return false;
    }
    if name.ends_with(".pem") && is_certificate_pem(name) {
        return false;
    }
    let dotenv = name.strip_prefix(".env.").is_some_and(|rest| {
        !rest.is_empty() && !TEMPLATE_SUFFIXES.iter().any(|s| name.ends_with(s))
    });
    let ssh_key = ["id_rsa", "id_ecdsa", "id_ed25519"]
        .iter()
        .any(|k| name.starts_with(k));
    let service_account = (name.contains("service-account") || name.contains("service_account"))
        && name.ends_with(".json");
    let in_dir = [".kube/config", ".docker/config.json"]
        .iter()
        .any(|p| path == *p || path.ends_with(&format!("/{p}")));
    SECRET_NAMES.contains(&name)
        || dotenv
        || SECRET_EXTENSIONS.iter().any(|e| name.ends_with(e))
        || ssh_key
        || service_account
        || name.contains(".tfstate")
        || in_dir
}

/// Whether a source matches one of `[options] secret-file-patterns`: compared in lowercase
/// with the file name, or with the end of the path when the pattern has a `/`.
fn matches_extra(source: &str, patterns: &[String]) -> bool {
    let path = source.trim_end_matches('/').to_ascii_lowercase();
    let path = path.trim_start_matches("./");
    let name = path.rsplit('/').next().unwrap_or(path);
    patterns.iter().any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        if pattern.contains('/') {
            let pattern = pattern.trim_start_matches('/');
            wildcard::matches(pattern, path)
                || path
                    .match_indices('/')
                    .any(|(at, _)| wildcard::matches(pattern, path.get(at + 1..).unwrap_or("")))
        } else {
            wildcard::matches(&pattern, name)
        }
    })
}

fn is_certificate_pem(name: &str) -> bool {
    let stem = name.strip_suffix(".pem").unwrap_or(name);
    stem.starts_with("cert")
        || stem
            .split(['-', '_', '.'])
            .any(|word| CERTIFICATE_WORDS.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::{is_secret_file, matches_extra};

    #[test]
    fn extra_patterns() {
        let extra = ["*.secret".to_string(), "config/prod/*.json".to_string()];
        assert!(matches_extra("app/db.SECRET", &extra));
        assert!(matches_extra("./config/prod/keys.json", &extra));
        assert!(matches_extra("src/config/prod/keys.json", &extra));
        assert!(!matches_extra("config/dev/keys.json", &extra));
        assert!(!matches_extra("secret.txt", &extra));
    }

    #[test]
    fn secret_file_names() {
        for path in [
            ".env",
            "./.env",
            "app/.env.production",
            ".env.local",
            "server.pem",
            "tls/privkey.pem",
            "signing.key",
            "store.p12",
            "store.pfx",
            "putty.ppk",
            "id_rsa",
            "/root/.ssh/id_ed25519",
            "id_ecdsa_deploy",
            ".npmrc",
            ".pypirc",
            ".netrc",
            ".git-credentials",
            ".htpasswd",
            "credentials",
            ".aws/credentials",
            "credentials.json",
            "gcp-service-account.json",
            "my_service_account_key.json",
            "kubeconfig",
            ".kube/config",
            "/home/app/.docker/config.json",
            "terraform.tfstate",
            "terraform.tfstate.backup",
            "prod.tfvars",
            "secrets.yml",
            "config/secrets.yaml",
            "secrets.json",
            "secrets.env",
            "*.pem",
            "Secrets.YML",
        ] {
            assert!(is_secret_file(path), "{path} should be a secret file");
        }
    }

    #[test]
    fn ordinary_file_names() {
        for path in [
            ".",
            "./",
            "src/",
            "app.py",
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            ".environment",
            "id_rsa.pub",
            "id_ed25519.pub",
            "server.crt",
            "ca.cer",
            "certs/ca.pem",
            "fullchain.pem",
            "cert.pem",
            "ca-bundle.pem",
            "server-cert.pem",
            "public.pem",
            "config",
            "config.json",
            "docker/config.json",
            "secrets/",
            "credentials.example",
            "package.json",
            "keys.txt",
        ] {
            assert!(!is_secret_file(path), "{path} should not be a secret file");
        }
    }
}
