//! What the compose rules share: the readers of service values. These files hold no rule.

pub(crate) mod security_opt;
pub(crate) mod values;
pub(crate) mod view;
