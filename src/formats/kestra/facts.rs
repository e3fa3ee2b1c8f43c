//! The run-wide facts of Kestra flows: the flows whose triggers react to failed or warning
//! executions, which the rules of every other flow judge by. Gathered from every flow of the
//! run and of its context before any rule runs.

use super::{FailureWatch, FlowFile};

/// What the flows of a run tell the rules of each other.
#[derive(Debug, Default)]
pub struct Facts {
    /// Flow triggers of the run that react to FAILED or WARNING executions, for
    /// `kestra/missing-error-handler` and `kestra/unobserved-allow-failure`.
    pub failure_watches: Vec<FailureWatch>,
}

/// The word a file must hold to give facts: a file without it is not parsed when it is only
/// read for its facts.
pub const MARKER: &str = "Flow";

impl Facts {
    /// Add what one flow file contributes.
    pub fn collect(&mut self, file: &FlowFile) {
        for flow in &file.flows {
            self.failure_watches.extend(FailureWatch::of(flow));
        }
    }

    /// Append the facts of other files (gathered after these, in the run's file order).
    pub fn extend(&mut self, other: Facts) {
        self.failure_watches.extend(other.failure_watches);
    }
}
