//! Pipeline expressions: GitHub `${{ … }}` and GitLab `$[[ … ]]`, and the
//! context paths they read (`github.event.pull_request.title`).

use std::ops::Range;

/// The byte ranges of the `${{ … }}` and `$[[ … ]]` expressions of a text, delimiters
/// included. An expression left open runs to the end of the text.
pub(crate) fn expressions(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rest) = text.get(from..) {
        let Some((at, close)) = [("${{", "}}"), ("$[[", "]]")]
            .iter()
            .filter_map(|(open, close)| rest.find(open).map(|i| (i, *close)))
            .min_by_key(|(i, _)| *i)
        else {
            break;
        };
        let start = from + at;
        let body = start + 3;
        let end = text
            .get(body..)
            .and_then(|r| r.find(close))
            .map_or(text.len(), |i| body + i + close.len());
        out.push(start..end);
        from = end.max(start + 1);
    }
    out
}

/// The text with every expression replaced by a `${_…_}` reference of the same byte length,
/// so that secret checks see a reference to a value kept elsewhere where the pipeline
/// substitutes one,
/// and byte offsets still match the original.
pub(crate) fn mask_expressions(text: &str) -> String {
    let ranges = expressions(text);
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in ranges {
        out.push_str(text.get(last..range.start).unwrap_or(""));
        let len = range.len();
        if len >= 4 {
            out.push_str("${");
            out.push_str(&"_".repeat(len - 3));
            out.push('}');
        } else {
            out.push_str(&"_".repeat(len));
        }
        last = range.end;
    }
    out.push_str(text.get(last..).unwrap_or(""));
    out
}

/// The context paths read inside an expression, lowercased and normalized: `a['b']` and
/// `a["b"]` become `a.b`, indexes and `*` become `*`. Each comes with its byte range in
/// `expr`.
pub(crate) fn context_paths(expr: &str) -> Vec<(Range<usize>, String)> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let starts_word = (b.is_ascii_alphabetic() || b == b'_')
            && !i
                .checked_sub(1)
                .and_then(|p| bytes.get(p))
                .is_some_and(|&p| p.is_ascii_alphanumeric() || p == b'_' || p == b'.');
        let quoted = i
            .checked_sub(1)
            .and_then(|p| bytes.get(p))
            .is_some_and(|&p| p == b'\'' || p == b'"');
        if !starts_word || quoted {
            i += 1;
            continue;
        }
        let start = i;
        let mut path = String::new();
        loop {
            let word_end = run(bytes, i, |c| {
                c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
            });
            path.push_str(&expr.get(i..word_end).unwrap_or("").to_ascii_lowercase());
            i = word_end;
            match bytes.get(i) {
                Some(b'.') if bytes.get(i + 1) == Some(&b'*') => {
                    path.push_str(".*");
                    i += 2;
                    if bytes.get(i) == Some(&b'.') {
                        path.push('.');
                        i += 1;
                        continue;
                    }
                    break;
                }
                Some(b'.') => {
                    path.push('.');
                    i += 1;
                }
                Some(b'[') => {
                    let close = run(bytes, i + 1, |c| c != b']');
                    let inner = expr.get(i + 1..close).unwrap_or("").trim();
                    let key = inner.trim_matches(['\'', '"']);
                    if key.len() + 2 == inner.len() && !key.is_empty() {
                        path.push('.');
                        path.push_str(&key.to_ascii_lowercase());
                    } else {
                        path.push_str(".*");
                    }
                    i = (close + 1).min(bytes.len());
                    match bytes.get(i) {
                        Some(b'.') => {
                            path.push('.');
                            i += 1;
                        }
                        Some(b'[') => {}
                        _ => break,
                    }
                }
                _ => break,
            }
            if i >= bytes.len() {
                break;
            }
        }
        let path = path.trim_end_matches('.').to_string();
        out.push((start..i, path));
    }
    out
}

fn run(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut end = from;
    while bytes.get(end).copied().is_some_and(&keep) {
        end += 1;
    }
    end
}

/// Whether `path` matches `pattern`, segment by segment; `*` in the pattern matches one
/// segment.
pub(crate) fn path_matches(pattern: &str, path: &str) -> bool {
    let mut p = pattern.split('.');
    let mut q = path.split('.');
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == "*" || a == b => {}
            _ => return false,
        }
    }
}

/// Whether `path` names an object that contains a value matching `pattern` (`github.event`
/// contains `github.event.issue.title`).
pub(crate) fn path_contains(path: &str, pattern: &str) -> bool {
    let mut p = pattern.split('.');
    for segment in path.split('.') {
        match p.next() {
            Some(a) if a == "*" || a == segment => {}
            _ => return false,
        }
    }
    p.next().is_some()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::string_slice)]
mod tests {
    use super::*;

    #[test]
    fn finds_expressions() {
        let text = "a ${{ x }} b $[[ inputs.y ]] ${{ open";
        let found: Vec<_> = expressions(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["${{ x }}", "$[[ inputs.y ]]", "${{ open"]);
    }

    #[test]
    fn masks_keep_offsets() {
        let text = "--password=${{ secrets.PW }} -u x";
        let masked = mask_expressions(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked, "--password=${______________} -u x");
    }

    #[test]
    fn context_paths_are_normalized() {
        let expr = "${{ toJSON(github.event.pull_request.title) || github.event['comment'].body || github.event.commits[0].message || github.event.commits.*.author.name || 'github.x' }}";
        let paths: Vec<_> = context_paths(expr).into_iter().map(|(_, p)| p).collect();
        assert_eq!(
            paths,
            [
                "tojson",
                "github.event.pull_request.title",
                "github.event.comment.body",
                "github.event.commits.*.message",
                "github.event.commits.*.author.name",
            ]
        );
        assert!(path_matches(
            "github.event.commits.*.message",
            "github.event.commits.*.message"
        ));
        assert!(path_contains("github.event", "github.event.issue.title"));
        assert!(!path_contains(
            "github.event.issue.title",
            "github.event.issue.title"
        ));
        assert!(!path_contains("github.sha", "github.event.issue.title"));
    }
}
