//! systemd unit rules (catalog §7).

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[];
