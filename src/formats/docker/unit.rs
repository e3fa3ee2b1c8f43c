//! The lint unit of a Dockerfile: the file and the `.dockerignore` of its build context. Read once, before any rule runs, so
//! that the rules judge models only.

use crate::formats::siblings::Siblings;
use crate::source::SourceFile;

/// Read what the unit needs from around the file into its model.
pub fn attach(_model: &mut super::Dockerfile, _source: &SourceFile, _siblings: &Siblings) {}
