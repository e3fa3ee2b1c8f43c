//! Deeply nested input never overflows the stack: the parsers cap nesting (YAML at 255 flow and
//! 255 block levels and at `MAX_DEPTH` through aliases, HCL at 32 levels and at nested operator
//! chains, Terraform JSON at 256)
//! and report a parse error; what is under the caps lints on a thread with a 2 MiB stack, the
//! size of the test harness's and rayon's threads.
// A test target sees every dependency of the package: the lint guards the library's.
#![allow(unused_crate_dependencies)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use infralint::formats::siblings::Siblings;
use infralint::{Finding, Format, Selection, SourceFile, lint_source};

/// Lint on a thread with a small stack, as the CLI's worker threads have.
fn lint(name: &str, format: Format, text: String) -> Vec<Finding> {
    let name = name.to_string();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let source = SourceFile::new(name, None, text);
            lint_source(&source, format, &Siblings::None, &Selection::default())
        })
        .unwrap()
        .join()
        .expect("linting deeply nested input panicked")
}

fn parse_errors(findings: &[Finding]) -> Vec<&str> {
    findings
        .iter()
        .filter(|f| f.rule == "infralint/parse-error")
        .map(|f| f.message.as_str())
        .collect()
}

/// A parse error whose message contains `needle`.
fn assert_parse_error(findings: &[Finding], needle: &str) {
    let errors = parse_errors(findings);
    assert!(
        errors.iter().any(|m| m.contains(needle)),
        "no parse error containing {needle:?} in {errors:?}"
    );
}

const N: usize = 100_000;

