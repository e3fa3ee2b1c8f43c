//! A pass over HCL text before it goes to the HCL parser, refusing what would keep the parser
//! busy for minutes: nesting past a cap, and operator chains nested so that each level doubles
//! the parser's work on the levels inside it.
//!
//! Why the doubling: when an operand after the second (or a later) operator of a chain fails to
//! parse without a hard error (an unclosed bracket at the end of the file, a lone `&`), the
//! parser keeps the chain up to the previous operator, then tries the failing operator again
//! as the start of a new chain. The failing operand, and every level nested in it, is parsed
//! twice; with `n` such levels inside one another, `2^n` times. Only files that do not parse
//! pay this, but a file of a few hundred bytes can take hours. This pass estimates the work
//! from the text and refuses the file when it is far beyond what any real configuration needs.

/// How deep brackets and template interpolations may nest. Real configurations stay far below
/// it (the deepest in a large sample of public repositories is 10).
pub(super) const MAX_NESTING: usize = 32;

/// How much work beyond reading each byte once the estimate allows: about a tenth of a second
/// of parsing on a slow machine. A real file's extra work is a few hundred bytes at most.
const MAX_EXTRA_WORK: u64 = 1 << 20;

/// Why a text is not given to the HCL parser, and where.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The bracket or interpolation at this offset opens a level past [`MAX_NESTING`].
    TooDeep(usize),
    /// The operator chains nested from this offset on would take the parser too long if the
    /// text does not parse.
    TooCostly(usize),
}

impl Refusal {
    pub(super) fn offset(&self) -> usize {
        match self {
            Refusal::TooDeep(at) | Refusal::TooCostly(at) => *at,
        }
    }

    pub(super) fn message(&self) -> String {
        match self {
            Refusal::TooDeep(_) => format!(
                "brackets and template interpolations nested more than {MAX_NESTING} levels \
                 deep: the file is not parsed"
            ),
            Refusal::TooCostly(_) => "brackets nested inside operator chains, level after level \
                 from here: the HCL parser's work doubles with each such level, so the file is \
                 not parsed"
                .to_string(),
        }
    }
}

/// What a level of the text is.
#[derive(Clone, Copy)]
enum Kind {
    /// Expressions: the file's top level, or inside a bracket or a `${`/`%{` of a template
    /// (whose closing `}` returns to the template).
    Code {
        /// Operators seen in the current chain of this level.
        operators: u32,
        /// A newline ends the chain: the top level and block or object bodies (not `{for`).
        newline_ends_chain: bool,
    },
    /// A quoted string.
    Quoted,
    /// A heredoc; the marker that ends it is at `marker` (start, length) in the text.
    Heredoc { marker: (usize, usize) },
}

struct Level {
    kind: Kind,
    /// How many enclosing levels parse this one twice.
    doubling: u32,
    /// Where the outermost of those doubling levels opens (`None` while there is none).
    origin: Option<usize>,
}

/// The reason not to parse `text`, if there is one.
pub(super) fn check(text: &str) -> Option<Refusal> {
    let bytes = text.as_bytes();
    let mut levels = vec![Level {
        kind: Kind::Code {
            operators: 0,
            newline_ends_chain: true,
        },
        doubling: 0,
        origin: None,
    }];
    let mut extra: u64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (doubling, origin, kind) = match levels.last() {
            Some(level) => (level.doubling, level.origin, level.kind),
            None => break,
        };
        let step = match kind {
            Kind::Code { .. } => code_step(text, i, &mut levels),
            Kind::Quoted => template_step(bytes, i, &mut levels, false),
            Kind::Heredoc { marker } => heredoc_step(text, i, marker, &mut levels),
        };
        // Nesting is checked where it grows: only an opening byte pushes a level.
        if levels.len() > MAX_NESTING + 1 {
            return Some(Refusal::TooDeep(i));
        }
        let step = step.max(1);
        let weight = 1u64.checked_shl(doubling.min(63)).unwrap_or(u64::MAX) - 1;
        extra = extra.saturating_add(weight.saturating_mul(step as u64));
        if extra > MAX_EXTRA_WORK {
            return Some(Refusal::TooCostly(origin.unwrap_or(i)));
        }
        i += step;
    }
    None
}

