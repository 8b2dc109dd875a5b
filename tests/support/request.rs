//! Valid requests for operations: the verifier's builder, shared with the tests.

pub use cartwright_verify::request::*;
