//! Helpers shared by the rules of several formats.

pub(crate) mod address;
pub(crate) mod capabilities;
pub(crate) mod datastores;
pub(crate) mod image_ref;
pub(crate) mod interpolate;
pub(crate) mod secrets;
pub(crate) mod wildcard;
pub(crate) mod yaml_credentials;
