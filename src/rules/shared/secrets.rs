//! Sensitive keys, references, placeholders and credential patterns.
//! Pure, allocation-light helpers: the key and value checks allocate nothing, and the
//! credential scanner makes one linear pass over the text.

use std::ops::Range;

use crate::rules::Ctx;
use crate::rules::options::Options;
use crate::rules::shared::wildcard;
use crate::source::Span;

// ---------------------------------------------------------------------------------------------
// Sensitive keys

/// Tokens that make a key sensitive wherever they appear.
const SENSITIVE_TOKENS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "bearer",
];

/// Adjacent token pairs that make a key sensitive.
const SENSITIVE_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("secret", "key"),
    ("private", "key"),
    ("client", "secret"),
    ("auth", "key"),
    ("auth", "token"),
    ("signing", "key"),
    ("encryption", "key"),
    ("master", "key"),
    ("session", "key"),
    ("account", "key"),
    ("shared", "key"),
    ("connection", "string"),
    ("conn", "str"),
    ("webhook", "url"),
];

/// A key ending in one of these names something about a secret, not the secret itself. The
/// built-in list, plus `spec`, `algorithm` and `usage`, which describe a key's kind
/// (`customer_master_key_spec`, `SIGNING_KEY_ALGORITHM`, `key_usage`), durations
/// (`secret_rotation_interval`), permission lists (`secret_permissions`), network settings
/// (`SECRET_PORT`) and settings blocks (`password_validation_policy_config`).
const NOT_SENSITIVE_LAST: &[&str] = &[
    "file",
    "path",
    "dir",
    "ref",
    "name",
    "id",
    "ids",
    "arn",
    "url",
    "uri",
    "endpoint",
    "length",
    "len",
    "min",
    "max",
    "size",
    "policy",
    "rotation",
    "ttl",
    "expiry",
    "enabled",
    "required",
    "type",
    "version",
    "header",
    "prefix",
    "mount",
    "mode",
    "count",
    "hash",
    "spec",
    "algorithm",
    "usage",
    "interval",
    "period",
    "timeout",
    "permissions",
    "permission",
    "port",
    "host",
    "config",
];

/// A key whose first token is one of these is a switch (`enable_random_password_special`,
/// `REQUIRE_PASSWORD`), whatever it is about.
const SWITCH_FIRST: &[&str] = &["enable", "disable", "allow", "require", "is", "has", "skip"];

/// A key with one of these tokens counts or bounds something (`maxToken`, `MIN_PASSWORD_AGE`).
const BOUND_TOKENS: &[&str] = &["max", "min", "num", "limit"];

/// After a leading `secret` (an app that prefixes all its settings with `SECRET_`), a key still
/// holds a secret when the rest is one of these words (`SECRET_VALUE`, `SECRET_SALT`).
const SECRET_HOLDERS: &[&str] = &[
    "value", "val", "string", "str", "salt", "seed", "code", "phrase", "word", "data",
];

/// Last tokens of a key that holds a user name.
const USER_TOKENS: &[&str] = &["user", "username", "login"];

/// The normalized tokens of a key, as slices of the key: split at every character that is not
/// an ASCII letter or digit, at lower-to-upper case changes (`secretKey`), before the last
/// capital of an acronym followed by a lowercase letter (`APIKey`), and between letters and
/// digits (`DB2Password`). Compare tokens with `eq_ignore_ascii_case`. Non-ASCII characters
/// count as lowercase letters.
pub(crate) fn key_tokens(key: &str) -> KeyTokens<'_> {
    KeyTokens { key, pos: 0 }
}

/// Iterator returned by [`key_tokens`].
#[derive(Clone, Debug)]
pub(crate) struct KeyTokens<'a> {
    key: &'a str,
    pos: usize,
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

impl<'a> Iterator for KeyTokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.key.as_bytes();
        while bytes.get(self.pos).is_some_and(|&b| !is_token_byte(b)) {
            self.pos += 1;
        }
        let start = self.pos;
        let first = *bytes.get(start)?;
        let mut prev = first;
        let mut end = start + 1;
        while let Some(&b) = bytes.get(end) {
            if !is_token_byte(b) {
                break;
            }
            let digit_change = prev.is_ascii_digit() != b.is_ascii_digit();
            let camel = prev.is_ascii_lowercase() && b.is_ascii_uppercase();
            let acronym_end = prev.is_ascii_uppercase()
                && b.is_ascii_uppercase()
                && bytes.get(end + 1).is_some_and(u8::is_ascii_lowercase);
            if digit_change || camel || acronym_end {
                break;
            }
            prev = b;
            end += 1;
        }
        self.pos = end;
        // Splits happen only next to ASCII bytes, so both ends are character boundaries.
        self.key.get(start..end)
    }
}

fn is_one_of(token: &str, list: &[&str]) -> bool {
    list.iter().any(|t| token.eq_ignore_ascii_case(t))
}

/// Whether a key (the last segment of its path: an env var name, a map key, an attribute
/// name) names a secret, by the sensitive-key list. Besides its tokens and pairs, a last token
/// `pass` or `pw` after another (`RABBITMQ_DEFAULT_PASS`, `ADMIN_PW`) and a token that ends in
/// `password` (`WEBPASSWORD`) name a password. A leading `secret` followed by other tokens is
/// read as an app's prefix (`SECRET_PORT`): the rest must name a secret on its own
/// (`SECRET_DB_PASSWORD`), pair with it (`SECRET_KEY`), or be a bare holder (`SECRET_VALUE`).
/// Switches (`enable_…`), bounds (`maxToken`) and the etcd bootstrap identifier
/// (`ETCD_INITIAL_CLUSTER_TOKEN`) are not secrets.
pub(crate) fn is_sensitive_key(key: &str) -> bool {
    if key == "PWD" || key == "OLDPWD" {
        return false;
    }
    let tokens: Vec<&str> = key_tokens(key).collect();
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return false;
    };
    let count = tokens.len();
    let ends_webhook_url = count >= 2
        && tokens
            .get(count - 2)
            .is_some_and(|p| p.eq_ignore_ascii_case("webhook"))
        && last.eq_ignore_ascii_case("url");
    if !ends_webhook_url && is_one_of(last, NOT_SENSITIVE_LAST) {
        return false;
    }
    if (count > 1 && is_one_of(first, SWITCH_FIRST))
        || tokens.iter().any(|t| is_one_of(t, BOUND_TOKENS))
        || ends_with_tokens(&tokens, &["initial", "cluster", "token"])
    {
        return false;
    }
    // `SECRET_PORT`: a leading `secret` is an app's prefix unless what follows names a secret.
    let prefixed = count > 1 && first.eq_ignore_ascii_case("secret");
    let from = usize::from(prefixed);
    let mut hit = false;
    let mut has_pwd = false;
    for (i, token) in tokens.iter().enumerate() {
        if i >= from && (is_one_of(token, SENSITIVE_TOKENS) || ends_in_password(token)) {
            hit = true;
        }
        if let Some(p) = i.checked_sub(1).and_then(|p| tokens.get(p)) {
            if SENSITIVE_PAIRS
                .iter()
                .any(|(a, b)| p.eq_ignore_ascii_case(a) && token.eq_ignore_ascii_case(b))
            {
                hit = true;
            }
        }
        has_pwd |= token.eq_ignore_ascii_case("pwd") || token.eq_ignore_ascii_case("pw");
    }
    if prefixed && count == 2 && is_one_of(last, SECRET_HOLDERS) {
        hit = true;
    }
    let ends_pass = last.eq_ignore_ascii_case("pass");
    hit || (count > 1 && (has_pwd || ends_pass))
}

/// Whether the tokens end with `tail` (compared without case).
fn ends_with_tokens(tokens: &[&str], tail: &[&str]) -> bool {
    tokens.len() >= tail.len()
        && tokens
            .iter()
            .rev()
            .zip(tail.iter().rev())
            .all(|(t, w)| t.eq_ignore_ascii_case(w))
}

/// A single token that ends in `password` or `passwd` (`WEBPASSWORD`, `rootpasswd`).
fn ends_in_password(token: &str) -> bool {
    ["password", "passwd"].iter().any(|w| {
        token.len() > w.len()
            && token
                .get(token.len() - w.len()..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(w))
    })
}

/// Whether `user_key` holds the user name that goes with the secret under `secret_key`: its
/// tokens are a prefix shared with the secret key followed by `user`, `username`, `login` or
/// `user name` (`POSTGRES_USER` for `POSTGRES_PASSWORD`, `USER` for `PASSWORD`).
pub(crate) fn is_user_key_for(user_key: &str, secret_key: &str) -> bool {
    let user: Vec<&str> = key_tokens(user_key).collect();
    let prefix_len = match user.as_slice() {
        [.., a, b] if a.eq_ignore_ascii_case("user") && b.eq_ignore_ascii_case("name") => {
            user.len() - 2
        }
        [.., last] if is_one_of(last, USER_TOKENS) => user.len() - 1,
        _ => return false,
    };
    let Some(prefix) = user.get(..prefix_len) else {
        return false;
    };
    let mut secret = key_tokens(secret_key);
    prefix
        .iter()
        .all(|p| secret.next().is_some_and(|s| s.eq_ignore_ascii_case(p)))
}

