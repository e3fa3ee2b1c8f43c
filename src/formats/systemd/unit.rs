//! The lint unit of a systemd unit: the unit file with its drop-ins and the timers beside it. Read once, before any rule runs, so
//! that the rules judge models only.

use crate::formats::siblings::Siblings;
use crate::source::SourceFile;

/// Read what the unit needs from around the file into its model.
pub fn attach(_model: &mut super::Unit, _source: &SourceFile, _siblings: &Siblings) {}
