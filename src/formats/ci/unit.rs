//! The lint unit of a pipeline: the file and the local files it includes or calls. Read once, before any rule runs, so
//! that the rules judge models only.

use crate::formats::siblings::Siblings;
use crate::source::SourceFile;

/// Read what the unit needs from around the file into its model.
pub fn attach(_model: &mut super::CiFile, _source: &SourceFile, _siblings: &Siblings) {}
