//! The lint unit of a manifest: the file and the kustomization that patches it. Read once, before any rule runs, so
//! that the rules judge models only.

use crate::formats::siblings::Siblings;
use crate::source::SourceFile;

/// Read what the unit needs from around the file into its model.
pub fn attach(_model: &mut super::Manifest, _source: &SourceFile, _siblings: &Siblings) {}
