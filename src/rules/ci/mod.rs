//! Rules for CI pipelines: GitHub Actions workflows, composite actions and GitLab CI.

#[allow(dead_code)] // shared by the rules that follow
mod activity;
mod excessive_permissions;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[&excessive_permissions::RULE];