/// Whether `key` is the identifier half of an access/secret key pair written beside it:
/// `MINIO_ACCESS_KEY` next to `MINIO_SECRET_KEY`, like AWS's access key ID next to its secret
/// access key. The identifier names the account; the secret key is the secret.
pub(crate) fn is_access_key_id<'a>(key: &str, siblings: impl IntoIterator<Item = &'a str>) -> bool {
    let tokens: Vec<&str> = key_tokens(key).collect();
    if !ends_with_tokens(&tokens, &["access", "key"]) {
        return false;
    }
    let prefix = tokens.get(..tokens.len() - 2).unwrap_or(&[]);
    siblings.into_iter().any(|sibling| {
        let other: Vec<&str> = key_tokens(sibling).collect();
        let tail: &[&str] = if ends_with_tokens(&other, &["secret", "access", "key"]) {
            &["secret", "access", "key"]
        } else if ends_with_tokens(&other, &["secret", "key"]) {
            &["secret", "key"]
        } else {
            return false;
        };
        other.len() == prefix.len() + tail.len()
            && prefix
                .iter()
                .zip(other.iter())
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    })
}

/// Whether a literal password is the user name set beside it (`POSTGRES_USER=app`,
/// `POSTGRES_PASSWORD=app`).
pub(crate) fn is_same_as_user(password: &str, user: &str) -> bool {
    let password = password.trim();
    !password.is_empty() && password.eq_ignore_ascii_case(user.trim())
}

// ---------------------------------------------------------------------------------------------
// Values

/// What a value written for a key is, for the hardcoded-secret rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// Nothing but whitespace.
    Empty,
    /// A switch such as `true` or `off` (`REQUIRE_PASSWORD=true`).
    Flag,
    /// Interpolation, a mounted secret file, a secret-manager locator or ciphertext.
    Reference,
    /// A stand-in such as `<token>`, `xxxx`, `your_api_key` or `YourApiToken`.
    Placeholder,
    /// The path of a file that holds the secret (`/etc/ssl/private.pem`, `./key.json`): the
    /// setting names where the secret is, it does not hold it.
    FilePath,
    /// A value written in the file; `well_known` when it is a default everyone tries.
    Literal { well_known: bool },
}

const FLAG_WORDS: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "null", "none", "~",
];

const PLACEHOLDER_WORDS: &[&str] = &[
    "replace_me",
    "replaceme",
    "todo",
    "fixme",
    "placeholder",
    "dummy",
    "example",
    "sample",
    "redacted",
];

const PLACEHOLDER_PREFIXES: &[&str] = &["replace-with-", "your_", "your-", "not-a-real-"];

const WELL_KNOWN_DEFAULTS: &[&str] = &[
    "password",
    "passw0rd",
    "changeme",
    "change_me",
    "changeit",
    "secret",
    "admin",
    "administrator",
    "root",
    "toor",
    "postgres",
    "mysql",
    "guest",
    "letmein",
    "123456",
    "12345678",
    "qwerty",
    "default",
    "test",
];

/// Prefixes of secret-manager locators.
const MANAGER_PREFIXES: &[&str] = &[
    "vault:",
    "arn:aws:secretsmanager:",
    "arn:aws:ssm:",
    "ssm:",
    "op://",
    "sm://",
];

/// Directories secrets are mounted under.
const SECRET_DIRS: &[&str] = &["/run/secrets/", "/etc/secrets/"];

/// Classify a value (already unquoted) written for a key. One pair of quotes left around the
/// value (`POSTGRES_PASSWORD=""` in a compose list) is not part of it. The placeholders and
/// reference prefixes of `[options]` count as the built-in ones do.
pub(crate) fn classify_value(value: &str, options: &Options) -> Value {
    let value = unquote(value.trim()).trim();
    match classify_builtin(value) {
        Value::Literal { .. } | Value::FilePath if is_configured_reference(value, options) => {
            Value::Reference
        }
        Value::Literal { .. } | Value::FilePath if is_configured_placeholder(value, options) => {
            Value::Placeholder
        }
        other => other,
    }
}

/// Whether a value starts with one of the `secret-reference-prefixes` of `[options]`, compared
/// case-insensitively as the built-in prefixes are.
pub(crate) fn is_configured_reference(value: &str, options: &Options) -> bool {
    let value = unquote(value.trim()).trim();
    options
        .secret_reference_prefixes
        .iter()
        .any(|p| !p.is_empty() && starts_with_ignore_case(value, p))
}

/// Whether a value is one of the `placeholder-values` of `[options]`: compared
/// case-insensitively, a `*` matching any run of characters.
pub(crate) fn is_configured_placeholder(value: &str, options: &Options) -> bool {
    if options.placeholder_values.is_empty() {
        return false;
    }
    let value = unquote(value.trim()).trim().to_lowercase();
    !value.is_empty()
        && options
            .placeholder_values
            .iter()
            .any(|p| wildcard::matches(&p.trim().to_lowercase(), &value))
}

/// [`classify_value`] with the built-in lists only, for the credential scanner: what the
/// configuration adds is applied to its matches afterwards.
fn classify_builtin(value: &str) -> Value {
    let value = unquote(value.trim()).trim();
    if value.is_empty() {
        Value::Empty
    } else if is_one_of(value, FLAG_WORDS) {
        Value::Flag
    } else if is_reference(value) {
        Value::Reference
    } else if is_placeholder(value) {
        Value::Placeholder
    } else if is_file_path(value) {
        Value::FilePath
    } else {
        Value::Literal {
            well_known: is_well_known_default(value),
        }
    }
}

/// The text inside one pair of matching quotes, or the text itself.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// Extensions of files that hold keys, certificates, keystores and credentials.
const KEY_FILE_EXTENSIONS: &[&str] = &[
    "pem",
    "key",
    "json",
    "p12",
    "pfx",
    "crt",
    "cer",
    "der",
    "jks",
    "keystore",
    "ppk",
    "pub",
    "asc",
    "gpg",
    "txt",
    "kdbx",
    "yaml",
    "yml",
    "env",
    "conf",
    "cfg",
    "ini",
    "properties",
];

/// Whether a value is the path of a file rather than a secret: an absolute, home or relative
/// path (`/tmp/key.json`, `~/.ssh/id_ed25519`, `./certs/private.pem`) or a file name with a
/// key file's extension (`private.pem`), with no spaces and no URL scheme.
pub(crate) fn is_file_path(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() || value.contains("://") || value.bytes().any(|b| b.is_ascii_whitespace()) {
        return false;
    }
    let windows = value.len() > 3
        && value
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
        && value.get(1..3).is_some_and(|s| s == ":\\" || s == ":/");
    let body = if windows {
        value.get(3..).unwrap_or("")
    } else {
        ["/", "./", "../", "~/"]
            .iter()
            .find_map(|p| value.strip_prefix(p))
            .unwrap_or(value)
    };
    let rooted = windows || body.len() < value.len();
    let segments: Vec<&str> = body.split(['/', '\\']).collect();
    let plain = segments.iter().all(|seg| {
        seg.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-@+".contains(&b))
    }) && segments.last().is_some_and(|s| !s.is_empty());
    if !plain {
        return false;
    }
    let extension = segments
        .last()
        .and_then(|name| name.rsplit_once('.'))
        .is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && KEY_FILE_EXTENSIONS
                    .iter()
                    .any(|e| ext.eq_ignore_ascii_case(e))
        });
    extension || (rooted && segments.len() >= 2)
}

/// The byte range, in `value`, of a literal default written into an interpolation
/// (`${DB_PASSWORD:-hunter2}`, `${DB_PASSWORD-hunter2}`, `${X:=y}`): the value used when the
/// variable is unset, which a pure reference does not have. Defaults that are empty, flags,
/// references or placeholders are not literal. The first literal default is returned.
pub(crate) fn literal_default(value: &str, options: &Options) -> Option<Range<usize>> {
    let bytes = value.as_bytes();
    let mut i = 0;
    while let Some(at) = value.get(i..).and_then(|rest| rest.find("${")) {
        let start = i + at + 2;
        let mut name_end = start;
        while bytes
            .get(name_end)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        {
            name_end += 1;
        }
        i = name_end.max(start + 1);
        if name_end == start {
            continue;
        }
        let mut op = name_end;
        if bytes.get(op) == Some(&b':') {
            op += 1;
        }
        if !matches!(bytes.get(op), Some(b'-' | b'=')) {
            continue;
        }
        let word = op + 1;
        let Some(close) = value.get(word..).and_then(|rest| rest.find('}')) else {
            continue;
        };
        let end = word + close;
        i = end;
        let Some(text) = value.get(word..end) else {
            continue;
        };
        if matches!(classify_value(text, options), Value::Literal { .. }) {
            return Some(word..end);
        }
    }
    None
}

/// The finding for a literal default written into an interpolation of `value` under `key`
/// (`${DB_PASSWORD:-hunter2}`): its message, and whether it is critical. A default that looks
/// generated is a secret written in the file (critical); a word or a well-known default is a
/// weak fallback (warning).
pub(crate) fn literal_default_finding(key: &str, value: &str, default: &str) -> (String, bool) {
    let var = interpolated_names(value)
        .first()
        .map_or_else(|| key.to_string(), |v| (*v).to_string());
    if looks_generated(default) {
        (
            format!("`{key}` falls back to a secret written in the file when `{var}` is unset"),
            true,
        )
    } else if is_well_known_default(default) {
        (
            format!("`{key}` falls back to a well-known default value when `{var}` is unset"),
            false,
        )
    } else {
        (
            format!("`{key}` falls back to a literal default value when `{var}` is unset"),
            false,
        )
    }
}

