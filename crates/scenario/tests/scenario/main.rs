//! The scenario crate from outside: round-trips, runs over HTTP against a mock, and the
//! files a run reads.

mod files;
mod graphql;
mod mock_steps;
mod reads;
mod real_server;
mod roundtrip;
mod running;
mod serve;
mod unavailable;
