//! Rules for CI pipelines: GitHub Actions workflows, composite actions and GitLab CI.

mod build_without_tests;
mod excessive_permissions;
mod hardcoded_secret;
mod missing_dependency_cache;
mod missing_security_scan;
mod script_injection;
mod support;
mod unpinned_action;
mod unpinned_image;
mod unprotected_production_deploy;
mod untrusted_checkout;

// The rule files reach these helpers as neighbours (`use super::<helper>`).
use support::{activity, deploys};
// Expressions are CI syntax, read in `formats`; the rules still find them here.
use crate::formats::ci::expr;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &build_without_tests::RULE,
    &excessive_permissions::RULE,
    &hardcoded_secret::RULE,
    &missing_dependency_cache::RULE,
    &missing_security_scan::RULE,
    &script_injection::RULE,
    &unpinned_action::RULE,
    &unpinned_image::RULE,
    &unprotected_production_deploy::RULE,
    &untrusted_checkout::RULE,
];
