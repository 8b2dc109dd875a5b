//! The seam a stateful behaviour plugs into the engine through: the engine asks a
//! [`Behaviour`] for a request's access, for the answers of the fields its state knows, and to
//! count and forget that state. Everything of the engine a behaviour may use is re-exported
//! here, so a behaviour imports this module and nothing else of the crate.

use async_graphql::Error;
use async_graphql::dynamic::ResolverContext;
use http::HeaderMap;
use serde_json::Value as Json;

pub(crate) use crate::error::LoadError;
pub(crate) use crate::generate::{mix, name as generated_name, slug};
pub(crate) use crate::index::{Index, Kind};
pub(crate) use crate::resolve::Plan;
pub(crate) use crate::scope::Access;

/// Stateful behaviour over a schema: sessions, tokens, a catalog. Without one, every request
/// is [`Access::Open`] and every value comes from the fixtures or is generated.
pub(crate) trait Behaviour: Send + Sync + std::fmt::Debug {
    /// Decides a request's access from its headers (a token may start a session).
    fn authenticate(&self, headers: &HeaderMap) -> Access;

    /// Whether the request's session has a logged-in customer.
    fn logged_in(&self, access: &Access) -> bool;

    /// The answer of a root field the behaviour knows, as JSON; `None` for the others.
    fn root(
        &self,
        index: &Index,
        plan: &Plan,
        ctx: &ResolverContext<'_>,
        access: &Access,
    ) -> Result<Option<Json>, Error>;

    /// The value of a field below the root that depends on its arguments, read from its
    /// parent's JSON; `None` when the field is read as usual.
    fn nested(&self, plan: &Plan, ctx: &ResolverContext<'_>, parent: &Json) -> Option<Json>;

    /// Forgets all state (sessions).
    fn reset(&self);

    /// How many sessions are open.
    fn sessions(&self) -> usize;
}