/// Whether a literal looks like a generated password rather than a word: at least 8
/// characters and three of lowercase letters, capitals, digits and other characters, or at
/// least 16 characters mixing letters and digits.
pub(crate) fn looks_generated(value: &str) -> bool {
    let value = unquote(value.trim());
    let lower = value.bytes().any(|b| b.is_ascii_lowercase());
    let upper = value.bytes().any(|b| b.is_ascii_uppercase());
    let digit = value.bytes().any(|b| b.is_ascii_digit());
    let other = value.bytes().any(|b| !b.is_ascii_alphanumeric());
    let classes = [lower, upper, digit, other].iter().filter(|c| **c).count();
    (value.len() >= 8 && classes >= 3) || (value.len() >= 16 && (lower || upper) && digit)
}

/// Whether a value is wholly or partly a reference to a secret kept elsewhere.
pub(crate) fn is_reference(value: &str) -> bool {
    let value = value.trim();
    has_interpolation(value)
        || SECRET_DIRS.iter().any(|d| value.contains(d))
        || value.starts_with("%d/")
        || MANAGER_PREFIXES
            .iter()
            .any(|p| starts_with_ignore_case(value, p))
        || is_gcp_secret_path(value)
        || value.starts_with("ENC[AES256_GCM,")
}

/// `${NAME…}`, `$NAME`, `$(NAME)` or `{{ … }}`; `$$` is an escaped dollar.
fn has_interpolation(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'$' => match bytes.get(i + 1) {
                Some(b'$') => i += 2,
                Some(b'{' | b'(') => {
                    if bytes
                        .get(i + 2)
                        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
                    {
                        return true;
                    }
                    i += 2;
                }
                Some(&c) if c.is_ascii_alphabetic() || c == b'_' => return true,
                _ => i += 1,
            },
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                return value.get(i + 2..).is_some_and(|rest| rest.contains("}}"));
            }
            _ => i += 1,
        }
    }
    false
}

/// The variable names a value interpolates with `$NAME` or `${NAME…}`, in order (`$$` is an
/// escaped dollar).
pub(crate) fn interpolated_names(value: &str) -> Vec<&str> {
    let bytes = value.as_bytes();
    let is_start = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'$' {
            i += 1;
            continue;
        }
        let start = match bytes.get(i + 1) {
            Some(b'$') => {
                i += 2;
                continue;
            }
            Some(b'{') => i + 2,
            _ => i + 1,
        };
        if !bytes.get(start).copied().is_some_and(is_start) {
            i = start;
            continue;
        }
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
        {
            end += 1;
        }
        if let Some(name) = value.get(start..end) {
            out.push(name);
        }
        i = end;
    }
    out
}

/// `projects/<project>/secrets/<name>…` (Google Secret Manager).
fn is_gcp_secret_path(value: &str) -> bool {
    let mut parts = value.split('/');
    parts.next() == Some("projects")
        && parts.next().is_some_and(|p| !p.is_empty())
        && parts.next() == Some("secrets")
        && parts.next().is_some_and(|p| !p.is_empty())
}

fn starts_with_ignore_case(value: &str, prefix: &str) -> bool {
    value
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Whether a value is a stand-in that nobody uses as a real secret.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() {
        return false;
    }
    let wrapped = |open: &str, close: &str| {
        value.len() >= open.len() + close.len() && value.starts_with(open) && value.ends_with(close)
    };
    wrapped("<", ">")
        || wrapped("[[", "]]")
        || wrapped("%", "%")
        || value.bytes().all(|b| b"*xX.-_".contains(&b))
        || is_one_of(value, PLACEHOLDER_WORDS)
        || PLACEHOLDER_PREFIXES
            .iter()
            .any(|p| value.len() > p.len() && starts_with_ignore_case(value, p))
        || is_your_word(value)
}

/// `YourApiToken`, `YourSlackSigningSecret`, `yourpassword`: `your` glued to a capitalised word
/// or to the name of a secret, letters and digits only.
fn is_your_word(value: &str) -> bool {
    if !starts_with_ignore_case(value, "your") {
        return false;
    }
    let Some(rest) = value.get(4..) else {
        return false;
    };
    !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        && (rest.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
            || [
                "password", "passwd", "pass", "token", "secret", "key", "apikey",
            ]
            .iter()
            .any(|w| rest.to_ascii_lowercase().contains(w)))
}

/// Whether a literal is a default password everyone tries first.
pub(crate) fn is_well_known_default(value: &str) -> bool {
    is_one_of(value.trim(), WELL_KNOWN_DEFAULTS)
}

// ---------------------------------------------------------------------------------------------
// Credential patterns

pub(crate) const AWS_ACCESS_KEY_ID: &str = "AWS access key ID";
pub(crate) const AWS_SECRET_ACCESS_KEY: &str = "AWS secret access key";
pub(crate) const PRIVATE_KEY: &str = "private key";
pub(crate) const PUTTY_PRIVATE_KEY: &str = "PuTTY private key";
pub(crate) const JSON_WEB_TOKEN: &str = "JSON Web Token";
pub(crate) const URL_CREDENTIALS: &str = "credentials in a URL";
pub(crate) const CONNECTION_STRING_PASSWORD: &str = "password in a connection string";
pub(crate) const OPTION_PASSWORD: &str = "password in a command-line option";
pub(crate) const SLACK_WEBHOOK: &str = "Slack webhook URL";
pub(crate) const DISCORD_WEBHOOK: &str = "Discord webhook URL";
pub(crate) const SENDGRID_KEY: &str = "SendGrid API key";

/// A credential found in a text: which detector matched, and the byte range to mask (the whole
/// token, or only the password of a URL or connection string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Credential {
    pub(crate) detector: &'static str,
    pub(crate) range: Range<usize>,
}

/// The indefinite article that goes before a detector name in a message: `"a "`, `"an "` or
/// `""` for plurals (`credentials in a URL`).
pub(crate) fn article(detector: &str) -> &'static str {
    if detector.starts_with("credentials") {
        ""
    } else if detector.starts_with("npm")
        || detector
            .bytes()
            .next()
            .is_some_and(|b| b"AEIOUaeiou".contains(&b))
    {
        "an "
    } else {
        "a "
    }
}

/// The message of a credential found by its pattern inside the value of `place` (a key, an
/// instruction, a field): "`place` contains a GitHub token".
pub(crate) fn credential_message(place: &str, detector: &str) -> String {
    format!("`{place}` contains {}{detector}", article(detector))
}

/// Report one credential found by its pattern inside the value of `place`, masked.
pub(crate) fn report_credential(
    cx: &mut Ctx,
    place: &str,
    detector: &str,
    span: Span,
    help: &'static str,
) {
    cx.report(span, credential_message(place, detector))
        .help(help)
        .mask(span);
}

/// Report every credential pattern of `text`, the value of `place`. `at` places a match (a
/// byte range of `text`) in the file, or returns `None` to leave it out (a span already
/// reported).
pub(crate) fn report_credentials(
    cx: &mut Ctx,
    place: &str,
    text: &str,
    help: &'static str,
    mut at: impl FnMut(&Ctx, Range<usize>) -> Option<Span>,
) {
    for found in find_credentials(text, cx.options()) {
        if let Some(span) = at(cx, found.range) {
            report_credential(cx, place, found.detector, span, help);
        }
    }
}

/// Which bytes may continue a vendor token after its prefix.
#[derive(Clone, Copy, Debug)]
enum Alphabet {
    /// `[A-Za-z0-9]`
    Alnum,
    /// `[A-Za-z0-9_]`
    AlnumUnderscore,
    /// `[A-Za-z0-9-]`
    AlnumDash,
    /// `[A-Za-z0-9_-]`
    Base64Url,
}

impl Alphabet {
    fn contains(self, b: u8) -> bool {
        b.is_ascii_alphanumeric()
            || match self {
                Alphabet::Alnum => false,
                Alphabet::AlnumUnderscore => b == b'_',
                Alphabet::AlnumDash => b == b'-',
                Alphabet::Base64Url => b == b'_' || b == b'-',
            }
    }
}

/// A vendor token: a fixed prefix and at least `min` bytes of its alphabet.
struct VendorToken {
    prefix: &'static str,
    alphabet: Alphabet,
    min: usize,
    detector: &'static str,
}

const fn vendor(
    prefix: &'static str,
    alphabet: Alphabet,
    min: usize,
    detector: &'static str,
) -> VendorToken {
    VendorToken {
        prefix,
        alphabet,
        min,
        detector,
    }
}

