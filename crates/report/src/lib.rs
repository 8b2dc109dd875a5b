//! Reports of a run, made from [`cartwright_outcome::Run`] alone: a terminal summary
//! ([`terminal`], with [`progress_line`] for each case as it finishes, and [`details`] when
//! those lines are already on the screen), JUnit XML ([`junit`]), JSON ([`json`]), and the
//! process exit code ([`exit_code`], an [`Exit`] that every command of the binary ends with).
//!
//! Decisions:
//!
//! - This crate knows only `outcome` (and `diag`'s `Span`). The scenario runner and the
//!   verifier produce outcomes; neither is a dependency here, so a new producer gets every
//!   report without this crate changing, and the reports cannot drift apart between them.
//! - Secrets are masked by producers before anything is stored in an outcome. Reports print
//!   what they are given, curl commands and bodies included, and mask nothing themselves.
//! - The JUnit shape (one `<testsuite>` per `Case::suite`, one `<testcase>` per case, with a
//!   `<failure>`, `<error>` or `<skipped>` child) is the one GitLab, Jenkins and the GitHub
//!   test reporters all read; the failure text repeats the place, request and failed checks
//!   so the CI page is enough to start fixing.
//! - A verification's coverage (`Run::coverage`) is in every report: a block before the
//!   totals line, `<properties>` in JUnit, a `coverage` key in JSON.
//! - Every report is a `String`: the caller chooses where it goes (stdout, a file), and tests
//!   compare text.

mod coverage;
mod exit;
#[cfg(test)]
mod fixture;
mod json;
mod junit;
mod terminal;

pub use exit::{Exit, exit_code};
pub use json::json;
pub use junit::junit;
pub use terminal::{case_line, details, progress_line, terminal};
