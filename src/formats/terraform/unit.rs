//! The lint unit of a Terraform module: every configuration and variable file of a directory,
//! in the order Terraform reads them, with the facts of the directory the rules judge by (the
//! provider lock file). Read once, before any rule runs, so that the rules judge models only.

use super::{FileKind, Module, parse_module};
use crate::formats::siblings::Siblings;

/// Where a file comes in the order Terraform loads a module's files: configuration files in
/// name order (their order does not change their meaning), then the variable files it reads
/// by itself in the order later values win — `terraform.tfvars`, `terraform.tfvars.json`, then
/// `*.auto.tfvars` and `*.auto.tfvars.json` in name order — and last the variable files it
/// reads only when named with `-var-file`, in name order.
pub fn load_rank(name: &str) -> (u8, String) {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    let rank = match FileKind::of(&lower) {
        FileKind::Config | FileKind::ConfigJson | FileKind::State => 0,
        FileKind::Vars if lower == "terraform.tfvars" => 1,
        FileKind::Vars if lower == "terraform.tfvars.json" => 2,
        FileKind::Vars
            if lower.ends_with(".auto.tfvars") || lower.ends_with(".auto.tfvars.json") =>
        {
            3
        }
        FileKind::Vars => 4,
    };
    (rank, base.to_string())
}

/// Build a module from its files (name and text, in [`load_rank`] order), with what its
/// directory (`siblings`) tells: whether the provider lock file is committed.
pub fn build(files: &[(&str, &str)], child: bool, siblings: &Siblings) -> Module {
    let mut module = parse_module(files, child);
    module.lock_file = siblings.exists(".terraform.lock.hcl");
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_files_come_in_the_order_terraform_loads_them() {
        let mut names = vec![
            "prod.tfvars",
            "b.auto.tfvars",
            "terraform.tfvars.json",
            "main.tf",
            "a.auto.tfvars.json",
            "terraform.tfvars",
            "versions.tf",
        ];
        names.sort_by_key(|n| load_rank(n));
        assert_eq!(
            names,
            [
                "main.tf",
                "versions.tf",
                "terraform.tfvars",
                "terraform.tfvars.json",
                "a.auto.tfvars.json",
                "b.auto.tfvars",
                "prod.tfvars",
            ]
        );
    }

    #[test]
    fn the_lock_file_is_read_from_the_directory() {
        let files = [("main.tf", "terraform {}\n")];
        let memory = Siblings::Memory(vec![(".terraform.lock.hcl".into(), String::new())]);
        assert!(build(&files, false, &memory).lock_file);
        assert!(!build(&files, false, &Siblings::None).lock_file);
    }
}
