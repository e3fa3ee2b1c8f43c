//! A service's `ports`, short (`"127.0.0.1:8080:80/udp"`, `"[::1]:8080:80"`, `"8000-8010:8000-8010"`,
//! `"80"`) and long (`target`, `published`, `host_ip`, `protocol`) syntax in one shape.

use super::vars::Env;
use crate::formats::yaml::Node;
use crate::source::Span;

/// One published port entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Port<'a> {
    /// The entry as written (a scalar, or the long form's mapping).
    pub node: &'a Node,
    /// The host address, brackets removed; `None` when not written (every interface).
    pub host_ip: Option<String>,
    /// The host port or range; `None` for a random host port.
    pub published: Option<String>,
    /// The container port range (one port: `start == end`); `None` when it cannot be read
    /// (unresolved interpolation, malformed text).
    pub target: Option<(u16, u16)>,
    /// `tcp` unless written.
    pub protocol: String,
    /// Written in the long syntax.
    pub long: bool,
}

impl Port<'_> {
    pub fn span(&self) -> Span {
        self.node.span
    }

    /// Published on every interface of the host: no address, `0.0.0.0` or `::`.
    pub fn all_interfaces(&self) -> bool {
        match self.host_ip.as_deref() {
            None => true,
            Some(ip) => matches!(ip.trim(), "" | "0.0.0.0" | "::" | "[::]"),
        }
    }

    /// Whether the container port range includes `port`.
    pub fn targets(&self, port: u16) -> bool {
        self.target.is_some_and(|(a, b)| a <= port && port <= b)
    }

    /// Whether the address (after interpolation) is still unresolved.
    pub fn is_unresolved(&self) -> bool {
        self.host_ip.as_deref().is_some_and(|s| s.contains('$')) || self.target.is_none()
    }
}

/// The `ports` of a service mapping.
pub fn ports<'a>(service: &'a Node, env: &Env) -> Vec<Port<'a>> {
    let Some(list) = service.get("ports") else {
        return Vec::new();
    };
    list.items().filter_map(|item| port(item, env)).collect()
}

fn port<'a>(node: &'a Node, env: &Env) -> Option<Port<'a>> {
    if node.as_map().is_some() {
        let text = |k: &str| {
            node.get(k)
                .and_then(Node::as_str)
                .map(|s| env.interpolate(s).trim().to_string())
        };
        let host_ip = text("host_ip")
            .filter(|s| !s.is_empty())
            .map(|s| unbracket(&s).to_string());
        return Some(Port {
            node,
            host_ip,
            published: text("published").filter(|s| !s.is_empty()),
            target: text("target").and_then(|t| range(&t)),
            protocol: text("protocol").unwrap_or_else(|| "tcp".into()),
            long: true,
        });
    }
    let raw = node.as_str()?;
    let written = env.interpolate(raw);
    let (spec, protocol) = match written.trim().rsplit_once('/') {
        Some((spec, proto)) => (spec.to_string(), proto.to_ascii_lowercase()),
        None => (written.trim().to_string(), "tcp".to_string()),
    };
    let (host_ip, rest) = if let Some(after) = spec.strip_prefix('[') {
        let (ip, tail) = after.split_once(']')?;
        (Some(ip.to_string()), tail.strip_prefix(':')?.to_string())
    } else {
        let mut parts = spec.rsplitn(3, ':');
        let target = parts.next()?;
        let published = parts.next();
        let ip = parts.next();
        let rest = match published {
            Some(p) => format!("{p}:{target}"),
            None => target.to_string(),
        };
        (ip.map(str::to_string), rest)
    };
    let (published, target) = match rest.rsplit_once(':') {
        Some((p, t)) => (Some(p.trim().to_string()).filter(|p| !p.is_empty()), t),
        None => (None, rest.as_str()),
    };
    Some(Port {
        node,
        host_ip: host_ip.filter(|s| !s.is_empty()),
        published,
        target: range(target),
        protocol,
        long: false,
    })
}

fn unbracket(ip: &str) -> &str {
    ip.strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(ip)
}

/// `80` or `8000-8010`.
fn range(text: &str) -> Option<(u16, u16)> {
    let text = text.trim();
    match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a <= b).then_some((a, b))
        }
        None => text.parse().ok().map(|p| (p, p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml;

    type Row = (Option<String>, Option<String>, Option<(u16, u16)>, String);

    fn all(text: &str) -> Vec<Row> {
        let stream = yaml::parse(text);
        let root = stream.documents[0].root.clone().unwrap();
        let env = Env::from_dotenv("HOST_PORT=9000\n");
        ports(&root, &env)
            .into_iter()
            .map(|p| (p.host_ip, p.published, p.target, p.protocol))
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn short_syntax() {
        let got = all(
            "ports:\n  - 80\n  - \"8080:80\"\n  - 127.0.0.1:8081:81\n  - \"[::1]:8082:82\"\n  - 8000-8010:8000-8010/udp\n  - 127.0.0.1::83\n  - ${HOST_PORT}:84\n  - ::1:8085:85\n",
        );
        assert_eq!(
            got,
            vec![
                (None, None, Some((80, 80)), "tcp".into()),
                (None, s("8080"), Some((80, 80)), "tcp".into()),
                (s("127.0.0.1"), s("8081"), Some((81, 81)), "tcp".into()),
                (s("::1"), s("8082"), Some((82, 82)), "tcp".into()),
                (None, s("8000-8010"), Some((8000, 8010)), "udp".into()),
                (s("127.0.0.1"), None, Some((83, 83)), "tcp".into()),
                (None, s("9000"), Some((84, 84)), "tcp".into()),
                (s("::1"), s("8085"), Some((85, 85)), "tcp".into()),
            ]
        );
    }

    #[test]
    fn long_syntax() {
        let got = all(
            "ports:\n  - target: 80\n    published: \"8080\"\n    host_ip: 127.0.0.1\n    protocol: udp\n  - target: 443\n",
        );
        assert_eq!(
            got,
            vec![
                (s("127.0.0.1"), s("8080"), Some((80, 80)), "udp".into()),
                (None, None, Some((443, 443)), "tcp".into()),
            ]
        );
    }

    #[test]
    fn all_interfaces() {
        let stream = yaml::parse(
            "ports: [\"0.0.0.0:1:1\", \"[::]:2:2\", \"127.0.0.1:3:3\", \"4:4\", \"$X:5:5\"]\n",
        );
        let root = stream.documents[0].root.clone().unwrap();
        let env = Env::default();
        let flags: Vec<bool> = ports(&root, &env)
            .iter()
            .map(Port::all_interfaces)
            .collect();
        assert_eq!(flags, [true, true, false, true, false]);
        assert!(ports(&root, &env)[4].is_unresolved());
    }
}
