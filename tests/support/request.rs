//! Valid requests for operations: the verifier's builder, shared with the tests.

pub(crate) use cartwright_verify::request::*;
