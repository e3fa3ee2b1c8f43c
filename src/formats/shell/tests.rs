//! Tests of both dialects: quoting, escapes, operators, spans, comments and broken input.

use super::*;

fn lex(text: &str) -> Vec<Command> {
    read(text, Dialect::Posix)
}

fn names(text: &str) -> Vec<String> {
    walk(&lex(text))
        .iter()
        .filter_map(|c| c.name().map(str::to_string))
        .collect()
}

fn texts(command: &Command) -> Vec<&str> {
    command.words.iter().map(|w| w.text.as_str()).collect()
}

fn unit(text: &str) -> Vec<Vec<String>> {
    read(text, Dialect::Systemd)
        .iter()
        .map(|c| c.words.iter().map(|w| w.text.clone()).collect())
        .collect()
}

#[test]
fn splits_on_operators_and_skips_wrappers() {
    assert_eq!(
        names(
            "apt-get update && sudo -E apt-get install -y gcc; DEBIAN_FRONTEND=x env -i A=b make all || true"
        ),
        ["apt-get", "apt-get", "make", "true"]
    );
    assert_eq!(names("if [ -f x ]; then /usr/bin/make; fi"), ["[", "make"]);
    assert_eq!(names("command -v make && nice -n 5 cmake ."), ["cmake"]);
    assert_eq!(names("sudo -u app bash -lc 'make'"), ["bash", "make"]);
    assert_eq!(names("a\nb & c |& d"), ["a", "b", "c", "d"]);
    assert_eq!(names("(cd x && make) ; { y; }"), ["cd", "make", "y"]);
}

