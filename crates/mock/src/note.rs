//! What the journal and the log learn about a request while it is handled.

use crate::journal::Verdict;

/// What the journal and the log learn about a request while it is handled.
#[derive(Default)]
pub(crate) struct Note {
    pub(crate) operation: Option<String>,
    pub(crate) resource: Option<String>,
    /// The stub that answered, if one did.
    pub(crate) stub: Option<String>,
    pub(crate) validation: Verdict,
    pub(crate) violations: usize,
    /// The path and query with credential values masked, once the request is routed.
    pub(crate) shown: Shown,
    /// What the proxy did with the request, in proxy mode.
    pub(crate) proxy: Option<crate::Proxied>,
    /// The routed operation's declared pacing.
    pub(crate) pace: Option<std::sync::Arc<cartwright_model::Pace>>,
    /// What `Prefer` asked for, once it was found well-formed.
    pub(crate) asked: crate::negotiate::Prefer,
    /// Whether chaos answered in place of the operation.
    pub(crate) chaos: bool,
    /// Whether the request carries `Origin`, once dispatch has looked: finishing the
    /// answer need not look again for a request that has none.
    pub(crate) has_origin: Option<bool>,
}

/// How the log and the journal show a request's path and query.
#[derive(Default)]
pub(crate) enum Shown {
    /// Not routed: shown with what needs no operation masked.
    #[default]
    Unrouted,
    /// Routed, and shown as sent: no query, nothing masked.
    Raw,
    /// Routed, with credential values masked or a query appended.
    Masked(String),
}
