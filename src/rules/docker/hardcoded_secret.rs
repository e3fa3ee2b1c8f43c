//! Secrets written in a Dockerfile: literal values of sensitive `ENV`, `ARG` and `LABEL` keys,
//! and credential patterns anywhere in the instructions.
use super::secret_build_arg::build_arg_secrets;
use crate::formats::docker::Pair;
use crate::rules::prelude::*;
use crate::rules::shared::secrets::{
    AWS_SECRET_ACCESS_KEY, Value, article, classify_value, find_credentials,
    is_aws_secret_value_for_key, is_same_as_user, is_sensitive_key, is_user_key_for,
    literal_default, literal_default_finding, report_credential,
};

pub(crate) static RULE: Rule = Rule {
    id: "docker/hardcoded-secret",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/docker/hardcoded-secret.md"),
    check: Check::Docker(check),
};

const LITERAL_HELP: &str =
    "remove the value and provide it at run time from a secret store or a mounted secret file";
const PATTERN_HELP: &str =
    "revoke it, then pass it with `RUN --mount=type=secret` or at run time instead";

/// What the check carries from one instruction to the next.
struct Walk {
    /// Places `docker/secret-build-arg` reports: the key spans it owns.
    owned: Vec<Span>,
    /// Key/value pairs that hold user names, for the "password equals user" case.
    users: Vec<(String, String)>,
    /// The first sensitive key set from a reference.
    positive: Option<(Span, String)>,
}

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let mut walk = Walk {
        owned: build_arg_secrets(file)
            .into_iter()
            .map(|s| s.key.span)
            .collect(),
        users: vec![],
        positive: None,
    };
    for instr in all_instructions(file) {
        if matches!(instr.kind, Kind::Env | Kind::Arg | Kind::Label) {
            for pair in instr.pairs() {
                if let Some(value) = &pair.value {
                    walk.users
                        .push((pair.key.value.clone(), value.value.clone()));
                }
            }
        }
    }
    walk.users.retain(|(k, _)| !is_sensitive_key(k));
    for instr in all_instructions(file) {
        check_instruction(instr, &mut walk, cx);
    }
    if let Some((span, key)) = walk.positive {
        cx.pass(span, format!("`{key}` comes from a secret reference"));
    }
}

/// Every instruction, ONBUILD triggers in place of their ONBUILD.
fn all_instructions(file: &Dockerfile) -> impl Iterator<Item = &Instruction> {
    file.instructions.iter().filter_map(|i| match i.kind {
        Kind::Onbuild => i.trigger.as_deref(),
        _ => Some(i),
    })
}

fn check_instruction(instr: &Instruction, walk: &mut Walk, cx: &mut Ctx) {
    // Value spans already reported (or left to `docker/secret-build-arg`): one finding a place.
    let mut claimed: Vec<Span> = vec![];
    let pairs = if matches!(instr.kind, Kind::Env | Kind::Arg | Kind::Label) {
        instr.pairs()
    } else {
        vec![]
    };
    for pair in &pairs {
        if let Some(span) = check_pair(pair, walk, cx) {
            claimed.push(span);
        }
    }
    let keyword = instr.keyword.value.to_ascii_uppercase();
    for piece in instr.shell_pieces() {
        for found in find_credentials(piece.text(), cx.options()) {
            let span = piece.span(found.range);
            if claimed
                .iter()
                .any(|c| c.start < span.end && span.start < c.end)
            {
                continue;
            }
            let place = pairs
                .iter()
                .find(|p| {
                    p.value
                        .as_ref()
                        .is_some_and(|v| v.span.start <= span.start && span.end <= v.span.end)
                })
                .map_or(&keyword, |p| &p.key.value);
            report_credential(cx, place, found.detector, span, PATTERN_HELP);
        }
    }
}

/// Report a sensitive key with a literal value; returns the value span when the pair is
/// reported here or left to `docker/secret-build-arg`, so patterns inside are not reported twice.
fn check_pair(pair: &Pair, walk: &mut Walk, cx: &mut Ctx) -> Option<Span> {
    let value = pair.value.as_ref()?;
    if walk.owned.contains(&pair.key.span) {
        return Some(value.span);
    }
    let key = &pair.key.value;
    if value.span.is_empty() {
        return None;
    }
    if !is_sensitive_key(key) {
        if is_aws_secret_value_for_key(key, &value.value, cx.options()) {
            cx.report(
                value.span,
                format!(
                    "`{key}` holds {}{AWS_SECRET_ACCESS_KEY}",
                    article(AWS_SECRET_ACCESS_KEY)
                ),
            )
            .help(PATTERN_HELP)
            .mask(value.span);
            return Some(value.span);
        }
        return None;
    }
    let well_known = match classify_value(&value.value, cx.options()) {
        Value::Literal { well_known } => well_known,
        Value::Reference => {
            if let Some(range) = literal_default(&value.value, cx.options()) {
                return literal_fallback(key, value, range, cx);
            }
            if walk.positive.is_none() {
                walk.positive = Some((pair.key.span.cover(value.span), key.clone()));
            }
            return None;
        }
        Value::Empty | Value::Flag | Value::Placeholder | Value::FilePath => return None,
    };
    let same_user = walk
        .users
        .iter()
        .find(|(user_key, user)| {
            is_user_key_for(user_key, key) && is_same_as_user(&value.value, user)
        })
        .map(|(user_key, _)| user_key.clone());
    let detector = find_credentials(&value.value, cx.options())
        .first()
        .map(|c| c.detector);
    let message = match (same_user, detector) {
        (Some(user_key), _) => format!("`{key}` is set to the same value as `{user_key}`"),
        (None, Some(detector)) => format!("`{key}` holds {}{detector}", article(detector)),
        (None, None) if well_known => format!("`{key}` is set to a well-known default value"),
        (None, None) => format!("`{key}` is set to a literal value"),
    };
    cx.report(value.span, message)
        .help(LITERAL_HELP)
        .mask(value.span);
    Some(value.span)
}

