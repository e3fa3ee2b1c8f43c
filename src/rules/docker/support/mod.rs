//! What the Dockerfile rules share: the reading of `RUN` scripts. These files hold no rule.

pub(crate) mod shell;
