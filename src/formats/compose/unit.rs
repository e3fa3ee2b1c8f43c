//! The lint unit of a compose file: the file, its override files, its `.env` and the Dockerfiles of its build contexts. Read once, before any rule runs, so
//! that the rules judge models only.

use crate::formats::siblings::Siblings;
use crate::source::SourceFile;

/// Read what the unit needs from around the file into its model.
pub fn attach(_model: &mut super::ComposeFile, _source: &SourceFile, _siblings: &Siblings) {}
