//! The validating mock server: every request is routed, checked against the spec and
//! answered from the spec, with errors that say where and why.
//!
//! [`Mock`] holds the loaded APIs behind an atomic swap, so `--watch` can replace them
//! between requests without dropping a connection, and a failed reload keeps the old ones.
//! [`Mock::handle`] is the whole request pipeline on a buffered request, so tests drive it
//! in process; [`serve`] puts it on a socket with hyper.
//!
//! Per request: admin prefix → CORS preflight → origin check → route (404/405) → security
//! (401) → parameters and body (422 or the spec's 400) → a runtime stub, if one matches →
//! behaviour, inferred resource or response (status, media type,
//! example or generated body, declared headers). Every answer carries the correlation ID.

mod admin;
mod admin_access;
mod admin_stubs;
mod behave;
mod body;
mod cache;
mod coerce;
mod config;
mod conn;
mod cors;
mod delivery;
mod exchange;
mod finish;
mod form_path;
mod forms;
mod handle;
mod journal;
mod journal_filter;
mod json_text;
mod lifetime;
mod mask;
mod negotiate;
mod note;
mod pace;
mod params;
mod parsed;
mod prefer;
mod problem;
mod proxy;
mod request_log;
mod resources;
mod respond;
mod routing;
mod scopes;
mod security;
mod sent;
mod server;
mod stripes;
mod stubs;
#[cfg(test)]
mod test_specs;
mod unmatched;

use std::sync::Arc;

use arc_swap::ArcSwap;
use cartwright_model::Api;

pub use admin_access::{ADMIN_TOKEN_ENV, AdminAccess, Refusal, fresh_token};
pub use behave::{Clock, ClockError};
pub use config::{Config, ErrorStyle};
pub use conn::{BodyError, Limits, read_body};
pub use delivery::{Delivery, Dribble, Fault};
pub use exchange::{HeaderKey, Incoming, Outgoing};
pub use journal::{Entry, Filter, Journal, Verdict};
pub use proxy::{
    Hybrid, Proxied, Proxy, RECORDING, Recorder, VIOLATIONS_HEADER, unknown_operations,
};
pub use request_log::{LineSink, RequestLog};
pub use security::Credential;
pub use server::{Running, serve, serve_limited, serve_with};

/// The mock: loaded APIs, configuration, and what it has seen.
pub struct Mock {
    apis: ArcSwap<Vec<Arc<Api>>>,
    config: Config,
    journal: Journal,
    bodies: cache::BodyCache,
    behave: behave::Behave,
    stubs: stubs::Stubs,
    unmatched: unmatched::Ring,
    draws: pace::Draws,
    /// The configured correlation header's name, parsed once (`None` if HTTP cannot carry it).
    correlation: Option<http::HeaderName>,
}

impl Mock {
    /// A mock serving `apis` with `config`.
    pub fn new(apis: Vec<Api>, config: Config) -> Self {
        let journal = Journal::new(config.journal_size);
        let draws = pace::Draws::new(&config);
        let correlation = http::HeaderName::from_bytes(config.correlation_header.as_bytes()).ok();
        Mock {
            apis: ArcSwap::from_pointee(apis.into_iter().map(Arc::new).collect()),
            config,
            journal,
            bodies: cache::BodyCache::default(),
            behave: behave::Behave::default(),
            stubs: stubs::Stubs::default(),
            unmatched: unmatched::Ring::default(),
            draws,
            correlation,
        }
    }

    /// Swaps in freshly loaded APIs; requests in flight finish on the old ones.
    pub fn reload(&self, apis: Vec<Api>) {
        self.apis
            .store(Arc::new(apis.into_iter().map(Arc::new).collect()));
        self.bodies.clear();
    }

    /// The APIs being served now.
    pub fn apis(&self) -> Arc<Vec<Arc<Api>>> {
        self.apis.load_full()
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The request journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }
}
