//! Rules for CI pipelines: GitHub Actions workflows, composite actions and GitLab CI.

mod expr;
mod hardcoded_secret;
mod script_injection;
mod unpinned_action;
mod unpinned_image;
mod untrusted_checkout;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &hardcoded_secret::RULE,
    &script_injection::RULE,
    &unpinned_action::RULE,
    &unpinned_image::RULE,
    &untrusted_checkout::RULE,
];
