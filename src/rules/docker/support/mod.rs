//! What the Dockerfile rules share: the build context and the reading of `RUN` scripts. These files hold no rule.

pub(crate) mod context;
pub(crate) mod shell;
