//! The scenario crate from outside: round-trips, and runs over HTTP against a mock.

mod graphql;
mod roundtrip;
mod running;
