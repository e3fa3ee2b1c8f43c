//! The YAML layer on whole files, through the same entry point the CLI uses: multi-document
//! streams with a broken document, anchors and merge keys, CRLF line endings, a 10 MB manifest
//! bundle and a billion-laughs document.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use infralint::Format;
use infralint::Selection;
use infralint::engine::lint_source;
use infralint::formats::siblings::Siblings;
use infralint::source::SourceFile;

fn lint(name: &str, text: String, format: Format) -> (SourceFile, Vec<infralint::Finding>) {
    let source = SourceFile::new(name, None, text);
    let selection = Selection {
        select: vec![
            "infralint/parse-error".into(),
            "infralint/duplicate-key".into(),
        ],
        extend_select: vec![],
        ignore: vec![],
    };
    let findings = lint_source(&source, format, &Siblings::None, &selection);
    (source, findings)
}

fn config_map(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  mode: prod\n")
}

#[test]
fn a_broken_document_does_not_hide_the_next_ones() {
    let text = format!(
        "{}---\napiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n---\n{}  mode: again\n",
        config_map("first"),
        config_map("third")
    );
    let (source, findings) = lint("bundle.yaml", text, Format::K8s);
    let rules: Vec<_> = findings.iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        ["infralint/parse-error", "infralint/duplicate-key"],
        "{findings:?}"
    );
    // The parse error is in the second document, the duplicate key in the third.
    assert_eq!(source.line_col(findings[0].span.start).line, 10);
    assert_eq!(source.line_col(findings[1].span.start).line, 18);
}

#[test]
fn anchors_and_merge_keys_are_resolved() {
    let text = "x-base: &base\n  restart: unless-stopped\n  logging: &log\n    driver: local\nservices:\n  web:\n    <<: *base\n    image: nginx:1.27.3\n  worker:\n    <<: *base\n    logging: *log\n    image: busybox:1.37\n";
    let (_, findings) = lint("compose.yaml", text.to_string(), Format::Compose);
    assert!(findings.is_empty(), "{findings:?}");
    let stream = infralint::formats::yaml::parse(text);
    let root = stream.documents[0].root.as_ref().unwrap();
    let web = root.path(&["services", "web"]).unwrap();
    assert_eq!(web.get("restart").unwrap().as_str(), Some("unless-stopped"));
    let worker = root
        .path(&["services", "worker", "logging", "driver"])
        .unwrap();
    assert_eq!(worker.as_str(), Some("local"));
}

#[test]
fn crlf_line_endings_keep_positions() {
    let text = config_map("crlf").replace('\n', "\r\n") + "  mode: twice\r\n";
    let (source, findings) = lint("crlf.yaml", text, Format::K8s);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let at = source.line_col(findings[0].span.start);
    assert_eq!((at.line, at.column), (7, 3));
    assert_eq!(source.slice(findings[0].span), "mode");
}

#[test]
fn a_ten_megabyte_bundle_is_linted_whole() {
    let mut text = String::with_capacity(10_500_000);
    let mut n = 0;
    while text.len() < 10_000_000 {
        text.push_str(&config_map(&format!("cm-{n}")));
        text.push_str("---\n");
        n += 1;
    }
    // A problem in the very last document must still be found.
    text.push_str(&config_map("last"));
    text.push_str("  mode: again\n");
    let lines = text.lines().count();
    let (source, findings) = lint("bundle.yaml", text, Format::K8s);
    assert_eq!(findings.len(), 1, "{:?}", findings.first());
    assert_eq!(source.line_col(findings[0].span.start).line, lines);
    let manifest = infralint::formats::k8s::parse(&source.text);
    assert_eq!(manifest.objects.len(), n + 1);
}

#[test]
fn billion_laughs_is_one_clear_finding() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\n");
    text.push_str(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let mut prev = "a";
    for name in names {
        let refs = vec![format!("*{prev}"); 10].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        prev = name;
    }
    let (_, findings) = lint("lol.yaml", text, Format::K8s);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].rule, "infralint/parse-error");
    assert!(
        findings[0].message.contains("more than 1000000 nodes"),
        "{}",
        findings[0].message
    );
}

#[test]
fn deep_nesting_is_a_finding_not_a_crash() {
    let text = "a: ".to_string() + &"[".repeat(100_000);
    let (_, findings) = lint("deep.yaml", text, Format::K8s);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, "infralint/parse-error");
}
