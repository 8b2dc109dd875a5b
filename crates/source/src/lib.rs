//! The bottom of cartwright's crate graph: YAML and JSON text read into JSON values, with
//! the positions that diagnostics need.
//!
//! Both OpenAPI documents (`cartwright-spec`) and scenario files (`cartwright-scenario`)
//! are YAML 1.2 or JSON read the same way, and both place their findings at
//! `file:line:col` through a JSON pointer. That reading lives here, on
//! `cartwright-diag` alone, so neither of those crates has to depend on the other for it:
//!
//! - [`document`]: text into a [`serde_json::Value`], with positioned syntax errors;
//!   a large YAML document is parsed in two halves at once when that cannot change its value,
//!   and a plain one is built straight from the parser's events;
//! - [`Reader`]: files read from disk through one place that counts its reads;
//! - [`locate`]: the position of a JSON pointer in the text, found only when asked;
//! - [`span_of`]: that position as a [`cartwright_diag::Span`];
//! - [`pointer`](mod@pointer): RFC 6901 escaping, joining and `$ref` following, written once;
//! - [`tree`]: whether a path stays inside a folder tree (for `$ref`s and includes).

pub mod document;
mod events;
mod halves;
pub mod locate;
pub mod pointer;
mod reader;
mod span;
pub mod tree;

pub use document::{SourceDoc, parse, read, read_bounded};
pub use reader::{DEFAULT_MAX_FILE_BYTES, Limit, ReadError, Reader};
pub use span::{span_at, span_of};
