//! Reports of a run, made from [`cartwright_outcome::Run`] alone: a terminal summary, JUnit
//! XML, JSON, and the exit code.
//!
//! Decisions: this crate knows only `outcome`, so a new producer (the scenario runner, the
//! verifier) never touches it; secrets are masked by producers before anything reaches an
//! outcome, so no report can leak one; the JUnit shape (one suite per `Case::suite`, one
//! test case per case, `failure`/`error`/`skipped` children) is what GitLab, Jenkins and
//! GitHub test reporters read.

mod exit;
mod json;
mod junit;
mod terminal;

pub use exit::{FAILED, INVALID, PASSED, RUNTIME, exit_code};
pub use json::json;
pub use junit::junit;
pub use terminal::{progress_line, terminal};