/// `ENV DB_PASSWORD=${DB_PASSWORD:-hunter2}`: the default is baked into the image whenever the
/// variable is unset at build time. A default that looks generated is a secret written in the
/// file (critical); a word or a well-known default is a weak fallback (warning).
fn literal_fallback(
    key: &str,
    value: &Spanned<String>,
    range: std::ops::Range<usize>,
    cx: &mut Ctx,
) -> Option<Span> {
    let default = value.value.get(range)?;
    let span = match cx.source().slice(value.span).rfind(default) {
        Some(at) => Span::new(
            value.span.start as usize + at,
            value.span.start as usize + at + default.len(),
        ),
        None => value.span,
    };
    let (message, critical) = literal_default_finding(key, &value.value, default);
    let finding = cx.report(span, message);
    finding
        .help("drop the default and provide the value at run time from a secret store or a mounted secret file")
        .mask(span);
    if !critical {
        finding.severity = Severity::Warning;
    }
    Some(value.span)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use crate::engine::lint_source;
    use crate::finding::{Finding, Severity};
    use crate::formats::Format;
    use crate::formats::siblings::Siblings;
    use crate::rules::selection::Selection;
    use crate::source::SourceFile;

    /// Non-positive findings of the two secret rules, with the masked text.
    fn lint(text: &str) -> Vec<(&'static str, String, String)> {
        let source = SourceFile::new("Dockerfile", None, text.to_string());
        let selection = Selection {
            select: vec![
                "docker/hardcoded-secret".into(),
                "docker/secret-build-arg".into(),
            ],
            extend_select: vec![],
            ignore: vec![],
        };
        let findings: Vec<Finding> =
            lint_source(&source, Format::Docker, &Siblings::None, &selection);
        for (i, a) in findings.iter().enumerate() {
            for b in findings.iter().skip(i + 1) {
                let overlap = a.span.start < b.span.end && b.span.start < a.span.end;
                assert!(
                    a.severity == Severity::Positive
                        || b.severity == Severity::Positive
                        || !overlap,
                    "two findings at one place: {a:?} {b:?}"
                );
            }
        }
        findings
            .into_iter()
            .filter(|f| f.severity != Severity::Positive)
            .map(|f| {
                let masked = f
                    .mask
                    .map(|m| source.slice(m).to_string())
                    .unwrap_or_default();
                (f.rule, f.message, masked)
            })
            .collect()
    }

    #[test]
    fn each_place_gets_one_finding() {
        let text = "ARG NPM_TOKEN=global-default-1\n\
                    FROM node:22 AS build\n\
                    ARG GITHUB_TOKEN=build-default-2\n\
                    FROM node:22-alpine\n\
                    ARG NPM_TOKEN=final-default-3\n\
                    ENV NPM_TOKEN=$NPM_TOKEN API_KEY=${NPM_TOKEN}\n\
                    RUN echo $NPM_TOKEN\n";
        let got = lint(text);
        let by = |rule: &str| got.iter().filter(|f| f.0 == rule).count();
        assert_eq!(by("docker/hardcoded-secret"), 2, "{got:#?}");
        assert_eq!(by("docker/secret-build-arg"), 3, "{got:#?}");
        let masks: Vec<&str> = got.iter().map(|f| f.2.as_str()).collect();
        assert_eq!(
            masks,
            [
                "global-default-1",
                "build-default-2",
                "final-default-3",
                "$NPM_TOKEN",
                "${NPM_TOKEN}"
            ]
        );
    }

    #[test]
    fn masks_cover_exactly_the_secret() {
        let got = lint(
            "FROM mysql:8.4\n\
             CMD [\"mysql\", \"--password=hunter22x\"]\n\
             ENV DB_PASSWORD \"two words\"\n\
             ENTRYPOINT psql \"host=db password=pg-pass-77\"\n",
        );
        let masks: Vec<&str> = got.iter().map(|f| f.2.as_str()).collect();
        assert_eq!(
            masks,
            ["hunter22x", "\"two words\"", "pg-pass-77"],
            "{got:#?}"
        );
        for (_, message, secret) in &got {
            assert!(!message.contains(secret.trim_matches('"')));
        }
    }

    #[test]
    fn sensitive_keys_with_patterns_name_the_detector() {
        let got =
            lint("FROM alpine:3.20\nENV GITHUB_TOKEN=ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, "`GITHUB_TOKEN` holds a GitHub token");
    }
}
