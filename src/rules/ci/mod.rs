//! Rules for CI pipelines: GitHub Actions workflows, composite actions and GitLab CI.

mod expr;
mod hardcoded_secret;
mod script_injection;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[&hardcoded_secret::RULE, &script_injection::RULE];
