//! A GraphQL mock server: an SDL schema in, validated answers out, with the Centra
//! Storefront API's four operating modes and its stateful selection.
//!
//! # Why `async-graphql`
//!
//! The schema is parsed with `async-graphql`'s parser and turned into its *dynamic* schema
//! (`sdl` builds every type, field, argument, default, description and deprecation of the
//! document), so the well-kept engine does what a mock must not get wrong: query parsing,
//! validation against the schema (unknown fields, wrong variable types, fragments) with
//! `locations` in every error, depth and complexity limits, and introspection that GraphiQL
//! and code generators read. `apollo-compiler` validates as well but executes nothing and
//! answers no introspection query; with it the mock would have to write an executor.
//!
//! # How a field is answered
//!
//! Every field has the same resolver (`resolve`): it checks the field's operating mode,
//! then reads the value from its parent's JSON, built by the stateful behaviour (the session,
//! the selection, the catalog) or given in a fixture file; what neither has is generated from
//! the field's type, deterministic by `--seed`.
//!
//! # Operating modes
//!
//! A schema that declares `enum SCOPE { LOGGED_IN NO_SESSION SESSION SHARED_SECRET }` turns
//! on the modes (`scope`): requests need `Authorization: Bearer <token>`, and fields whose
//! scope requires a mode are refused outside it with an error naming the mode. The tokens,
//! the session hand-over in `extensions.token` and the catalog are the Centra behaviour
//! (`centra`); docs/graphql.md describes them for users.
//!
//! # Engine and behaviour
//!
//! The engine (schema, resolver, modes, admin API, server) knows no vendor: a stateful
//! behaviour plugs into it through the `behaviour::Behaviour` trait and uses only what that
//! module re-exports. [`GraphqlMock::new`], here, is where the Centra behaviour is plugged in.

mod admin;
mod behaviour;
mod cache;
mod centra;
mod config;
mod convert;
mod engine;
mod error;
mod generate;
mod graphiql;
mod index;
mod ints;
mod modes;
mod paths;
mod request;
mod resolve;
mod respond;
mod scope;
mod sdl;
mod server;

pub use cache::CacheLimits;
pub use cartwright_mock::Clock;
pub use centra::{Fixtures, TOKENS};
pub use config::Config;
pub use engine::{Answer, GraphqlMock};
pub use error::LoadError;
pub use server::{ENDPOINT, Running, serve};

/// Whether a path names a GraphQL schema (`.graphql`, `.graphqls`, `.gql`).
pub fn is_schema_path(path: &std::path::Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("graphql" | "graphqls" | "gql")
    )
}

impl GraphqlMock {
    /// Loads `sdl` (named `source_name` in errors) with optional fixtures; a schema that
    /// declares the operating modes gets the Centra behaviour over the fixtures' catalog.
    pub fn new(
        source_name: &str,
        sdl: &str,
        fixtures: Option<Fixtures>,
        config: Config,
    ) -> Result<GraphqlMock, LoadError> {
        let mut fixtures = fixtures.unwrap_or_default();
        let values = std::mem::take(&mut fixtures.types);
        GraphqlMock::load(source_name, sdl, values, config, |index, config| {
            if !index.modes {
                return Ok(None);
            }
            let secret = |name: &str| config.secret(name).map(str::to_owned);
            let centra = centra::Centra::new(fixtures, config.seed, secret)?;
            Ok(Some(Box::new(centra) as Box<dyn behaviour::Behaviour>))
        })
    }
}
