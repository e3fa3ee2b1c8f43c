//! The `.dockerignore` of a build: which ignore file applies to a Dockerfile, and a matcher that
//! follows Docker's semantics for its patterns (Go's `filepath.Match` per pattern, `**` across
//! directories, `!` re-including, the last match deciding). The matcher is written out rather
//! than built on a glob library such as `globset`: those read `[!a]` as a negated class where
//! Go reads a literal `!`, and know neither Docker's path cleaning nor its rule that a pattern
//! matching a parent directory excludes everything below it.

use crate::formats::siblings::Siblings;

/// An ignore file that applies to the build: its file name and its patterns.
#[derive(Clone, Debug)]
pub struct IgnoreFile {
    /// `Dockerfile.dockerignore`-style name or `.dockerignore`.
    pub name: String,
    pub matcher: Matcher,
}

/// The ignore file that applies to the Dockerfile named `dockerfile_path` (a display path; only
/// its last component counts). BuildKit prefers `<Dockerfile name>.dockerignore` beside the
/// Dockerfile and then reads no other; otherwise `.dockerignore` of the context directory, which
/// is the Dockerfile's directory here.
pub fn find_ignore_file(siblings: &Siblings, dockerfile_path: &str) -> Option<IgnoreFile> {
    let base = dockerfile_path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(dockerfile_path);
    let candidates = [format!("{base}.dockerignore"), ".dockerignore".to_string()];
    for name in candidates {
        if base.is_empty() && name != ".dockerignore" {
            continue;
        }
        if let Some(text) = siblings.read(&name) {
            return Some(IgnoreFile {
                matcher: Matcher::parse(&text),
                name,
            });
        }
        // Present but unreadable (or a directory): it still applies, with nothing we can read.
        if siblings.exists(&name) {
            return Some(IgnoreFile {
                matcher: Matcher::default(),
                name,
            });
        }
    }
    None
}

/// The patterns of an ignore file, in order.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
struct Pattern {
    /// A `!` line: re-includes what it matches.
    exclusion: bool,
    tokens: Vec<Token>,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Char(char),
    /// `*`: any run of characters other than `/`.
    Star,
    /// `?`: one character other than `/`.
    Question,
    /// `[...]`: one character in (or, negated, not in) the ranges.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// `**` (with its `/`) before more pattern: nothing, or anything ending in `/`.
    AnyDirs,
    /// `**` at the end: anything at all.
    Rest,
}

impl Matcher {
    /// Read an ignore file the way the Docker CLI and BuildKit do: one pattern per line, lines
    /// starting with `#` are comments, blank lines are skipped, surrounding whitespace and one
    /// leading `/` are dropped, paths are cleaned, `!` re-includes. Patterns Docker would reject
    /// (an unterminated `[`, a lone `!`) match nothing here.
    pub fn parse(text: &str) -> Matcher {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for line in text.lines() {
            // A comment must start the line; `  #x` is the pattern `#x`.
            if line.starts_with('#') {
                continue;
            }
            let mut line = line.trim();
            if line.is_empty() {
                continue;
            }
            let exclusion = line.starts_with('!');
            if exclusion {
                line = line.get(1..).unwrap_or("").trim();
                if line.is_empty() {
                    continue;
                }
            }
            let mut cleaned = clean(line);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            if let Some(tokens) = compile(&cleaned) {
                patterns.push(Pattern { exclusion, tokens });
            }
        }
        Matcher { patterns }
    }

    /// Whether a path of the context (`/`-separated, relative to the context root) is left out
    /// of the build context: the last pattern that matches it or one of its parent directories
    /// decides.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path.trim_start_matches('/'));
        let path: Vec<char> = path.chars().collect();
        // Parent directories, shortest first: `a`, `a/b` for `a/b/c`.
        let parents: Vec<&[char]> = path
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c == '/')
            .filter_map(|(i, _)| path.get(..i))
            .collect();
        let mut excluded = false;
        for pattern in &self.patterns {
            // A pattern can only change the outcome when it points the other way.
            if pattern.exclusion != excluded {
                continue;
            }
            let hit = pattern.matches(&path) || parents.iter().any(|p| pattern.matches(p));
            if hit {
                excluded = !pattern.exclusion;
            }
        }
        excluded
    }
}

