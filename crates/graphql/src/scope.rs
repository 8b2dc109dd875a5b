//! Operating modes: what a field requires (its scope) and what a request has (its access).
//!
//! The seed document names four modes: "NO_SESSION - Stateless and primarily used to populate
//! your own catalog cache", "SESSION - Stateful and used to act on behalf of a shopper",
//! "LOGGED_IN - Sub-mode of SESSION, active for any logged-in customer" and "SHARED_SECRET -
//! Sub-mode of SESSION ... passed in the x-shared-secret header". A field's scope comes from an
//! `@scope(scope: X)` directive on the field, argument or type, or, as in Centra's published
//! schema (which declares `@scope` but writes the requirement into descriptions), from the
//! description line ``Required [operating mode](#operating-mode): `X` ``.

use async_graphql::parser::types::ConstDirective;
use async_graphql::{ErrorExtensions, Positioned, Value};

/// The mode a field or argument requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// A stateless, server-side token.
    NoSession,
    /// A shopper's session.
    Session,
    /// A session with a logged-in customer.
    LoggedIn,
    /// A session whose request carries the shared secret.
    SharedSecret,
}

impl Scope {
    /// The schema's name for the scope.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scope::NoSession => "NO_SESSION",
            Scope::Session => "SESSION",
            Scope::LoggedIn => "LOGGED_IN",
            Scope::SharedSecret => "SHARED_SECRET",
        }
    }

    /// The scope a schema name stands for.
    pub(crate) fn parse(name: &str) -> Option<Scope> {
        match name {
            "NO_SESSION" => Some(Scope::NoSession),
            "SESSION" => Some(Scope::Session),
            "LOGGED_IN" => Some(Scope::LoggedIn),
            "SHARED_SECRET" => Some(Scope::SharedSecret),
            _ => None,
        }
    }

    /// What to do to get into this mode, for the error message.
    fn hint(self) -> &'static str {
        match self {
            Scope::NoSession => "send the no-session token as the bearer token",
            Scope::Session => "send a session token as the bearer token",
            Scope::LoggedIn => "log in with the `login` mutation first",
            Scope::SharedSecret => "send the shared secret in the x-shared-secret header",
        }
    }
}

const MARKER: &str = "Required [operating mode](#operating-mode): `";

/// The scope an element declares: its `@scope` directive first, then its description.
pub(crate) fn declared(
    directives: &[Positioned<ConstDirective>],
    description: Option<&str>,
) -> Option<Scope> {
    let by_directive = directives
        .iter()
        .find(|d| d.node.name.node == "scope")
        .and_then(|d| d.node.get_argument("scope"))
        .and_then(|v| match &v.node {
            Value::Enum(name) => Scope::parse(name),
            Value::String(name) => Scope::parse(name),
            _ => None,
        });
    by_directive.or_else(|| {
        let text = description?;
        let rest = &text[text.find(MARKER)? + MARKER.len()..];
        Scope::parse(&rest[..rest.find('`')?])
    })
}

/// What a request may do, decided once from its headers before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Access {
    /// The schema declares no modes: everything is open.
    Open,
    /// No usable credentials; every root field is refused with this reason.
    Refused(String),
    /// A no-session token: stateless.
    NoSession,
    /// A session token, with or without the shared secret.
    Session {
        /// The session's token (the one handed back in `extensions.token`).
        token: String,
        /// Whether the request carried the right `x-shared-secret`.
        shared_secret: bool,
        /// Whether this request started the session (it sent the base session token): its
        /// answer hands over a token just made, so it is never answered from the cache.
        minted: bool,
    },
}

impl Access {
    /// Whether an answer to this access may be kept and served again: not a refusal, and
    /// not the answer that hands over a new session token.
    pub(crate) fn cacheable(&self) -> bool {
        match self {
            Access::Open | Access::NoSession => true,
            Access::Refused(_) => false,
            Access::Session { minted, .. } => !minted,
        }
    }
}

impl Access {
    /// Whether this access satisfies `scope`; `logged_in` is asked only when it matters.
    pub(crate) fn allows(&self, scope: Scope, logged_in: impl FnOnce() -> bool) -> bool {
        match (self, scope) {
            (Access::Open, _) => true,
            (Access::Refused(_), _) => false,
            (Access::NoSession, s) => s == Scope::NoSession,
            (Access::Session { .. }, Scope::Session) => true,
            (Access::Session { shared_secret, .. }, Scope::SharedSecret) => *shared_secret,
            (Access::Session { .. }, Scope::LoggedIn) => logged_in(),
            (Access::Session { .. }, Scope::NoSession) => false,
        }
    }

    /// The mode's name as the error message states it.
    pub(crate) fn describe(&self, logged_in: bool) -> String {
        match self {
            Access::Open => "an open schema".into(),
            Access::Refused(_) => "no mode".into(),
            Access::NoSession => "NO_SESSION".into(),
            Access::Session { shared_secret, .. } => {
                let mut parts = vec!["SESSION"];
                if logged_in {
                    parts.push("LOGGED_IN");
                }
                if *shared_secret {
                    parts.push("SHARED_SECRET");
                }
                parts.join(" + ")
            }
        }
    }
}

/// The error for an element used outside its mode; it names the mode required.
pub(crate) fn refusal(
    what: &str,
    scope: Scope,
    access: &Access,
    logged_in: bool,
) -> async_graphql::Error {
    let mode = access.describe(logged_in);
    async_graphql::Error::new(format!(
        "{what} requires operating mode {}; this request is in {mode} mode: {}",
        scope.name(),
        scope.hint()
    ))
    .extend_with(|_, e| {
        e.set("code", "OPERATING_MODE");
        e.set("requiredMode", scope.name());
        e.set("mode", mode.clone());
    })
}

/// The error for a request without usable credentials.
pub(crate) fn unauthenticated(reason: &str) -> async_graphql::Error {
    async_graphql::Error::new(reason.to_owned())
        .extend_with(|_, e| e.set("code", "UNAUTHENTICATED"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_marker_gives_the_scope() {
        let d =
            "Get the current selection.\n\nRequired [operating mode](#operating-mode): `SESSION`";
        assert_eq!(declared(&[], Some(d)), Some(Scope::Session));
        assert_eq!(declared(&[], Some("no marker")), None);
    }

    #[test]
    fn sub_modes_of_session() {
        let s = Access::Session {
            token: "t".into(),
            shared_secret: false,
            minted: false,
        };
        assert!(s.allows(Scope::Session, || false));
        assert!(!s.allows(Scope::LoggedIn, || false));
        assert!(s.allows(Scope::LoggedIn, || true));
        assert!(!s.allows(Scope::SharedSecret, || true));
        assert!(!s.allows(Scope::NoSession, || true));
        assert!(!Access::NoSession.allows(Scope::Session, || true));
    }
}