/// The vendor token table. Webhook URLs and SendGrid keys have their own scanners.
const VENDOR_TOKENS: &[VendorToken] = &[
    vendor("ghp_", Alphabet::Alnum, 36, "GitHub token"),
    vendor("gho_", Alphabet::Alnum, 36, "GitHub token"),
    vendor("ghu_", Alphabet::Alnum, 36, "GitHub token"),
    vendor("ghs_", Alphabet::Alnum, 36, "GitHub token"),
    vendor("ghr_", Alphabet::Alnum, 36, "GitHub token"),
    vendor("github_pat_", Alphabet::AlnumUnderscore, 82, "GitHub token"),
    vendor("glpat-", Alphabet::Base64Url, 20, "GitLab token"),
    vendor("xoxa-", Alphabet::AlnumDash, 10, "Slack token"),
    vendor("xoxb-", Alphabet::AlnumDash, 10, "Slack token"),
    vendor("xoxp-", Alphabet::AlnumDash, 10, "Slack token"),
    vendor("xoxr-", Alphabet::AlnumDash, 10, "Slack token"),
    vendor("xoxs-", Alphabet::AlnumDash, 10, "Slack token"),
    vendor("sk_live_", Alphabet::Alnum, 20, "Stripe secret key"),
    vendor("rk_live_", Alphabet::Alnum, 20, "Stripe restricted key"),
    vendor("AIza", Alphabet::Base64Url, 35, "Google API key"),
    vendor("npm_", Alphabet::Alnum, 36, "npm token"),
    vendor("dckr_pat_", Alphabet::Base64Url, 27, "Docker Hub token"),
    vendor("hvs.", Alphabet::Base64Url, 24, "Vault token"),
    vendor("hvb.", Alphabet::Base64Url, 24, "Vault token"),
    vendor("sk-proj-", Alphabet::Base64Url, 20, "OpenAI API key"),
    vendor("sk-ant-", Alphabet::Base64Url, 20, "Anthropic API key"),
];

/// Scanners that keep a floor (see [`Scan::floors`]) besides the vendor tokens.
const FLOOR_PASSWORD_PARAM: usize = VENDOR_TOKENS.len();
const FLOOR_COUNT: usize = VENDOR_TOKENS.len() + 1;

/// State of one pass of [`scan_credentials`].
struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Per scanner, the offset before which it does not try again: a failed attempt read a
    /// run up to there, and any later start inside that run would read a shorter run and fail
    /// too. This keeps the pass linear on adversarial input.
    floors: [usize; FLOOR_COUNT],
    /// For `"`, `'` and `}`: an offset from which the text holds none of that byte, once a
    /// search has found out, so unclosed quotes are searched for only once.
    unclosed: [usize; 3],
}

/// A match: the credential and where scanning resumes.
struct Hit {
    credential: Credential,
    resume: usize,
}

fn hit(detector: &'static str, range: Range<usize>, resume: usize) -> Option<Hit> {
    Some(Hit {
        credential: Credential { detector, range },
        resume,
    })
}

/// Find the credential patterns in a text, in order, without overlaps, leaving out those whose
/// secret part is a placeholder or a reference of `[options]`. Linear in the
/// length of the text.
pub(crate) fn find_credentials(text: &str, options: &Options) -> Vec<Credential> {
    let mut found = scan_credentials(text);
    if !options.placeholder_values.is_empty() || !options.secret_reference_prefixes.is_empty() {
        found.retain(|c| {
            text.get(c.range.clone()).is_none_or(|secret| {
                !is_configured_placeholder(secret, options)
                    && !is_configured_reference(secret, options)
            })
        });
    }
    found
}