/// The level a bracket, string or heredoc opened at `at` gets inside `parent`.
fn child(parent: &Level, at: usize, kind: Kind) -> Level {
    let twice = matches!(parent.kind, Kind::Code { operators, .. } if operators >= 2);
    Level {
        kind,
        doubling: parent.doubling + u32::from(twice),
        origin: parent.origin.or(twice.then_some(at)),
    }
}

fn push(levels: &mut Vec<Level>, at: usize, kind: Kind) {
    if let Some(parent) = levels.last() {
        let level = child(parent, at, kind);
        levels.push(level);
    }
}

/// Count an operator in, or end, the chain of the innermost level.
fn chain(levels: &mut [Level], operator: bool) {
    if let Some(Level {
        kind: Kind::Code { operators, .. },
        ..
    }) = levels.last_mut()
    {
        *operators = if operator {
            operators.saturating_add(1)
        } else {
            0
        };
    }
}

/// Read code at `i`; returns how many bytes were read.
fn code_step(text: &str, i: usize, levels: &mut Vec<Level>) -> usize {
    let bytes = text.as_bytes();
    let Some(&b) = bytes.get(i) else {
        return 1;
    };
    let next = bytes.get(i + 1).copied();
    match (b, next) {
        (b'#', _) | (b'/', Some(b'/')) => return line_end(bytes, i) - i,
        (b'/', Some(b'*')) => {
            return text
                .get(i + 2..)
                .and_then(|rest| rest.find("*/"))
                .map_or(bytes.len() - i, |at| at + 4);
        }
        (b'"', _) => push(levels, i, Kind::Quoted),
        (b'<', Some(b'<')) => {
            if let Some((marker, body)) = heredoc_start(bytes, i) {
                push(levels, i, Kind::Heredoc { marker });
                return body - i;
            }
            chain(levels, true);
            return 2;
        }
        (b'(' | b'[', _) => push(levels, i, code(false)),
        (b'{', _) => {
            let for_expr = text.get(i + 1..).map(str::trim_start).is_some_and(|rest| {
                rest.starts_with("for")
                    && rest.as_bytes().get(3).is_some_and(u8::is_ascii_whitespace)
            });
            push(levels, i, code(!for_expr));
        }
        (b')' | b']' | b'}', _) if levels.len() > 1 => {
            levels.pop();
        }
        (b'&', Some(b'&'))
        | (b'|', Some(b'|'))
        | (b'=', Some(b'='))
        | (b'!', Some(b'='))
        | (b'<', Some(b'='))
        | (b'>', Some(b'=')) => {
            chain(levels, true);
            return 2;
        }
        (b'=', Some(b'>')) => {
            chain(levels, false);
            return 2;
        }
        (b'-', _) => {
            // A dash right after a letter or underscore continues an identifier.
            let in_identifier = i
                .checked_sub(1)
                .and_then(|p| bytes.get(p))
                .is_some_and(|p| p.is_ascii_alphabetic() || *p == b'_');
            if !in_identifier {
                chain(levels, true);
            }
        }
        (b'<' | b'>' | b'+' | b'*' | b'/' | b'%' | b'&' | b'|' | b'!', _) => chain(levels, true),
        (b'=' | b',' | b'?' | b':', _) => chain(levels, false),
        (b'\n', _) => {
            if let Some(Level {
                kind:
                    Kind::Code {
                        newline_ends_chain: true,
                        ..
                    },
                ..
            }) = levels.last()
            {
                chain(levels, false);
            }
        }
        _ => {}
    }
    1
}

fn code(newline_ends_chain: bool) -> Kind {
    Kind::Code {
        operators: 0,
        newline_ends_chain,
    }
}

/// Read template text at `i` (a quoted string, or a heredoc when `heredoc`).
fn template_step(bytes: &[u8], i: usize, levels: &mut Vec<Level>, heredoc: bool) -> usize {
    let Some(&b) = bytes.get(i) else {
        return 1;
    };
    let next = bytes.get(i + 1).copied();
    match (b, next) {
        (b'$', Some(b'$')) | (b'%', Some(b'%')) => return 2,
        (b'$' | b'%', Some(b'{')) => {
            push(levels, i, code(false));
            return 2;
        }
        (b'\\', _) if !heredoc => return 2,
        // A quoted string ends at its quote, or at the end of its line, where the parser
        // stops with an error.
        (b'"' | b'\n', _) if !heredoc => {
            levels.pop();
        }
        _ => {}
    }
    1
}

