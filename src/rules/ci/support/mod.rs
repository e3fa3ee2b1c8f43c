//! What the CI rules share: what jobs run and what they ship. These files hold no rule.

pub(crate) mod activity;
pub(crate) mod deploys;