#[test]
fn posix_quotes_and_escapes() {
    let cmds = lex(r#"echo 'a\b' "c\"d\$e\q" f\ g --x="y z" 'h'"i"j """#);
    let echo = cmds.first().unwrap();
    assert_eq!(
        texts(echo),
        ["echo", r"a\b", r#"c"d$e\q"#, "f g", "--x=y z", "hij", ""]
    );
    let text = "a \"b\\\nc\" d\\\ne";
    assert_eq!(texts(lex(text).first().unwrap()), ["a", "bc", "de"]);
}

#[test]
fn quotes_comments_and_redirections() {
    let cmds = lex("echo \"a | b\" 'c && d' > /dev/null 2>&1 # make it\nls");
    assert_eq!(cmds.len(), 2);
    let echo = cmds.first().unwrap();
    let texts: Vec<&str> = echo.args().iter().map(|w| w.text.as_str()).collect();
    assert_eq!(texts, ["a | b", "c && d"]);
    assert_eq!(names("cat <<EOF > /x\nmake\n"), ["cat", "make"]);
    assert_eq!(names("a # b; c\nd#e"), ["a", "d#e"]);
    assert_eq!(names("# only a comment"), Vec::<String>::new());
    assert_eq!(names("x &>/dev/null; y"), ["x", "y"]);
}

#[test]
fn extents_include_assignments_and_redirections() {
    let text = "  A=1 make all >log 2>&1 ; b";
    let cmds = lex(text);
    let make = cmds.first().unwrap();
    assert_eq!(&text[make.extent.clone()], "A=1 make all >log 2>&1");
    assert_eq!(&text[cmds.get(1).unwrap().extent.clone()], "b");
}

#[test]
fn pipelines_share_a_number() {
    let cmds = lex("curl -fsSL https://x | sudo bash -s -- -y && echo done");
    let [curl, bash, echo] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(curl.pipeline, bash.pipeline);
    assert_ne!(bash.pipeline, echo.pipeline);
    assert_eq!(bash.name(), Some("bash"));
    assert!(!lex("a || b").windows(2).any(|w| match w {
        [x, y] => x.pipeline == y.pipeline,
        _ => false,
    }));
    let mut reader = Reader::new(Dialect::Posix);
    let first = reader.read("a");
    let second = reader.read("b");
    assert_ne!(
        first.first().unwrap().pipeline,
        second.first().unwrap().pipeline
    );
}

#[test]
fn substitutions_and_shell_scripts_are_nested() {
    let cmds = lex("sh -c \"$(curl -fsSL https://x)\"");
    let sh = cmds.first().unwrap();
    let arg = sh.args().get(1).unwrap();
    assert!(arg.whole_substitution);
    assert_eq!(arg.nested.first().unwrap().name(), Some("curl"));

    let cmds = lex("bash <(wget -qO- https://x)");
    let arg = cmds.first().unwrap().args().first().unwrap();
    assert!(arg.whole_substitution);
    assert_eq!(names("bash <(wget -qO- https://x)"), ["bash", "wget"]);

    assert_eq!(names("V=`uname -m` X=$((1+2)) go build"), ["go", "uname"]);
    assert!(
        !lex("echo x$(date)")
            .first()
            .unwrap()
            .args()
            .first()
            .unwrap()
            .whole_substitution
    );
    assert_eq!(
        names("bash -euo pipefail -c 'cd /src && make install'"),
        ["bash", "cd", "make"]
    );
    let cmds = lex("echo ${A:-a b} ${{ github.sha }}");
    assert_eq!(
        texts(cmds.first().unwrap()),
        ["echo", "${A:-a b}", "${{ github.sha }}"]
    );
}

#[test]
fn spans_point_at_the_words() {
    let text = "cd /x && cmake ..";
    let cmds = lex(text);
    let cmake = cmds.get(1).unwrap();
    assert_eq!(&text[cmake.name_word().unwrap().span.range()], "cmake");
    assert_eq!(&text[cmake.span().range()], "cmake ..");
    let cmds = lex("sh -c 'make -j4'");
    let all = walk(&cmds);
    let make = all.get(1).unwrap();
    assert_eq!(&"sh -c 'make -j4'"[make.span().range()], "make -j4");
}

#[test]
fn spans_count_bytes_of_multibyte_text() {
    let text = "écho 'ünï cödé' && ☃ x";
    let cmds = lex(text);
    let first = cmds.first().unwrap();
    let arg = first.args().first().unwrap();
    assert_eq!(arg.text, "ünï cödé");
    assert_eq!(&text[arg.span.range()], "'ünï cödé'");
    let snowman = cmds.get(1).unwrap().name_word().unwrap();
    assert_eq!(&text[snowman.span.range()], "☃");
    let words = read("ExecStart=x", Dialect::Systemd);
    assert_eq!(words.len(), 1);
    let text = "/bin/é \"ü x\" ☃";
    let cmds = read(text, Dialect::Systemd);
    let spans: Vec<&str> = cmds
        .first()
        .unwrap()
        .words
        .iter()
        .map(|w| &text[w.span.range()])
        .collect();
    assert_eq!(spans, ["/bin/é", "\"ü x\"", "☃"]);
}

#[test]
fn a_map_carries_spans_back_to_the_file() {
    // A text joined from two lines of a file (`RUN a \` + `    b`): offset 2 of the text is
    // offset 10 of the file.
    let text = "a b";
    let map = |r: std::ops::Range<usize>| {
        let at = |o: usize| if o >= 2 { o + 8 } else { o };
        Span::new(at(r.start), at(r.end))
    };
    let mut reader = Reader::new(Dialect::Posix);
    let cmds = reader.read_range(text, 0..text.len(), &map);
    let b = cmds.first().unwrap().args().first().unwrap();
    assert_eq!(b.span, Span::new(10, 11));
    assert_eq!(b.range, 2..3);
}

#[test]
fn systemd_quotes_escapes_and_prefixes() {
    assert_eq!(
        unit(r#"-/usr/bin/rclone mount "a b" 'c d' e\sf"#),
        [["/usr/bin/rclone", "mount", "a b", "c d", "e f"]]
    );
    // Escapes are decoded inside single quotes; quotes may open inside a word.
    assert_eq!(
        unit(r#"/bin/x 'a\tb' "c\x41" --o="p q" \u00e9 \101 \d"#),
        [["/bin/x", "a\tb", "cA", "--o=p q", "é", "A", "\\d"]]
    );
    // No operators, comments or redirections: they are plain words.
    assert_eq!(
        unit("/bin/sh -c 'a && b' # > x"),
        [["/bin/sh", "-c", "a && b", "#", ">", "x"]]
    );
    assert!(unit("  ").is_empty());
    let cmds = read("@+/bin/x y", Dialect::Systemd);
    let first = cmds.first().unwrap().words.first().unwrap();
    assert_eq!(first.range, 2..8);
    assert_eq!(first.text, "/bin/x");
    assert_eq!(cmds.first().unwrap().name(), Some("x"));
}

#[test]
fn systemd_semicolons_separate_commands() {
    assert_eq!(
        unit(r#"-/bin/a x ; !/bin/b \; ";" ;"#),
        [vec!["/bin/a", "x"], vec!["/bin/b", ";", ";"]]
    );
    assert_eq!(unit("/bin/a x;y"), [["/bin/a", "x;y"]]);
    assert_eq!(
        unit("/bin/a $X ${Y} %h $$"),
        [["/bin/a", "$X", "${Y}", "%h", "$$"]]
    );
}

#[test]
fn unterminated_input_does_not_panic() {
    for text in [
        "echo \"abc",
        "$(curl",
        "`x",
        "a 'b",
        "x <(",
        "${a",
        "\\",
        "é $(é",
        "2>",
        "<",
        ">",
        "&>",
        "a >(",
        "$((",
        "<<-",
        "|&",
        ";;",
        "\\\n",
        "x <<<",
        "( )",
        "$(())",
        "`\\`",
        "sh -c",
        "sh -c '",
        "bash -c \"$(",
        "'\\",
        "\"\\",
        "\\x4",
        "\\u12",
        "\\U0011ffff",
        "\\777",
        "\\x00",
        "@",
        ";",
        "-",
    ] {
        for dialect in [Dialect::Posix, Dialect::Systemd] {
            let _ = walk(&read(text, dialect));
            for cut in 0..=text.len() {
                let mut reader = Reader::new(dialect);
                let _ = reader.read_range(text, cut..text.len(), &|r| Span::new(r.start, r.end));
            }
        }
    }
    assert_eq!(unit("/bin/x 'a b"), [["/bin/x", "a b"]]);
    assert_eq!(unit("/bin/x a\\"), [["/bin/x", "a\\"]]);
}

/// Random texts made of the characters that matter to the reader never panic, and every span
/// stays inside the text.
#[test]
fn random_input_never_panics() {
    const ALPHABET: &[&str] = &[
        " ", "\t", "\n", "\\", "'", "\"", "$", "(", ")", "{", "}", "`", "<", ">", "&", "|", ";",
        "#", "-", "c", "sh", "=", "a", "é", "☃", "x", "@", "\r", "0", "%",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        for dialect in [Dialect::Posix, Dialect::Systemd] {
            let cmds = read(&text, dialect);
            for cmd in walk(&cmds) {
                assert!(cmd.extent.end <= text.len(), "{text:?}");
                for word in &cmd.words {
                    assert!(text.get(word.range.clone()).is_some(), "{text:?}");
                    assert!(word.span.end as usize <= text.len(), "{text:?}");
                }
            }
        }
    }
}
