//! HTTP as cartwright's clients speak it: one [`Request`] type, one way to [`send`] it
//! (reqwest, or byte for byte over hyper when a URL parser would rewrite the path), one
//! [`Answer`] read back, one [`curl`] line that a shell gives back exactly, and one
//! [`judge`]ment of an answer against the operation it answers, as typed [`Finding`]s.
//!
//! The scenario runner, the verifier and the mock's proxy mode all send requests and check
//! answers against the spec; before this crate each had its own copy, and the copies
//! drifted (quoting in curl lines, which bodies are checked against which media type). It
//! is its own crate so all can depend on it while the graph stays one-way: it reads only
//! `cartwright-model`. Media ranges are matched with `cartwright_model::media`, which the
//! mock shares.

mod answer;
mod curl;
mod error;
mod judge;
mod raw;
mod request;
mod send;

pub use answer::Answer;
pub use cartwright_model::Method;
pub use curl::curl;
pub use error::Error;
pub use judge::{Aspect, Finding, Judgement, Kind, judge};
pub use request::{Body, Request};
pub use send::{MAX_BODY, send, send_bounded};
