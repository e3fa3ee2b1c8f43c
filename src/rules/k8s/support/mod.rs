//! What the Kubernetes rules share: how a message names a container and its object. These files
//! hold no rule.

pub(crate) mod names;
