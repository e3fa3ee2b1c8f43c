//! What the Kubernetes rules share: whether a file holds patches rather than whole objects. These files hold no rule.

pub(crate) mod patch;
