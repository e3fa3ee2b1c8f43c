//! A Terraform state file reached the linter, so git would track it.
use crate::formats::terraform::FileKind;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "terraform/state-file-committed",
    severity: Severity::Critical,
    default: true,
    doc: include_str!("../../../rules/terraform/state-file-committed.md"),
    check: Check::Terraform(check),
};

fn check(module: &Module, cx: &mut Ctx) {
    for file in module.files.iter().filter(|f| f.kind == FileKind::State) {
        let name = file.name.rsplit('/').next().unwrap_or(&file.name);
        cx.report(
            file.extent.start(),
            format!("state file `{name}` is not ignored by git, and state holds every managed secret in plain text"),
        )
        .help("move state to a remote backend, ignore `*.tfstate*`, purge the file from history and rotate what it held");
    }
}