impl Pattern {
    /// Match the whole path: a row of "the pattern so far matches the first j characters",
    /// advanced one token at a time (linear in pattern × path, no backtracking).
    fn matches(&self, path: &[char]) -> bool {
        let n = path.len();
        let mut row = vec![false; n + 1];
        if let Some(first) = row.first_mut() {
            *first = true;
        }
        for token in &self.tokens {
            let mut next = vec![false; n + 1];
            match token {
                Token::Char(_) | Token::Question | Token::Class { .. } => {
                    for (j, &c) in path.iter().enumerate() {
                        if row.get(j) == Some(&true) && token.accepts(c) {
                            if let Some(slot) = next.get_mut(j + 1) {
                                *slot = true;
                            }
                        }
                    }
                }
                Token::Star => {
                    for j in 0..=n {
                        let here = row.get(j) == Some(&true);
                        let extend = j > 0
                            && next.get(j - 1) == Some(&true)
                            && path.get(j - 1).is_some_and(|&c| c != '/');
                        if let Some(slot) = next.get_mut(j) {
                            *slot = here || extend;
                        }
                    }
                }
                Token::Rest => {
                    let mut seen = false;
                    for j in 0..=n {
                        seen |= row.get(j) == Some(&true);
                        if let Some(slot) = next.get_mut(j) {
                            *slot = seen;
                        }
                    }
                }
                Token::AnyDirs => {
                    let mut seen_before = false;
                    for j in 0..=n {
                        let slash = j > 0 && path.get(j - 1) == Some(&'/');
                        let here = row.get(j) == Some(&true);
                        if let Some(slot) = next.get_mut(j) {
                            *slot = here || (slash && seen_before);
                        }
                        seen_before |= here;
                    }
                }
            }
            row = next;
        }
        row.last() == Some(&true)
    }
}

impl Token {
    fn accepts(&self, c: char) -> bool {
        match self {
            Token::Char(want) => *want == c,
            Token::Question => c != '/',
            Token::Class { negated, ranges } => {
                ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
            }
            Token::Star | Token::AnyDirs | Token::Rest => false,
        }
    }
}

/// Turn a cleaned pattern into tokens. `None` for a pattern Go's `filepath.Match` rejects.
fn compile(pattern: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                // `**/` is read as `**`.
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                tokens.push(if i >= chars.len() {
                    Token::Rest
                } else {
                    Token::AnyDirs
                });
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::Question),
            '\\' => match chars.get(i) {
                Some(&next) => {
                    i += 1;
                    tokens.push(Token::Char(next));
                }
                None => tokens.push(Token::Char('\\')),
            },
            '[' => {
                let (token, used) = class(chars.get(i..).unwrap_or(&[]))?;
                i += used;
                tokens.push(token);
            }
            _ => tokens.push(Token::Char(c)),
        }
    }
    Some(tokens)
}

/// A character class after its `[`: the token and the characters used, through the `]`.
fn class(chars: &[char]) -> Option<(Token, usize)> {
    let mut i = 0;
    let negated = chars.first() == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !ranges.is_empty() {
            return Some((Token::Class { negated, ranges }, i + 1));
        }
        let (lo, used) = class_char(chars.get(i..)?)?;
        i += used;
        let mut hi = lo;
        if chars.get(i) == Some(&'-') {
            let (end, used) = class_char(chars.get(i + 1..)?)?;
            hi = end;
            i += 1 + used;
            if hi < lo {
                return None;
            }
        }
        ranges.push((lo, hi));
    }
}

/// One character inside a class, `\` escaping the next; a bare `-` or `]` is an error there.
fn class_char(chars: &[char]) -> Option<(char, usize)> {
    match chars.first()? {
        '\\' => chars.get(1).map(|&c| (c, 2)),
        '-' | ']' => None,
        &c => Some((c, 1)),
    }
}

