//! The scenario language: YAML flows with requests, captures, assertions and snapshots,
//! checked before anything is sent and run against any server.
//!
//! Decisions: the AST is serde both ways (so printing is free and a round-trip proptest
//! guards it); errors carry JSON pointers that are placed at `file:line:col` only when
//! reported; interpolation is minijinja expressions in `{{ }}`, compiled once per string;
//! a request path encodes each interpolated value as one segment unless written `raw(x)`,
//! because path traversal through a variable is the bug storefront tests look for. Paths are
//! relative to the API's base path, as in the spec's `paths`, so a scenario reads like its
//! spec and runs unchanged against any host.

mod answer;
pub mod ast;
mod avail;
mod check;
mod conform;
mod keys;
mod load;
mod matcher;
mod parse;
mod run;
pub mod send;
pub mod snapshot;
mod step;
mod template;

pub use ast::Scenario;
pub use check::lint;
pub use load::{Flows, Loader, load, load_text};
pub use parse::parse;
pub use run::{Loaded, Options, run};
