//! Rules for CI pipelines: GitHub Actions workflows, composite actions and GitLab CI.

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[];