/// Read a heredoc's text at `i`: a line that holds only its marker ends it.
fn heredoc_step(text: &str, i: usize, marker: (usize, usize), levels: &mut Vec<Level>) -> usize {
    let bytes = text.as_bytes();
    let at_line_start = i == 0 || bytes.get(i - 1) == Some(&b'\n');
    if at_line_start {
        let end = line_end(bytes, i);
        let line = text.get(i..end).unwrap_or("");
        let marker = text.get(marker.0..marker.0 + marker.1);
        if marker.is_some_and(|m| line.trim() == m) {
            levels.pop();
            return (end - i).max(1);
        }
    }
    template_step(bytes, i, levels, true)
}

/// The marker (start, length) of a heredoc opening at `i` (`<<` or `<<-`, an identifier, the
/// line's end), and where its body starts.
fn heredoc_start(bytes: &[u8], i: usize) -> Option<((usize, usize), usize)> {
    let mut start = i + 2;
    if bytes.get(start) == Some(&b'-') {
        start += 1;
    }
    let mut end = start;
    while bytes
        .get(end)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
    {
        end += 1;
    }
    if end == start {
        return None;
    }
    let body = match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\n'), _) => end + 1,
        (Some(b'\r'), Some(b'\n')) => end + 2,
        _ => return None,
    };
    Some(((start, end - start), body))
}

/// The offset of the newline that ends the line at `i` (or the end of the text).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |at| i + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_configurations_pass() {
        let text = r#"locals {
  ok = var.a != null && var.b != null && (var.c > 1 || (var.d < 2 && [for x in var.e : x if x > 0]))
  s  = "${var.a}-${var.b > 1 ? "x-${var.c}" : "y"}"
  h  = <<-EOT
    ${jsonencode({ a = [1 + 2 + (3 * 4)] })}
    %{ if var.a > 1 }yes%{ endif }
  EOT
  m  = { for k, v in var.m : k => v if v - 1 > 0 - 2 }
}
"#;
        assert_eq!(check(text), None);
    }

    #[test]
    fn chains_of_nested_operators_are_refused() {
        // Each level is the operand of a chain's second operator: the parser reads the
        // innermost 2^n times when it fails there.
        for (level, close) in [
            ("1 < 2 > (", ")"),
            ("1 < 2 > \"${", "}\""),
            ("1 && 2 || [", "]"),
        ] {
            let text = format!("a = {}1 &{}\n", level.repeat(24), close.repeat(24));
            let refusal = check(&text).unwrap();
            assert!(
                matches!(refusal, Refusal::TooCostly(_)),
                "{level}: {refusal:?}"
            );
            // The first level that doubles: the bracket after the first chain.
            let opener = level.find(['(', '[', '"']).unwrap();
            assert_eq!(refusal.offset(), "a = ".len() + opener, "{level}");
        }
        // One operator before each level: no level is parsed twice.
        let text = format!("a = {}1{}\n", "1 < (".repeat(30), ")".repeat(30));
        assert_eq!(check(&text), None);
        // Commas, colons and assignments start new chains.
        let text = format!("a = {}1{}\n", "1 < 2, (".repeat(30), ")".repeat(30));
        assert_eq!(check(&text), None);
    }

    #[test]
    fn nesting_past_the_cap_is_refused() {
        let text = format!("a = {}\n", "[".repeat(MAX_NESTING + 1));
        assert_eq!(check(&text), Some(Refusal::TooDeep(4 + MAX_NESTING)));
        let text = format!("a = {}\n", "\"${".repeat(MAX_NESTING / 2 + 1));
        assert!(matches!(check(&text), Some(Refusal::TooDeep(_))));
        // Brackets in strings, heredocs and comments are text.
        let open = "[".repeat(MAX_NESTING + 1);
        let text = format!("a = \"{open}\"\nb = <<EOT\n{open}\nEOT\n# {open}\n/* {open} */\n");
        assert_eq!(check(&text), None);
    }
}
