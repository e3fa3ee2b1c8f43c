//! Helpers shared by the rules of several formats.

pub(crate) mod capabilities;
// TODO(#2): the compose and Kubernetes rules use it next; remove the allowance then.
#[allow(dead_code)]
pub(crate) mod datastores;
pub(crate) mod image_ref;
pub(crate) mod interpolate;
pub(crate) mod secrets;
pub(crate) mod wildcard;
