//! What the Kubernetes rules share: whether a file holds patches rather than whole objects, and
//! how a message names a container and its object. These files hold no rule.

pub(crate) mod names;
pub(crate) mod patch;