#[test]
fn deep_yaml_flow_and_block_nesting() {
    let cases = [
        ("unclosed [", "[".repeat(N)),
        ("balanced []", format!("{}{}", "[".repeat(N), "]".repeat(N))),
        (
            "balanced {}",
            format!("{}x{}", "{a: ".repeat(N), "}".repeat(N)),
        ),
        (
            "json objects",
            format!("{}1{}", "{\"a\":".repeat(N), "}".repeat(N)),
        ),
        ("block sequences", format!("{}x\n", "- ".repeat(N))),
        (
            "block mappings",
            (0..3000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect(),
        ),
    ];
    for (what, text) in cases {
        for (name, format) in [
            ("compose.yaml", Format::Compose),
            ("deploy.yaml", Format::K8s),
            ("flow.yaml", Format::Kestra),
        ] {
            let findings = lint(name, format, text.clone());
            assert!(
                !parse_errors(&findings).is_empty(),
                "{what} in {name}: no parse error"
            );
        }
    }
}

/// A document of `format` whose anchors nest `levels` flow sequences each, every one grafted
/// into the next through an alias: `chain` anchors nest about `chain * levels` deep once
/// expanded, under a container, a service or a task.
fn alias_chain(format: Format, chain: usize, levels: usize) -> String {
    let (mut text, indent) = match format {
        Format::K8s => (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.3\n".to_string(),
            "      ",
        ),
        Format::Compose => (
            "services:\n  app:\n    image: nginx:1.27.3\n".to_string(),
            "    ",
        ),
        _ => (
            "id: deep\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n".to_string(),
            "    ",
        ),
    };
    text.push_str(&format!(
        "{indent}x0: &a0 {}password{}\n",
        "[".repeat(levels),
        "]".repeat(levels)
    ));
    for k in 1..chain {
        text.push_str(&format!(
            "{indent}x{k}: &a{k} {}*a{}{}\n",
            "[".repeat(levels),
            k - 1,
            "]".repeat(levels)
        ));
    }
    text.push_str(&format!("{indent}command: *a{}\n", chain - 1));
    text
}

const YAML_FORMATS: [(&str, Format); 3] = [
    ("compose.yaml", Format::Compose),
    ("deploy.yaml", Format::K8s),
    ("flow.yaml", Format::Kestra),
];

#[test]
fn aliases_cannot_nest_past_the_depth_cap() {
    // 50 anchors of 200 levels each would nest 10,000 deep.
    for (name, format) in YAML_FORMATS {
        let findings = lint(name, format, alias_chain(format, 50, 200));
        assert_parse_error(&findings, "levels through aliases");
    }
}

#[test]
fn nesting_just_under_the_cap_lints() {
    // Four anchors of 240 levels: 960 levels under the container, service or task, just under
    // the cap of 1000; every rule walks the tree on a 2 MiB stack.
    for (name, format) in YAML_FORMATS {
        let findings = lint(name, format, alias_chain(format, 4, 240));
        assert!(parse_errors(&findings).is_empty(), "{name}: {findings:?}");
    }
}

#[test]
fn deeply_nested_kestra_tasks() {
    // Flowable tasks nested as deep as the YAML layer allows.
    let mut text = String::from("id: deep\nnamespace: company.team\ntasks:\n");
    let depth = 80;
    for i in 0..depth {
        let indent = "  ".repeat(2 * i + 1);
        text.push_str(&format!(
            "{indent}- id: s{i}\n{indent}  type: io.kestra.plugin.core.flow.Sequential\n{indent}  tasks:\n"
        ));
    }
    let indent = "  ".repeat(2 * depth + 1);
    text.push_str(&format!(
        "{indent}- id: leaf\n{indent}  type: io.kestra.plugin.core.log.Log\n{indent}  message: hi\n"
    ));
    let findings = lint("flow.yaml", Format::Kestra, text);
    assert!(parse_errors(&findings).is_empty(), "{findings:?}");
}

#[test]
fn deep_hcl_expressions_and_blocks() {
    let cases = [
        format!("a = {}1{}\n", "[".repeat(N), "]".repeat(N)),
        format!("a = {}1{}\n", "(".repeat(N), ")".repeat(N)),
        format!("a = {}1{}\n", "{a = ".repeat(N), "}".repeat(N)),
        format!("a = {}1\n", "!".repeat(N)),
        format!("a = {}1\n", "-".repeat(N)),
        format!("a = {}1\n", "x ? 1 : ".repeat(N)),
        format!("a = 1{}\n", " + 1".repeat(N)),
        format!("a = {}x{}\n", "\"${".repeat(N), "}\"".repeat(N)),
        format!("a = f({}1{})\n", "f(".repeat(N), ")".repeat(N)),
        format!(
            "a = [for x in {}1{} : x]\n",
            "[for x in ".repeat(N),
            " : x]".repeat(N)
        ),
        format!("{}{}", "b {\n".repeat(N), "}\n".repeat(N)),
        "[".repeat(N),
        // Under the nesting cap, but each level the second operand of a chain: the parser's
        // work doubles with each level when the innermost fails (a lone `&`, an unclosed `[`).
        format!("a = {}1 &{}\n", "1 < 2 > (".repeat(30), ")".repeat(30)),
        format!("a = {}1 &{}\n", "1 < 2 > \"${".repeat(15), "}\"".repeat(15)),
        format!("a = {}\n", "x || { 1 < 2 > 9 [ ".repeat(15)),
    ];
    for text in cases {
        let head: String = text.chars().take(20).collect();
        let findings = lint("main.tf", Format::Terraform, text);
        assert!(
            !parse_errors(&findings).is_empty(),
            "{head}…: no parse error"
        );
    }
}

#[test]
fn hcl_under_the_nesting_cap_lints() {
    let text = format!(
        "resource \"aws_instance\" \"x\" {{\n  tags = {}1{}\n  user_data = {}x{}\n}}\n",
        "[".repeat(31),
        "]".repeat(31),
        "{a = ".repeat(31),
        "}".repeat(31)
    );
    let findings = lint("main.tf", Format::Terraform, text);
    assert!(parse_errors(&findings).is_empty(), "{findings:?}");
}

#[test]
fn deep_terraform_json() {
    let deep = |open: &str, close: &str| {
        format!(
            "{{\"locals\": {{\"a\": {}1{}}}}}",
            open.repeat(N),
            close.repeat(N)
        )
    };
    for text in [deep("[", "]"), deep("{\"a\":", "}"), "[".repeat(N)] {
        for name in ["main.tf.json", "terraform.tfvars.json"] {
            let findings = lint(name, Format::Terraform, text.clone());
            assert!(
                !parse_errors(&findings).is_empty(),
                "{name}: no parse error"
            );
        }
    }
    // A JSON string holding a deeply nested HCL template expression.
    let text = format!(
        "{{\"locals\": {{\"a\": \"${{{}1{}}}\"}}}}",
        "[".repeat(N),
        "]".repeat(N)
    );
    lint("main.tf.json", Format::Terraform, text);
}

#[test]
fn long_docker_and_systemd_lines() {
    let text = format!("FROM alpine:3.20\nRUN {}\n", "echo a && ".repeat(N));
    lint("Dockerfile", Format::Docker, text);
    let text = format!("FROM alpine:3.20\nRUN {}\n", "x \\\n".repeat(N));
    lint("Dockerfile", Format::Docker, text);
    let text = format!("[Service]\nExecStart=/bin/true {}\n", "\\\n a".repeat(N));
    lint("app.service", Format::Systemd, text);
}

#[test]
fn nested_kestra_tasks_with_aliased_bulk_stay_bounded() {
    // Each task keeps a copy of its mapping: 120 nested tasks around an alias of 450,000 nodes
    // would copy 54 million nodes without the flow's budget.
    let levels = 120;
    let mut text = format!(
        "id: bulk\nnamespace: company.team\nvariables:\n  bulk: &b [{}x]\ntasks:\n  - ",
        "x,".repeat(450_000)
    );
    for i in 0..levels {
        text.push_str(&format!(
            "{{id: s{i}, type: io.kestra.plugin.core.flow.Sequential, tasks: ["
        ));
    }
    text.push_str("{id: leaf, type: io.kestra.plugin.core.log.Log, message: *b}");
    text.push_str(&"]}".repeat(levels));
    text.push('\n');
    let findings = lint("flow.yaml", Format::Kestra, text);
    assert_parse_error(&findings, "nested tasks hold more than");
}

#[test]
fn compose_extends_fan_out_stays_bounded() {
    // 2,000 services extending a chain of 16 over a service of 20,000 nodes would copy some
    // 640 million nodes.
    let mut text = format!(
        "services:\n  a:\n    image: nginx:1.27.3\n    environment: [{}x]\n",
        "x,".repeat(20_000)
    );
    text.push_str("  b1: {extends: a}\n");
    for i in 2..16 {
        text.push_str(&format!("  b{i}: {{extends: b{}}}\n", i - 1));
    }
    for i in 0..2000 {
        text.push_str(&format!("  s{i}: {{extends: b15}}\n"));
    }
    let findings = lint("compose.yaml", Format::Compose, text);
    assert_parse_error(&findings, "`extends` is not followed");
}

#[test]
fn terraform_json_under_the_nesting_cap_lints() {
    let n = 250;
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = format!(
            "{{\"resource\": {{\"aws_instance\": {{\"x\": {{\"tags\": {}\"${{[[1]]}}\"{}}}}}}}}}",
            open.repeat(n),
            close.repeat(n)
        );
        let findings = lint("main.tf.json", Format::Terraform, text);
        assert!(parse_errors(&findings).is_empty(), "{findings:?}");
    }
}
