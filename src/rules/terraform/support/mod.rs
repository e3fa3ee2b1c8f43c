//! What the Terraform rules share: IAM policy statements, one finding per resource, and the
//! check for descriptions. These files hold no rule.

pub(crate) mod described;
pub(crate) mod once;
pub(crate) mod policy;