/// Lexical path cleaning as Go's `path.Clean` does it: repeated `/` collapsed, `.` elements
/// dropped, `..` resolved against the previous element, trailing `/` removed, `.` when empty.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn excluded(ignore: &str, path: &str) -> bool {
        Matcher::parse(ignore).excludes(path)
    }

    #[test]
    fn cleaning_paths() {
        assert_eq!(clean("./a"), "a");
        assert_eq!(clean("a//b/"), "a/b");
        assert_eq!(clean("a/./b/../c"), "a/c");
        assert_eq!(clean("../a"), "../a");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("./"), ".");
        assert_eq!(clean("/"), "/");
    }

    #[test]
    fn plain_names_match_at_the_root_and_everything_below() {
        let ignore = "node_modules\n.git\n";
        assert!(excluded(ignore, "node_modules"));
        assert!(excluded(ignore, "node_modules/react/index.js"));
        assert!(excluded(ignore, ".git"));
        assert!(excluded(ignore, ".git/HEAD"));
        assert!(!excluded(ignore, "app/node_modules"));
        assert!(!excluded(ignore, "app/node_modules/x"));
        assert!(!excluded(ignore, ".gitignore"));
        assert!(!excluded(ignore, "src/main.rs"));
    }

    #[test]
    fn double_star_matches_any_number_of_directories() {
        let ignore = "**/node_modules\n**/.env\n";
        assert!(excluded(ignore, "node_modules"));
        assert!(excluded(ignore, "app/node_modules/x"));
        assert!(excluded(ignore, "a/b/c/node_modules"));
        assert!(excluded(ignore, ".env"));
        assert!(excluded(ignore, "config/.env"));
        assert!(!excluded(ignore, ".envrc"));
        assert!(!excluded(ignore, "a.env"));
        assert!(!excluded(ignore, "config/x.env"));

        let ignore = "a/**/b";
        assert!(excluded(ignore, "a/b"));
        assert!(excluded(ignore, "a/x/y/b"));
        assert!(excluded(ignore, "a/x/b/c"));
        assert!(!excluded(ignore, "a/xb"));
        assert!(!excluded(ignore, "b"));
    }

    #[test]
    fn trailing_double_star_matches_below_but_not_the_directory() {
        assert!(excluded("docs/**", "docs/a.md"));
        assert!(excluded("docs/**", "docs/a/b.md"));
        assert!(!excluded("docs/**", "docs"));
        assert!(excluded("**", "anything/at/all"));
        assert!(excluded("**/", ".git"));
    }

    #[test]
    fn star_and_question_mark_stay_within_one_name() {
        assert!(excluded("*.pem", "key.pem"));
        assert!(!excluded("*.pem", "certs"));
        assert!(!excluded("*.pem", "certs/key.pem"));
        assert!(excluded("**/*.pem", "certs/key.pem"));
        assert!(excluded("**/*.pem", "key.pem"));
        assert!(excluded("*/x", "a/x"));
        assert!(!excluded("*/x", "a/b/x"));
        assert!(excluded("a?c", "abc"));
        assert!(!excluded("a?c", "a/c"));
        assert!(!excluded("a?c", "ac"));
        assert!(excluded("*", ".git"));
        assert!(excluded("*", "src/deep/file"));
    }

    #[test]
    fn prefixes_and_suffixes() {
        let ignore = ".env*\n";
        assert!(excluded(ignore, ".env"));
        assert!(excluded(ignore, ".env.local"));
        assert!(excluded(ignore, ".env.example"));
        assert!(!excluded(ignore, "app/.env"));
        assert!(excluded("*.tfstate*", "terraform.tfstate"));
        assert!(excluded("*.tfstate*", "terraform.tfstate.backup"));
        assert!(excluded("id_*", "id_rsa"));
        assert!(!excluded("id_*", "uuid_x"));
    }

    #[test]
    fn exclamation_lines_re_include_and_the_last_match_wins() {
        let ignore = ".env*\n!.env.example\n";
        assert!(excluded(ignore, ".env.local"));
        assert!(!excluded(ignore, ".env.example"));

        let ignore = "*\n!src\n!package.json\n";
        assert!(excluded(ignore, ".git"));
        assert!(excluded(ignore, ".env"));
        assert!(!excluded(ignore, "src/index.js"));
        assert!(!excluded(ignore, "package.json"));

        // An exclusion before the pattern it would undo does nothing.
        assert!(excluded("!.env\n.env", ".env"));
        assert!(!excluded(".env\n!.env", ".env"));

        // Re-including below an excluded directory.
        let ignore = "node_modules\n!node_modules/keep\n";
        assert!(excluded(ignore, "node_modules/other"));
        assert!(!excluded(ignore, "node_modules/keep/x"));
        assert!(excluded(ignore, "node_modules"));
    }

    #[test]
    fn leading_slash_dot_slash_and_trailing_slash_are_cleaned() {
        assert!(excluded("/target", "target"));
        assert!(excluded("/target", "target/debug/app"));
        assert!(!excluded("/target", "crates/a/target"));
        assert!(excluded("./target", "target"));
        assert!(excluded("target/", "target/x"));
        assert!(excluded("a//b/./c/../d", "a/b/d"));
        assert!(!excluded(".env\n!./.env\n", ".env"));
    }

    #[test]
    fn comments_blank_lines_whitespace_and_line_endings() {
        let ignore = "\u{feff}# secrets\n\n   \n  .git  \r\n\t.env\r\n # not a comment\n";
        assert!(excluded(ignore, ".git"));
        assert!(excluded(ignore, ".env"));
        assert!(!excluded(ignore, "# secrets"));
        assert!(excluded(ignore, "# not a comment"));
        assert!(Matcher::parse("# only\n\n").patterns.is_empty());
        assert!(!excluded("!\n", "x"));
    }

    #[test]
    fn character_classes() {
        assert!(excluded("[a-c].txt", "b.txt"));
        assert!(!excluded("[a-c].txt", "d.txt"));
        assert!(excluded("[^a-c].txt", "d.txt"));
        assert!(!excluded("[^a-c].txt", "a.txt"));
        // `!` has no special meaning inside a class, as in Go.
        assert!(excluded("[!a].txt", "a.txt"));
        assert!(excluded("[!a].txt", "!.txt"));
        assert!(excluded("[\\]]x", "]x"));
        assert!(excluded("file[0-9][0-9]", "file42"));
        assert!(!excluded("[xyz-]", "-"));
        // Malformed classes are rejected and match nothing.
        assert!(!excluded("[a", "[a"));
        assert!(!excluded("[]", "x"));
        assert!(!excluded("[z-a]", "m"));
    }

    #[test]
    fn backslash_escapes_the_next_character() {
        assert!(excluded("\\*.txt", "*.txt"));
        assert!(!excluded("\\*.txt", "a.txt"));
        assert!(excluded("a\\?", "a?"));
        assert!(!excluded("a\\?", "ab"));
        assert!(excluded("trail\\", "trail\\"));
    }

    #[test]
    fn query_paths_are_cleaned_too() {
        assert!(excluded(".git", "./.git"));
        assert!(excluded(".git", "/.git/config"));
    }

    #[test]
    fn ignore_file_lookup_prefers_the_per_dockerfile_file() {
        let siblings = Siblings::Memory(vec![
            (".dockerignore".to_string(), ".git\n".to_string()),
            (
                "Dockerfile.prod.dockerignore".to_string(),
                ".env\n".to_string(),
            ),
        ]);
        let f = find_ignore_file(&siblings, "deploy/Dockerfile.prod").unwrap();
        assert_eq!(f.name, "Dockerfile.prod.dockerignore");
        assert!(f.matcher.excludes(".env"));
        assert!(!f.matcher.excludes(".git"));

        let f = find_ignore_file(&siblings, "deploy/Dockerfile").unwrap();
        assert_eq!(f.name, ".dockerignore");
        assert!(f.matcher.excludes(".git"));

        assert!(find_ignore_file(&Siblings::Memory(vec![]), "Dockerfile").is_none());
        assert!(find_ignore_file(&Siblings::None, "Dockerfile").is_none());
    }
}