/// The credential patterns of a text with the built-in placeholders and references only: what
/// a text that did not parse is masked by, whatever the configuration, so that no setting can
/// unmask it.
pub(crate) fn scan_credentials(text: &str) -> Vec<Credential> {
    let mut scan = Scan {
        text,
        bytes: text.as_bytes(),
        floors: [0; FLOOR_COUNT],
        unclosed: [usize::MAX; 3],
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < scan.bytes.len() {
        match scan.at(i) {
            Some(found) => {
                i = found.resume.max(i + 1);
                out.push(found.credential);
            }
            None => i += 1,
        }
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_base64url_byte(b: u8) -> bool {
    Alphabet::Base64Url.contains(b)
}

impl Scan<'_> {
    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn starts_with(&self, i: usize, prefix: &str) -> bool {
        self.bytes
            .get(i..)
            .is_some_and(|rest| rest.starts_with(prefix.as_bytes()))
    }

    /// The end of the run of bytes satisfying `keep` that starts at `i`.
    fn run_end(&self, i: usize, keep: impl Fn(u8) -> bool) -> usize {
        let mut end = i;
        while self.byte(end).is_some_and(&keep) {
            end += 1;
        }
        end
    }

    fn preceded_by(&self, i: usize, pred: impl Fn(u8) -> bool) -> bool {
        i.checked_sub(1)
            .and_then(|p| self.byte(p))
            .is_some_and(pred)
    }

    fn at(&mut self, i: usize) -> Option<Hit> {
        match self.byte(i)? {
            b'A' => self.aws_key_id(i).or_else(|| self.vendor_token(i)),
            b'e' => self.jwt(i),
            b'-' => self.private_key(i),
            b'P' => self.putty_key(i).or_else(|| self.password_param(i)),
            b'p' => self.password_param(i),
            b':' => self.url_credentials(i),
            b'h' => self
                .webhook(i)
                .or_else(|| self.discord_webhook(i))
                .or_else(|| self.vendor_token(i)),
            b'S' => self.sendgrid(i),
            _ => self.vendor_token(i),
        }
    }

    /// V1: `(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}` between word boundaries.
    fn aws_key_id(&self, i: usize) -> Option<Hit> {
        if self.preceded_by(i, is_word_byte) {
            return None;
        }
        let known = ["AKIA", "ASIA", "ABIA", "ACCA"]
            .iter()
            .any(|p| self.starts_with(i, p))
            || (self.starts_with(i, "A3T")
                && self
                    .byte(i + 3)
                    .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        if !known {
            return None;
        }
        let end = i + 20;
        let body = self.bytes.get(i..end)?;
        if !body
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            || self.byte(end).is_some_and(is_word_byte)
            || body.ends_with(b"EXAMPLE")
        {
            return None;
        }
        hit(AWS_ACCESS_KEY_ID, i..end, end)
    }

    /// V5: a prefix from the table followed by enough bytes of its alphabet.
    fn vendor_token(&mut self, i: usize) -> Option<Hit> {
        let first = self.byte(i)?;
        if self.preceded_by(i, |b| b.is_ascii_alphanumeric()) {
            return None;
        }
        for (index, token) in VENDOR_TOKENS.iter().enumerate() {
            if token.prefix.as_bytes().first() != Some(&first)
                || i < self.floors.get(index).copied().unwrap_or(0)
                || !self.starts_with(i, token.prefix)
            {
                continue;
            }
            let body = i + token.prefix.len();
            let end = self.run_end(body, |b| token.alphabet.contains(b));
            let placeholder = self.text.get(body..end).is_some_and(is_placeholder);
            if end - body >= token.min && !placeholder {
                return hit(token.detector, i..end, end);
            }
            if let Some(floor) = self.floors.get_mut(index) {
                *floor = end;
            }
        }
        None
    }

    /// V4: three base64url parts, the first two starting `eyJ` (`{"`), the first decoding to a
    /// JSON object with an `alg`.
    fn jwt(&self, i: usize) -> Option<Hit> {
        if self.preceded_by(i, is_base64url_byte) {
            return None;
        }
        let part = |start: usize, jwt_json: bool| -> Option<usize> {
            if jwt_json && !self.starts_with(start, "eyJ") {
                return None;
            }
            let end = self.run_end(start, is_base64url_byte);
            let min = if jwt_json { 11 } else { 8 };
            (end - start >= min).then_some(end)
        };
        let header_end = part(i, true)?;
        if self.byte(header_end) != Some(b'.') {
            return None;
        }
        let payload_end = part(header_end + 1, true)?;
        if self.byte(payload_end) != Some(b'.') {
            return None;
        }
        let end = part(payload_end + 1, false)?;
        let header = self.bytes.get(i..header_end)?;
        if !is_jwt_header(header) {
            return None;
        }
        hit(JSON_WEB_TOKEN, i..end, end)
    }

    /// V3: a private key block, masked from its header to its footer (or to the end of the
    /// text when the footer is missing).
    fn private_key(&self, i: usize) -> Option<Hit> {
        const BEGIN: &str = "-----BEGIN ";
        if !self.starts_with(i, BEGIN) {
            return None;
        }
        let mut at = i + BEGIN.len();
        for kind in ["RSA ", "EC ", "DSA ", "OPENSSH ", "PGP ", "ENCRYPTED "] {
            if self.starts_with(at, kind) {
                at += kind.len();
                break;
            }
        }
        if !self.starts_with(at, "PRIVATE KEY") {
            return None;
        }
        at += "PRIVATE KEY".len();
        if self.starts_with(at, " BLOCK") {
            at += " BLOCK".len();
        }
        if !self.starts_with(at, "-----") {
            return None;
        }
        at += "-----".len();
        let end = self
            .find_from(at, "-----END ")
            .and_then(|footer| self.find_from(footer + "-----END ".len(), "-----"))
            .map_or(self.bytes.len(), |close| close + "-----".len());
        hit(PRIVATE_KEY, i..end, end)
    }

    /// V3: a PuTTY key file, masked up to the end of its `Private-MAC` line.
    fn putty_key(&self, i: usize) -> Option<Hit> {
        if !self.starts_with(i, "PuTTY-User-Key-File-") {
            return None;
        }
        let end = self
            .find_from(i, "Private-MAC:")
            .map_or(self.bytes.len(), |mac| {
                self.run_end(mac, |b| b != b'\n' && b != b'\r')
            });
        hit(PUTTY_PRIVATE_KEY, i..end, end)
    }

    /// Whether the closing byte for `open` occurs at or after `from`.
    fn closes(&mut self, open: u8, from: usize) -> bool {
        let slot = match open {
            b'"' => 0,
            b'\'' => 1,
            _ => 2,
        };
        let close = closing_byte(open);
        let known = self.unclosed.get(slot).copied().unwrap_or(usize::MAX);
        if from >= known {
            return false;
        }
        if self
            .bytes
            .get(from..)
            .is_some_and(|rest| rest.contains(&close))
        {
            return true;
        }
        if let Some(s) = self.unclosed.get_mut(slot) {
            *s = from;
        }
        false
    }

    fn find_from(&self, from: usize, needle: &str) -> Option<usize> {
        self.text.get(from..)?.find(needle).map(|at| at + from)
    }

    /// V5: `https://hooks.slack.com/services/T…/B…/…`.
    fn webhook(&self, i: usize) -> Option<Hit> {
        const PREFIX: &str = "https://hooks.slack.com/services/";
        if !self.starts_with(i, PREFIX) {
            return None;
        }
        let team = i + PREFIX.len();
        let team_end = self.run_end(team, |b| b.is_ascii_alphanumeric());
        if self.byte(team) != Some(b'T') || self.byte(team_end) != Some(b'/') {
            return None;
        }
        let bot = team_end + 1;
        let bot_end = self.run_end(bot, |b| b.is_ascii_alphanumeric());
        if self.byte(bot) != Some(b'B') || self.byte(bot_end) != Some(b'/') {
            return None;
        }
        let secret = bot_end + 1;
        let end = self.run_end(secret, |b| b.is_ascii_alphanumeric());
        let body = self.text.get(secret..end)?;
        if body.len() < 8 || is_placeholder(body) {
            return None;
        }
        hit(SLACK_WEBHOOK, i..end, end)
    }

    /// V5: `https://discord.com/api/webhooks/<id>/<token>` (or `discordapp.com`).
    fn discord_webhook(&self, i: usize) -> Option<Hit> {
        let prefix = [
            "https://discord.com/api/webhooks/",
            "https://discordapp.com/api/webhooks/",
        ]
        .into_iter()
        .find(|p| self.starts_with(i, p))?;
        let id = i + prefix.len();
        let id_end = self.run_end(id, |b| b.is_ascii_digit());
        if id_end == id || self.byte(id_end) != Some(b'/') {
            return None;
        }
        let token = id_end + 1;
        let end = self.run_end(token, is_base64url_byte);
        let body = self.text.get(token..end)?;
        if body.len() < 20 || is_placeholder(body) {
            return None;
        }
        hit(DISCORD_WEBHOOK, i..end, end)
    }

    /// V5: `SG.` + 22 + `.` + 43 bytes of `[A-Za-z0-9_-]`.
    fn sendgrid(&self, i: usize) -> Option<Hit> {
        if !self.starts_with(i, "SG.") || self.preceded_by(i, |b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let first = i + 3;
        let first_end = self.run_end(first, is_base64url_byte);
        if first_end - first != 22 || self.byte(first_end) != Some(b'.') {
            return None;
        }
        let end = self.run_end(first_end + 1, is_base64url_byte);
        if end - (first_end + 1) < 43 {
            return None;
        }
        hit(SENDGRID_KEY, i..end, end)
    }

    /// V6: `scheme://user:password@` with a literal password (the user may be empty, as in
    /// `redis://:password@`); only the password is masked. When the password is itself a vendor token, that detector names it.
    fn url_credentials(&mut self, i: usize) -> Option<Hit> {
        if !self.starts_with(i, "://") {
            return None;
        }
        let mut scheme = i;
        while scheme > 0
            && i - scheme < 64
            && self
                .byte(scheme - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
        {
            scheme -= 1;
        }
        if !self
            .bytes
            .get(scheme..i)?
            .iter()
            .any(u8::is_ascii_alphabetic)
        {
            return None;
        }
        let user = i + 3;
        let user_end = self.run_end(user, |b| !b"/:@".contains(&b) && !b.is_ascii_whitespace());
        if self.byte(user_end) != Some(b':') {
            return None;
        }
        let password = user_end + 1;
        let end = self.run_end(password, |b| {
            !b"/@".contains(&b) && !b.is_ascii_whitespace()
        });
        if end == password || self.byte(end) != Some(b'@') {
            return None;
        }
        let value = self.text.get(password..end)?;
        if !matches!(classify_builtin(value), Value::Literal { .. }) {
            return None;
        }
        // `postgresql://username:password@host/dbname`: a template that names its parts.
        let user_name = self.text.get(user..user_end).unwrap_or("");
        if is_one_of(user_name, &["user", "username", "usr", "login"])
            && is_one_of(value, &["password", "pass", "passwd", "pwd", "secret"])
        {
            return None;
        }
        let detector = self
            .vendor_token(password)
            .filter(|h| h.credential.range.end == end)
            .map_or(URL_CREDENTIALS, |h| h.credential.detector);
        hit(detector, password..end, end + 1)
    }

    /// V6: `password=`, `passwd=` or `pwd=` with a literal value, as a parameter of a JDBC,
    /// ODBC or libpq connection string or as a `--password=` option; only the value is masked.
    fn password_param(&mut self, i: usize) -> Option<Hit> {
        if i < self.floors.get(FLOOR_PASSWORD_PARAM).copied().unwrap_or(0) {
            return None;
        }
        let name = ["password=", "passwd=", "pwd="].into_iter().find(|n| {
            self.bytes
                .get(i..i + n.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(n.as_bytes()))
        })?;
        let detector = match i.checked_sub(1).and_then(|p| self.byte(p)) {
            None => CONNECTION_STRING_PASSWORD,
            Some(b';' | b'?' | b'&' | b'"' | b'\'') => CONNECTION_STRING_PASSWORD,
            Some(b) if b.is_ascii_whitespace() => CONNECTION_STRING_PASSWORD,
            Some(b'-') if i >= 2 && self.byte(i - 2) == Some(b'-') => OPTION_PASSWORD,
            _ => return None,
        };
        let start = i + name.len();
        let (value, resume) = match self.byte(start) {
            Some(open @ (b'"' | b'\'' | b'{')) if self.closes(open, start + 1) => {
                let end = self.run_end(start + 1, |b| b != closing_byte(open));
                (start + 1..end, end + 1)
            }
            _ => {
                let end = self.run_end(start, |b| {
                    !b";&\"'`)".contains(&b) && !b.is_ascii_whitespace()
                });
                (start..end, end)
            }
        };
        if let Some(floor) = self.floors.get_mut(FLOOR_PASSWORD_PARAM) {
            *floor = resume;
        }
        let text = self.text.get(value.clone())?;
        if !matches!(classify_builtin(text), Value::Literal { .. })
            || self.byte(value.end) == Some(b'(')
            || is_code(text)
        {
            return None;
        }
        hit(detector, value, resume)
    }
}

/// Whether the value of a `password=` parameter is code that reads the secret from elsewhere
/// (`os.getenv("PASSWORD")`, `os.environ["PASSWORD"]`, `process.env.DB_PASSWORD`,
/// `settings.password`): a call, an index, or a dotted name whose parts are identifiers.
fn is_code(text: &str) -> bool {
    if text.contains(['(', '[']) {
        return true;
    }
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            p.as_bytes()
                .first()
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

fn closing_byte(open: u8) -> u8 {
    if open == b'{' { b'}' } else { open }
}

/// Whether base64url text decodes to a JSON object that names an `alg`.
fn is_jwt_header(encoded: &[u8]) -> bool {
    let Some(json) = decode_base64url(encoded) else {
        return false;
    };
    let body = json.trim_ascii_start();
    body.starts_with(b"{") && body.windows(5).any(|w| w == b"\"alg\"")
}

/// Decode unpadded base64url; `None` on a byte outside the alphabet.
fn decode_base64url(encoded: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(encoded.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &b in encoded {
        let sextet = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// V2: whether `value` is an AWS secret access key written under a key that holds one
/// (`aws_secret_access_key`, `secret_access_key`, `secret_key`, `secretKeyId`): exactly 40
/// characters of `[A-Za-z0-9/+]`, not AWS's documented example key.
pub(crate) fn is_aws_secret_value_for_key(key: &str, value: &str, options: &Options) -> bool {
    const DOCUMENTED_EXAMPLE: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let tokens: Vec<&str> = key_tokens(key).collect();
    let ends_with = |tail: &[&str]| {
        tokens.len() >= tail.len()
            && tokens
                .iter()
                .rev()
                .zip(tail.iter().rev())
                .all(|(t, w)| t.eq_ignore_ascii_case(w))
    };
    let key_fits = ends_with(&["secret", "access", "key"])
        || ends_with(&["secret", "key"])
        || ends_with(&["secret", "key", "id"]);
    let value = value.trim();
    key_fits
        && value.len() == 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && value != DOCUMENTED_EXAMPLE
        && !is_placeholder(value)
        && !is_configured_placeholder(value, options)
        && !is_configured_reference(value, options)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    // The built-in lists alone, as without a configuration file.
    fn classify_value(value: &str) -> Value {
        super::classify_value(value, &Options::default())
    }

    fn literal_default(value: &str) -> Option<Range<usize>> {
        super::literal_default(value, &Options::default())
    }

    fn find_credentials(text: &str) -> Vec<Credential> {
        super::find_credentials(text, &Options::default())
    }

    fn is_aws_secret_value_for_key(key: &str, value: &str) -> bool {
        super::is_aws_secret_value_for_key(key, value, &Options::default())
    }

    fn tokens(key: &str) -> Vec<String> {
        key_tokens(key).map(str::to_ascii_lowercase).collect()
    }

    #[test]
    fn keys_split_on_case_digits_and_separators() {
        assert_eq!(tokens("secretKeyId"), ["secret", "key", "id"]);
        assert_eq!(tokens("DB-Password"), ["db", "password"]);
        assert_eq!(tokens("APIKey"), ["api", "key"]);
        assert_eq!(tokens("OAuth2Token"), ["o", "auth", "2", "token"]);
        assert_eq!(tokens("db.password  x"), ["db", "password", "x"]);
        assert_eq!(tokens("__A__"), ["a"]);
        assert_eq!(tokens("mot_de_passé"), ["mot", "de", "passé"]);
        assert!(tokens("").is_empty());
        assert!(tokens("--").is_empty());
    }

    #[test]
    fn sensitive_keys() {
        for key in [
            "PASSWORD",
            "DB_PASSWORD",
            "DB-Password",
            "MYSQL_ROOT_PASSWORD",
            "POSTGRES_PASSWORD",
            "passwd",
            "ssh_passphrase",
            "SECRET",
            "clientSecret",
            "client_secret",
            "GITHUB_TOKEN",
            "authToken",
            "APIKEY",
            "apiKey",
            "API_KEY",
            "x-api-key",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY",
            "secret_key",
            "privateKey",
            "AUTH_KEY",
            "signing_key",
            "ENCRYPTION_KEY",
            "master_key",
            "session.key",
            "storageAccountKey",
            "shared_key",
            "DB_CONNECTION_STRING",
            "connStr",
            "SLACK_WEBHOOK_URL",
            "webhookUrl",
            "db_pwd",
            "DB_PWD",
            "GOOGLE_CREDENTIALS",
            "credential",
            "bearer",
            "BEARER_AUTH",
            "secretKey",
            "DB2Password",
            "RABBITMQ_DEFAULT_PASS",
            "SMTP_PASS",
            "ADMIN_PW",
            "POSTGRES_PW",
            "WEBPASSWORD",
            "rootpasswd",
            "dbPassword",
            "SECRET_KEY",
            "SECRET_KEY_BASE",
            "SECRET_TOKEN",
            "SECRET_DB_PASSWORD",
            "SECRET_VALUE",
            "DJANGO_SECRET_KEY",
            "JWT_SECRET",
        ] {
            assert!(is_sensitive_key(key), "{key} should be sensitive");
        }
    }

    #[test]
    fn keys_that_are_not_sensitive() {
        for key in [
            "POSTGRES_PASSWORD_FILE",
            "SIGNING_KEY_ALGORITHM",
            "customer_master_key_spec",
            "secretName",
            "token_endpoint",
            "accessKeyId",
            "secretKeyId",
            "AWS_ACCESS_KEY_ID",
            "SENTRY_DSN",
            "PWD",
            "OLDPWD",
            "pwd",
            "TOKEN_URL",
            "DATABASE_URL",
            "PASSWORD_MIN_LENGTH",
            "password_policy",
            "SECRET_ARN",
            "secret_ref",
            "SECRETS_DIR",
            "token_ttl",
            "KEY",
            "PUBLIC_KEY",
            "api_version",
            "keyboard",
            "passwordless_enabled",
            "HOSTNAME",
            "TOKENIZER",
            "secretariat",
            "SECRET_PORT",
            "SECRET_HOST",
            "SECRET_DEBUG",
            "maxToken",
            "MAX_TOKENS",
            "secret_permissions",
            "key_permissions",
            "secret_rotation_interval",
            "password_change_interval",
            "password_validation_policy_config",
            "enable_random_password_special",
            "REQUIRE_PASSWORD",
            "ETCD_INITIAL_CLUSTER_TOKEN",
            "PASS",
            "PASS_THROUGH",
            "BYPASS",
            "PW",
            "",
            "__",
        ] {
            assert!(!is_sensitive_key(key), "{key} should not be sensitive");
        }
    }

    #[test]
    fn access_key_ids_beside_their_secret_key() {
        assert!(is_access_key_id("MINIO_ACCESS_KEY", ["MINIO_SECRET_KEY"]));
        assert!(is_access_key_id(
            "AWS_ACCESS_KEY",
            ["x", "AWS_SECRET_ACCESS_KEY"]
        ));
        assert!(is_access_key_id("accessKey", ["secretKey"]));
        assert!(!is_access_key_id("MINIO_ACCESS_KEY", ["OTHER_SECRET_KEY"]));
        assert!(!is_access_key_id("primary_access_key", ["name"]));
        assert!(!is_access_key_id("MINIO_SECRET_KEY", ["MINIO_ACCESS_KEY"]));
    }

    #[test]
    fn user_keys_pair_with_their_secret() {
        assert!(is_user_key_for("POSTGRES_USER", "POSTGRES_PASSWORD"));
        assert!(is_user_key_for("MYSQL_USER", "MYSQL_PASSWORD"));
        assert!(is_user_key_for("dbUsername", "dbPassword"));
        assert!(is_user_key_for("DB_USER_NAME", "DB_PASSWORD"));
        assert!(is_user_key_for("USER", "PASSWORD"));
        assert!(is_user_key_for(
            "RABBITMQ_DEFAULT_USER",
            "RABBITMQ_DEFAULT_PASS_WORD"
        ));
        assert!(!is_user_key_for("POSTGRES_USER", "MYSQL_PASSWORD"));
        assert!(!is_user_key_for("POSTGRES_DB", "POSTGRES_PASSWORD"));
        assert!(!is_user_key_for("APP_USER", "PASSWORD"));
        assert!(is_same_as_user("app", "app"));
        assert!(is_same_as_user(" App ", "app"));
        assert!(!is_same_as_user("app1", "app"));
        assert!(!is_same_as_user("", ""));
    }

    #[test]
    fn value_classes() {
        assert_eq!(classify_value(""), Value::Empty);
        assert_eq!(classify_value("   "), Value::Empty);
        for flag in [
            "true", "false", "yes", "no", "on", "off", "null", "none", "~", "TRUE", "Off",
        ] {
            assert_eq!(classify_value(flag), Value::Flag, "{flag}");
        }
        assert_eq!(
            classify_value("s3cr3t-Value"),
            Value::Literal { well_known: false }
        );
        assert_eq!(
            classify_value("changeme"),
            Value::Literal { well_known: true }
        );
        assert_eq!(classify_value("${DB_PASSWORD}"), Value::Reference);
        assert_eq!(classify_value("<token>"), Value::Placeholder);
        // One pair of quotes left around a value is not part of it.
        assert_eq!(classify_value("\"\""), Value::Empty);
        assert_eq!(classify_value("''"), Value::Empty);
        assert_eq!(classify_value("\"<token>\""), Value::Placeholder);
        assert_eq!(
            classify_value("'s3cr3t-Value'"),
            Value::Literal { well_known: false }
        );
    }

    #[test]
    fn file_paths() {
        for value in [
            "/tmp/key.json",
            "/etc/ssl/private/private.pem",
            "./certs/server.key",
            "../keys/id.pem",
            "~/.ssh/id_ed25519",
            "private.pem",
            "certs/key.p12",
            "C:\\keys\\service.json",
            "/var/lib/app/credentials",
        ] {
            assert!(is_file_path(value), "{value} should be a path");
            assert_eq!(classify_value(value), Value::FilePath, "{value}");
        }
        for value in [
            "hunter2",
            "/",
            "/hunter2",
            "s3cr3t.Value",
            "https://host/key.pem",
            "a path/with space.pem",
            "pa$$/word",
        ] {
            assert!(!is_file_path(value), "{value} should not be a path");
        }
    }

    #[test]
    fn literal_defaults() {
        let at = |v: &'static str| literal_default(v).map(|r| &v[r]);
        assert_eq!(at("${DB_PASSWORD:-password}"), Some("password"));
        assert_eq!(at("${DB_PASSWORD-kT9#vq2LmZ}"), Some("kT9#vq2LmZ"));
        assert_eq!(at("x${A:-}y${B:=s3cret}"), Some("s3cret"));
        assert_eq!(at("${DB_PASSWORD}"), None);
        assert_eq!(at("${DB_PASSWORD:-}"), None);
        assert_eq!(at("${DB_PASSWORD:-<password>}"), None);
        assert_eq!(at("${DB_PASSWORD:-${OTHER}}"), None);
        assert_eq!(at("${DB_PASSWORD:?set it}"), None);
        assert_eq!(at("${DB_PASSWORD:+x}"), None);
        assert_eq!(at("${:-x} ${"), None);
        assert!(looks_generated("kT9#vq2LmZ"));
        assert!(looks_generated("Xk3vB9qLm2Pz7Rt5Wy8Nc4Hd6Jf1Gs0Ae3Qu9Zo7"));
        assert!(!looks_generated("password"));
        assert!(!looks_generated("examplepass"));
        assert!(!looks_generated("k3str4"));
    }

    #[test]
    fn references() {
        for value in [
            "${NAME}",
            "${NAME:-default}",
            "${NAME-default}",
            "${NAME:?required}",
            "$NAME",
            "$_NAME",
            "prefix-$NAME",
            "$(NAME)",
            "{{ secret('DB') }}",
            "{{vars.password}}",
            "/run/secrets/db_password",
            "/var/run/secrets/token",
            "/etc/secrets/api",
            "file:///run/secrets/x",
            "%d/db",
            "$CREDENTIALS_DIRECTORY/db",
            "vault:secret/data/db#password",
            "vault://secret/db",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
            "arn:aws:ssm:eu-west-1:123456789012:parameter/db",
            "ssm:/prod/db/password",
            "op://vault/item/password",
            "sm://project/secret",
            "projects/acme/secrets/db-password",
            "projects/acme/secrets/db/versions/latest",
            "ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]",
        ] {
            assert!(is_reference(value), "{value} should be a reference");
            assert_eq!(classify_value(value), Value::Reference, "{value}");
        }
    }

    #[test]
    fn not_references() {
        for value in [
            "hunter2",
            "pa$$word",
            "cost$5",
            "$",
            "${",
            "{{ not closed",
            "{}",
            "/run/other",
            "projects/acme/keys/x",
            "projects//secrets/x",
            "myvault:x",
            "ENC[PGP,x]",
        ] {
            assert!(!is_reference(value), "{value} should not be a reference");
        }
    }

    #[test]
    fn interpolated_variable_names() {
        assert_eq!(
            interpolated_names("$A-${B_1:-x}/$$C ${ $9 $_d"),
            ["A", "B_1", "_d"]
        );
        assert!(interpolated_names("no dollars").is_empty());
        assert!(interpolated_names("$").is_empty());
    }

    #[test]
    fn placeholders() {
        for value in [
            "<token>",
            "<your password here>",
            "[[db_password]]",
            "%DB_PASSWORD%",
            "****",
            "xxxxxxxx",
            "XXXX-XXXX",
            "...",
            "___",
            "replace_me",
            "REPLACEME",
            "replace-with-real-token",
            "your_api_key",
            "YOUR-TOKEN",
            "todo",
            "FIXME",
            "placeholder",
            "Dummy",
            "example",
            "SAMPLE",
            "redacted",
            "not-a-real-secret",
            "YourApiToken",
            "YourSlackSigningSecret",
            "yourpassword",
            "<PLACEHOLDER>",
        ] {
            assert!(is_placeholder(value), "{value} should be a placeholder");
            assert_eq!(classify_value(value), Value::Placeholder, "{value}");
        }
        for value in [
            "your",
            "your_",
            "examples",
            "todo-list",
            "x1",
            "<open",
            "close>",
            "%",
            "s3cr3t",
            "not-a-real",
            "Yourself",
            "yours",
            "Your Token",
        ] {
            assert!(
                !is_placeholder(value),
                "{value} should not be a placeholder"
            );
        }
    }

    #[test]
    fn well_known_defaults() {
        for value in [
            "password",
            "Passw0rd",
            "changeme",
            "change_me",
            "changeit",
            "secret",
            "admin",
            "administrator",
            "root",
            "toor",
            "postgres",
            "mysql",
            "guest",
            "letmein",
            "123456",
            "12345678",
            "qwerty",
            "default",
            "TEST",
        ] {
            assert_eq!(
                classify_value(value),
                Value::Literal { well_known: true },
                "{value}"
            );
        }
        assert!(!is_well_known_default("correct horse battery staple"));
    }

    fn found(text: &str) -> Vec<(&'static str, &str)> {
        find_credentials(text)
            .into_iter()
            .map(|c| (c.detector, &text[c.range]))
            .collect()
    }

    fn detects(text: &str, detector: &str, masked: &str) {
        let got = found(text);
        assert_eq!(got, [(detector, masked)], "in {text:?}");
    }

    fn clean(text: &str) {
        assert_eq!(found(text), [], "in {text:?}");
    }

    #[test]
    fn aws_access_key_ids() {
        detects(
            "AKIAZ7Q3LMNOPQRSTUV2",
            AWS_ACCESS_KEY_ID,
            "AKIAZ7Q3LMNOPQRSTUV2",
        );
        detects(
            "export AWS_ACCESS_KEY_ID=ASIAZ7Q3LMNOPQRSTUV2;",
            AWS_ACCESS_KEY_ID,
            "ASIAZ7Q3LMNOPQRSTUV2",
        );
        detects(
            "key: ABIA1234567890ABCDEF",
            AWS_ACCESS_KEY_ID,
            "ABIA1234567890ABCDEF",
        );
        detects(
            "\"ACCA1234567890ABCDEF\"",
            AWS_ACCESS_KEY_ID,
            "ACCA1234567890ABCDEF",
        );
        detects(
            "A3TX1234567890ABCDEF",
            AWS_ACCESS_KEY_ID,
            "A3TX1234567890ABCDEF",
        );
        // AWS's documentation keys.
        clean("AKIAIOSFODNN7EXAMPLE");
        // Word boundaries on both sides.
        clean("XAKIAZ7Q3LMNOPQRSTUV2");
        clean("AKIAZ7Q3LMNOPQRSTUV2X");
        clean("_AKIAZ7Q3LMNOPQRSTUV2");
        // Too short, lowercase, other prefixes.
        clean("AKIAZ7Q3LMNOPQRSTUV");
        clean("AKIAz7q3lmnopqrstuv2");
        clean("AKIBZ7Q3LMNOPQRSTUV2");
    }

    #[test]
    fn private_keys() {
        let block =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
        detects(&format!("x\n{block}\ny"), PRIVATE_KEY, block);
        for header in [
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN EC PRIVATE KEY-----",
            "-----BEGIN DSA PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----",
        ] {
            // Without a footer everything after the header is masked.
            let text = format!("{header}\nabc");
            detects(&text, PRIVATE_KEY, &text);
        }
        detects(
            "echo '-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Blbn\\n-----END OPENSSH PRIVATE KEY-----' > k",
            PRIVATE_KEY,
            "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Blbn\\n-----END OPENSSH PRIVATE KEY-----",
        );
        let putty = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: 0123abcd";
        detects(&format!("{putty}\nnext"), PUTTY_PRIVATE_KEY, putty);
        // Public keys and certificates are not secrets.
        clean("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----");
        clean("-----BEGIN RSA PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----");
        clean("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
        clean("-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQ\n-----END PGP PUBLIC KEY BLOCK-----");
        clean("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ user@host");
        clean("-----BEGIN PRIVATE KEY");
    }

    fn b64url(data: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (k, &b)| acc | (u32::from(b) << (16 - 8 * k)));
            for k in 0..=chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            }
        }
        out
    }

    #[test]
    fn base64url_round_trip() {
        for data in [&b""[..], b"a", b"ab", b"abc", b"{\"alg\":\"HS256\"}"] {
            assert_eq!(decode_base64url(b64url(data).as_bytes()).unwrap(), data);
        }
        assert_eq!(decode_base64url(b"a+b"), None);
    }

    #[test]
    fn json_web_tokens() {
        let header = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = b64url(br#"{"sub":"1234567890","name":"Ada"}"#);
        let jwt = format!("{header}.{payload}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
        detects(
            &format!("Authorization: Bearer {jwt}"),
            JSON_WEB_TOKEN,
            &jwt,
        );
        detects(&format!("token={jwt}&x=1"), JSON_WEB_TOKEN, &jwt);
        // The header must be JSON with an `alg`.
        let no_alg = b64url(br#"{"typ":"JWT","kid":"abc"}"#);
        clean(&format!(
            "{no_alg}.{payload}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ));
        // Too short a signature, a missing part, glued to other base64url text.
        clean(&format!("{header}.{payload}.abc"));
        clean(&format!("{header}.{payload}"));
        clean(&format!("x{jwt}"));
        clean("eyJhbGciOi.eyJzdWIiOi.abcdefgh");
    }

    #[test]
    fn vendor_tokens() {
        let a36 = "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6";
        assert_eq!(a36.len(), 36);
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            let token = format!("{prefix}{a36}");
            detects(
                &format!("git clone https://{token}@github.com/x"),
                "GitHub token",
                &token,
            );
        }
        let pat = format!("github_pat_{}", "A1b2C3d4E5_".repeat(8));
        detects(&format!("GH={pat}"), "GitHub token", &pat);
        detects(
            "glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn",
            "GitLab token",
            "glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn",
        );
        detects(
            "SLACK=xoxb-1234567890-abcdEFGH",
            "Slack token",
            "xoxb-1234567890-abcdEFGH",
        );
        detects(
            "curl https://hooks.slack.com/services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX",
            SLACK_WEBHOOK,
            "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX",
        );
        let discord = "https://discord.com/api/webhooks/123456789012345678/aBcD-eFgH_iJkLmNoPqRsTuVwXyZ0123456789";
        detects(&format!("url: {discord}"), DISCORD_WEBHOOK, discord);
        detects(
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "Stripe secret key",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        );
        detects(
            "rk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "Stripe restricted key",
            "rk_live_4eC39HqLyjWDarjtT1zdp7dc",
        );
        let google = "AIzaSyD4f8Gh-JkL9mNoPqRsTuVwXyZ012345_6";
        assert_eq!(google.len(), 39);
        detects(&format!("key={google}"), "Google API key", google);
        let sendgrid = format!(
            "SG.{}.{}",
            "aBcDeFgHiJkLmNoPqRsTuV",
            "a".repeat(21) + &"B-_".repeat(7) + "c"
        );
        detects(&sendgrid, SENDGRID_KEY, &sendgrid);
        detects(
            &format!("//registry/:_authToken=npm_{a36}"),
            "npm token",
            &format!("npm_{a36}"),
        );
        detects(
            "dckr_pat_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9",
            "Docker Hub token",
            "dckr_pat_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9",
        );
        detects(
            "VAULT_TOKEN=hvs.CAESIAbcdefghijklmnopqrstuvwxyz",
            "Vault token",
            "hvs.CAESIAbcdefghijklmnopqrstuvwxyz",
        );
        detects(
            "sk-proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8",
            "OpenAI API key",
            "sk-proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8",
        );
        detects(
            "sk-ant-api03-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8",
            "Anthropic API key",
            "sk-ant-api03-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8",
        );
    }

    #[test]
    fn vendor_token_near_misses() {
        // Too short, glued to a word, placeholder bodies, unknown prefixes.
        clean("ghp_abc");
        clean("xghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6");
        clean("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        clean("ghx_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6");
        clean("glpat-short");
        clean("xoxb-123");
        clean("sk_test_4eC39HqLyjWDarjtT1zdp7dc");
        clean("AIzaShort");
        clean("https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX");
        clean("https://hooks.slack.com/services/");
        clean("https://discord.com/api/webhooks/123/short");
        clean("SG.short.short");
        clean("hvs.short");
    }

    #[test]
    fn url_credentials() {
        detects(
            "postgres://app:s3cr3t-pw@db:5432/app",
            URL_CREDENTIALS,
            "s3cr3t-pw",
        );
        detects(
            "DATABASE_URL=mysql+pymysql://root:rootpw@mysql/db",
            URL_CREDENTIALS,
            "rootpw",
        );
        detects("https://user:pa:ss@host/", URL_CREDENTIALS, "pa:ss");
        // An empty user name is common for Redis.
        detects("redis://:hunter2@cache:6379", URL_CREDENTIALS, "hunter2");
        detects("amqp://guest:guest@rabbit", URL_CREDENTIALS, "guest");
        // A vendor token as the password is named after its vendor.
        let token = "ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6";
        detects(
            &format!("https://x-access-token:{token}@github.com/acme/app.git"),
            "GitHub token",
            token,
        );
        // References, placeholders, no password, no user info.
        clean("postgres://app:${DB_PASSWORD}@db/app");
        clean("https://oauth2:$CI_JOB_TOKEN@gitlab.com/x.git");
        clean("postgres://app:<password>@db/app");
        clean("postgres://app:****@db/app");
        clean("postgres://app@db/app");
        clean("http://host:8080/path");
        clean("ssh://git@github.com:22/acme/app.git");
        clean("git@github.com:acme/app.git");
        clean("://user:pw@host");
        clean("1://user:pw@host");
        clean("https://user:pw");
        clean("postgresql://username:password@host/dbname");
        clean("mysql://user:pass@localhost/db");
    }

    #[test]
    fn password_parameters() {
        detects(
            "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=Str0ng!Pass;",
            CONNECTION_STRING_PASSWORD,
            "Str0ng!Pass",
        );
        detects(
            "jdbc:mysql://db/app?user=app&password=s3cret&useSSL=true",
            CONNECTION_STRING_PASSWORD,
            "s3cret",
        );
        detects(
            "Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd={p@ss;word};",
            CONNECTION_STRING_PASSWORD,
            "p@ss;word",
        );
        detects(
            "psql \"host=db user=app password=hunter22 dbname=app\"",
            CONNECTION_STRING_PASSWORD,
            "hunter22",
        );
        detects(
            "mysql --user=root --password=hunter22 app",
            OPTION_PASSWORD,
            "hunter22",
        );
        detects(
            "mysql --password='two words' app",
            OPTION_PASSWORD,
            "two words",
        );
        detects("PASSWD=abc12345", CONNECTION_STRING_PASSWORD, "abc12345");
        clean("mysql --password=$MYSQL_PASSWORD app");
        clean("mysql --password=\"${MYSQL_PASSWORD}\" app");
        clean("jdbc:mysql://db/app?user=app&password=&x=1");
        clean("jdbc:mysql://db/app?password=<secret>");
        clean("PGPASSWORD=hunter22 psql");
        clean("db.password=hunter22");
        clean("cd $(pwd)");
        clean("--require-password=true");
        clean("pwd=$(pwd)");
        // Code that reads the value from elsewhere.
        clean("connect(host=h, password=os.getenv(\"PASSWORD\"))");
        clean("connect(password=os.environ['PASSWORD'])");
        clean("db.connect(password=process.env.DB_PASSWORD)");
        clean("login(password=getpass())");
    }

    #[test]
    fn several_matches_keep_their_order() {
        let text = "AKIAZ7Q3LMNOPQRSTUV2 and postgres://a:bcdef@h and glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn";
        let got = found(text);
        assert_eq!(
            got,
            [
                (AWS_ACCESS_KEY_ID, "AKIAZ7Q3LMNOPQRSTUV2"),
                (URL_CREDENTIALS, "bcdef"),
                ("GitLab token", "glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn"),
            ]
        );
    }

    #[test]
    fn text_without_credentials() {
        clean("");
        clean("apt-get update && apt-get install -y curl ca-certificates");
        clean("echo héllo wörld ✓ -----");
        clean("curl -fsSL https://example.com/install.sh | sh");
    }

    #[test]
    fn adversarial_input_is_scanned_quickly() {
        let long = [
            "glpat-a".repeat(20_000),
            "eyJ.".repeat(20_000),
            "-eyJaaaaaaaaaaaaaaaaaaaa".repeat(5_000),
            "a://".repeat(20_000),
            "x://u:".repeat(20_000),
            " password=\"".to_string() + &" password=x".repeat(20_000),
            "-----BEGIN PRIVATE KEY-----".repeat(10_000),
            "ghp_".repeat(30_000),
        ];
        let started = std::time::Instant::now();
        for text in &long {
            let _ = find_credentials(text);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn aws_secret_values_under_their_keys() {
        let secret = "Zx9/K2mQ+7bLpR4tV8nW1cY6hJ3fD5gS0aE2uI7o";
        assert_eq!(secret.len(), 40);
        for key in [
            "aws_secret_access_key",
            "AWS_SECRET_ACCESS_KEY",
            "secret_access_key",
            "secret_key",
            "secretKeyId",
            "awsSecretAccessKey",
        ] {
            assert!(is_aws_secret_value_for_key(key, secret), "{key}");
        }
        assert!(!is_aws_secret_value_for_key("access_key", secret));
        assert!(!is_aws_secret_value_for_key(
            "secret_access_key",
            &secret[1..]
        ));
        assert!(!is_aws_secret_value_for_key(
            "secret_access_key",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ));
        assert!(!is_aws_secret_value_for_key(
            "secret_access_key",
            "Zx9/K2mQ+7bLpR4tV8nW1cY6hJ3fD5gS0aE2uI7-"
        ));
        assert!(!is_aws_secret_value_for_key(
            "secret_access_key",
            &"x".repeat(40)
        ));
    }

    #[test]
    fn configured_placeholders_and_references_extend_the_built_in_ones() {
        let options = Options {
            placeholder_values: vec!["Set-Me-*".to_string(), "<<*>>".to_string()],
            secret_reference_prefixes: vec!["keeper://".to_string()],
            ..Options::default()
        };
        let classify = |v| super::classify_value(v, &options);
        assert_eq!(classify("set-me-later"), Value::Placeholder);
        assert_eq!(classify("\"SET-ME-NOW\""), Value::Placeholder);
        assert_eq!(classify("<<db password>>"), Value::Placeholder);
        assert_eq!(classify("Keeper://app/token"), Value::Reference);
        // The built-in lists still count, and other literals stay literals.
        assert_eq!(classify("<token>"), Value::Placeholder);
        assert_eq!(classify("vault:secret/db"), Value::Reference);
        assert_eq!(
            classify("s3cr3t-Value"),
            Value::Literal { well_known: false }
        );
        assert_eq!(
            classify("reset-me-later"),
            Value::Literal { well_known: false }
        );
        // A configured placeholder in a URL or a token body is not a credential.
        let url = "postgres://app:set-me-please@db/app";
        assert!(super::find_credentials(url, &options).is_empty());
        assert_eq!(find_credentials(url).len(), 1);
        assert_eq!(scan_credentials(url).len(), 1);
        let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ";
        assert!(is_aws_secret_value_for_key("aws_secret_access_key", aws));
        let listed = Options {
            placeholder_values: vec!["wjalr*".to_string()],
            ..Options::default()
        };
        assert!(!super::is_aws_secret_value_for_key(
            "aws_secret_access_key",
            aws,
            &listed
        ));
    }

    #[test]
    fn articles() {
        assert_eq!(article(AWS_ACCESS_KEY_ID), "an ");
        assert_eq!(article(PRIVATE_KEY), "a ");
        assert_eq!(article(URL_CREDENTIALS), "");
        assert_eq!(article("npm token"), "an ");
        assert_eq!(article("OpenAI API key"), "an ");
        assert_eq!(article(JSON_WEB_TOKEN), "a ");
    }
}
