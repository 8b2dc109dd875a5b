//! The Centra Storefront API's behaviour, switched on by a schema that declares the operating
//! modes (`enum SCOPE`): tokens and modes, sessions and their selection, the catalog.
//!
//! Tokens (configured with `--secret NAME=VALUE` or `CARTWRIGHT_SECRET_<NAME>`):
//! `storefront_no_session` is a stateless NO_SESSION token; `storefront_session` is the base
//! session token: "Upon the first request using the base session token, you will receive a
//! new session token to use in subsequent requests"; `shared` is the value of the
//! `x-shared-secret` header that adds the SHARED_SECRET sub-mode to a session.
//!
//! The session token comes back in the response's `extensions.token`, on every answer of a
//! session, as Centra's own storefront accelerator reads it (`extensions: { token, traceId }`),
//! and as Centra's REST Checkout API returns its token on every answer.

mod catalog;
mod fixtures;
mod listing;
mod mutation;
mod payment;
mod query;
mod render;
mod secret;
mod selection;
mod store;

use async_graphql::dynamic::ResolverContext;
use async_graphql::{Error, ErrorExtensions};
use http::HeaderMap;
use serde_json::Value as Json;

pub use fixtures::Fixtures;

use crate::behaviour::{Access, Behaviour, Index, LoadError, Plan, slug};
use catalog::Catalog;
use store::{Session, Store};

/// The secret names tokens are configured under, and their defaults for local use.
pub const TOKENS: &[(&str, &str)] = &[
    ("storefront_session", "session-token"),
    ("storefront_no_session", "no-session-token"),
    ("shared", "shared-secret"),
];

/// The Centra behaviour: catalog, sessions, tokens.
#[derive(Debug)]
pub(crate) struct Centra {
    catalog: Catalog,
    store: Store,
    session_token: String,
    no_session_token: String,
    shared_secret: String,
}

impl Centra {
    /// The behaviour over `fixtures`, with tokens from `secret` (name → configured value).
    pub(crate) fn new(
        fixtures: Fixtures,
        seed: u64,
        secret: impl Fn(&str) -> Option<String>,
    ) -> Result<Centra, LoadError> {
        let token = |i: usize| secret(TOKENS[i].0).unwrap_or_else(|| TOKENS[i].1.to_owned());
        Ok(Centra {
            catalog: Catalog::new(fixtures, seed)?,
            store: Store::new(seed),
            session_token: token(0),
            no_session_token: token(1),
            shared_secret: token(2),
        })
    }

    /// A new session where the fixtures say sessions start.
    fn start(&self) -> Session {
        let cat = &self.catalog;
        let (market, pricelist) = cat
            .country(&cat.start.country)
            .map_or((0, 0), |c| (c.market, c.pricelist));
        Session {
            country: cat.start.country.clone(),
            state: None,
            language: cat.start.language.clone(),
            market,
            pricelist,
            customer: None,
            selection_id: String::new(),
            lines: Vec::new(),
            vouchers: Vec::new(),
            address: None,
            next_line: 0,
            payment: None,
            order: None,
        }
    }

    /// Runs `f` on the request's session.
    fn with<R>(
        &self,
        token: &str,
        f: impl FnOnce(&mut Session, &Catalog) -> R,
    ) -> Result<R, Error> {
        self.store
            .with(token, |s| f(s, &self.catalog))
            .ok_or_else(|| {
                Error::new("the session was forgotten (reset) while the request ran")
                    .extend_with(|_, e| e.set("code", "UNAUTHENTICATED"))
            })
    }
}

impl Behaviour for Centra {
    /// Decides a request's access from its headers; a base session token starts a session.
    fn authenticate(&self, headers: &HeaderMap) -> Access {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let bearer = header("authorization").and_then(|a| {
            let (scheme, token) = a.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
        // "This mode is only accessible server side", and a shared secret is "provided only
        // server-side": a browser's request (it carries `Origin`) may use neither.
        let browser = headers.contains_key("origin");
        let is = |given: Option<&str>, secret: &str| given.is_some_and(|g| secret::same(g, secret));
        if browser && is(bearer, &self.no_session_token) {
            return refused(
                "the no-session token is for server-side use only: a browser request (with Origin) cannot use it",
            );
        }
        if browser && headers.contains_key("x-shared-secret") {
            return refused(
                "the shared secret is for server-side use only: a browser request (with Origin) cannot send x-shared-secret",
            );
        }
        let shared_secret = match header("x-shared-secret") {
            Some(s) if secret::same(s, &self.shared_secret) => true,
            Some(_) => {
                return refused("the x-shared-secret header does not match the shared secret");
            }
            None => false,
        };
        match bearer {
            None => refused(
                "send `Authorization: Bearer <token>`: the base session token, a session token, or the no-session token",
            ),
            Some(t) if secret::same(t, &self.no_session_token) => Access::NoSession,
            Some(t) if secret::same(t, &self.session_token) => Access::Session {
                token: self.store.create(self.start()),
                shared_secret,
                minted: true,
            },
            Some(t) if self.store.contains(t) => Access::Session {
                token: t.to_owned(),
                shared_secret,
                minted: false,
            },
            Some(_) => refused(
                "the bearer token is neither a configured token nor a session token this mock handed out (a reset forgets sessions)",
            ),
        }
    }

    /// Whether the request's session has a logged-in customer.
    fn logged_in(&self, access: &Access) -> bool {
        match access {
            Access::Session { token, .. } => self
                .store
                .with(token, |s| s.customer.is_some())
                .unwrap_or(false),
            _ => false,
        }
    }

    /// Forgets every session.
    fn reset(&self) {
        self.store.reset();
    }

    /// How many sessions are open.
    fn sessions(&self) -> usize {
        self.store.count()
    }

    /// The answer of a root field the behaviour knows, as JSON; `None` for the others.
    fn root(
        &self,
        index: &Index,
        plan: &Plan,
        ctx: &ResolverContext<'_>,
        access: &Access,
    ) -> Result<Option<Json>, Error> {
        // `lookupUri` is a mutation only for its side effects in session mode; it reads.
        if Some(plan.owner.as_str()) == index.mutation.as_deref() && plan.name != "lookupUri" {
            let Access::Session { token, .. } = access else {
                return Ok(None);
            };
            return mutation::answer(self, index, plan, ctx, token);
        }
        Ok(query::answer(self, plan, ctx, access))
    }

    /// Values below the root that depend on arguments: `DisplayItemList.filters(keys:)`.
    fn nested(&self, plan: &Plan, ctx: &ResolverContext<'_>, parent: &Json) -> Option<Json> {
        if plan.name != "filters" || plan.owner != "DisplayItemList" {
            return None;
        }
        let keys: Vec<String> = ctx
            .args
            .get("keys")?
            .list()
            .ok()?
            .iter()
            .filter_map(|k| k.string().ok().map(str::to_owned))
            .collect();
        let all = parent.get("filters")?.as_array()?;
        Some(Json::Array(
            all.iter()
                .filter(|f| {
                    f["key"]
                        .as_str()
                        .is_some_and(|k| keys.iter().any(|x| x == k))
                })
                .cloned()
                .collect(),
        ))
    }
}

fn refused(reason: &str) -> Access {
    Access::Refused(reason.to_owned())
}
