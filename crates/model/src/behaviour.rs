//! Behaviour bindings (`x-cartwright`): what state an API keeps and what each operation does
//! with it, compiled at load. The vocabulary is documented for users in docs/behaviours.md;
//! nothing here knows a particular API.

use std::any::Any;
use std::sync::{Arc, RwLock};

use serde_json::Value;

use crate::Expr;

/// The document-level `x-cartwright`: constants, session kinds, secrets, browser rules.
#[derive(Debug, Default)]
pub struct Behaviours {
    /// `{"vars": …}`: the constants every expression sees, shared by all requests rather
    /// than copied into each one's context.
    pub globals: Arc<Value>,
    /// Kinds of token-keyed state (a Centra selection, a Vendo user token, an order token).
    pub sessions: Vec<SessionKind>,
    /// Secrets whose values come from flags or the environment, never from the spec.
    pub secrets: Vec<SecretDef>,
    /// Headers that a browser request (one with `Origin`) must not carry: 401 when it does.
    pub browser_forbidden: Vec<String>,
}

impl Behaviours {
    /// The session kind of that name.
    pub fn session(&self, name: &str) -> Option<&SessionKind> {
        self.sessions.iter().find(|s| s.name == name)
    }
}

/// A kind of token-keyed state.
#[derive(Debug)]
pub struct SessionKind {
    /// Its name, used by operations and in expressions (`auth.<name>`).
    pub name: String,
    /// Where requests carry the token, tried in order.
    pub carriers: Vec<Carrier>,
    /// What a token looks like.
    pub format: TokenFormat,
    /// Lifetime in seconds of virtual time; `None` never expires.
    pub ttl: Option<u64>,
    /// A token value meaning "no session": nothing is read, saved or returned.
    pub none: Option<String>,
    /// What happens when a token is absent, unknown or expired.
    pub unknown: Unknown,
    /// The state a new session starts with.
    pub state: Option<Shape>,
    /// The security scheme whose credentials are tokens of this kind: operations that
    /// require it answer 401 unless the token is live.
    pub scheme: Option<String>,
    /// Refresh tokens issued alongside, with their lifetime in seconds (`None`: no refresh).
    pub refresh: Option<Option<u64>>,
    /// The most sessions kept; the oldest are evicted first.
    pub max: usize,
    /// Expression naming whose state a session is (`state.email`): every token whose state
    /// names the same owner opens one shared state, so a second login or a refreshed token
    /// sees the same basket. `None`: each token has its own state. Compiled at load, as it
    /// is evaluated after every change to a session's state.
    pub owner: Option<Expr>,
}

/// Where a token travels in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carrier {
    /// A request header.
    Header(String),
    /// A parameter of the `Accept` header (`*/*; api-token=...`).
    Accept(String),
    /// `Authorization: Bearer ...`.
    Bearer,
    /// A cookie.
    Cookie(String),
    /// A query parameter.
    Query(String),
    /// A path parameter: the session is named in the URL (`/baskets/{basketId}`).
    Path(String),
}

/// How tokens are made.
#[derive(Debug)]
pub enum TokenFormat {
    /// Random bytes from a CSPRNG, base64url.
    Random {
        /// How many bytes (at least 16).
        bytes: usize,
    },
    /// Random lowercase hex of this many characters (at least 32).
    Hex {
        /// How many characters.
        chars: usize,
    },
    /// An HS256 JWT signed with the named secret, `exp` from the ttl.
    Jwt {
        /// The secret holding the signing key.
        key: String,
        /// Expression for the `sub` claim, evaluated against the new session; compiled at
        /// load, as it is evaluated for every token minted (boxed: a compiled expression is
        /// large beside the other formats).
        subject: Option<Box<Expr>>,
    },
}

/// What an absent, unknown or expired token leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// Start a new session with a new token (Centra's rule).
    Renew,
    /// Refuse with this status.
    Refuse(u16),
}

/// A secret: a shared secret checked in headers, or a signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretDef {
    /// Its name (`--secret NAME=VALUE`, `CARTWRIGHT_SECRET_<NAME>`).
    pub name: String,
    /// Headers that may carry it.
    pub headers: Vec<String>,
    /// An auth scheme prefix to strip (`Bearer`).
    pub scheme: Option<String>,
}

/// An operation's `x-cartwright`.
#[derive(Debug, Default)]
pub struct Binding {
    /// The session kind this operation works on (`state`, `token` in expressions).
    pub session: Option<String>,
    /// A client reference: a repeat with the same value replays the first answer.
    pub idempotent: Option<Expr>,
    /// Steps, in order.
    pub steps: Vec<Step>,
    /// The answer when no step answered.
    pub respond: Respond,
    /// The parts of `request` its expressions (and the session kinds') may read.
    pub request: crate::RequestParts,
    /// Whether its steps change the session's state and nothing else (`set`, `append` and
    /// `remove`, besides tests and answers) and no answer is kept for repeats: the mock
    /// then runs them on the state checked out of its store, so sessions do not wait for
    /// each other. Decided at load, as it holds for every request.
    pub state_only: bool,
}

/// One step: an optional condition, an action, and optionally the final answer.
#[derive(Debug)]
pub struct Step {
    /// Runs only when this holds.
    pub when: Option<Expr>,
    /// What it does.
    pub action: Action,
    /// When present, the step ends the operation with this answer.
    pub respond: Option<Respond>,
}

/// The built-in actions.
#[derive(Debug)]
pub enum Action {
    /// Nothing (a step that only answers).
    Nothing,
    /// Sets values in the session state at JSON pointers.
    Set(Vec<(Pointer, Shape)>),
    /// Appends to an array in the state; with `merge`, an element with the same key instead
    /// has its `add` fields increased and its `replace` fields overwritten.
    Append {
        /// Pointer to the array.
        to: Pointer,
        /// The new element.
        value: Shape,
        /// How an element with the same key is updated instead.
        merge: Option<Merge>,
    },
    /// Removes the elements of an array for which `when` holds (`item` is the element).
    Remove {
        /// Pointer to the array.
        from: Pointer,
        /// The condition.
        when: Expr,
        /// The answer when nothing matched.
        missing: Option<Respond>,
    },
    /// Looks up (and with `init`, creates) a record by key: `record` in expressions.
    Record {
        /// The record store's name.
        store: String,
        /// The key.
        key: Expr,
        /// The new record, when missing.
        init: Option<Shape>,
    },
    /// Sends a one-time code to the outbox.
    OtpSend {
        /// The recipient.
        to: Expr,
        /// Digits in the code.
        digits: usize,
        /// Lifetime in seconds.
        ttl: u64,
    },
    /// Checks and consumes a one-time code.
    OtpVerify {
        /// The recipient.
        to: Expr,
        /// The code given.
        code: Expr,
        /// The answer when wrong, reused or expired.
        fail: Option<Respond>,
        /// Wrong codes that burn the recipient's code (so guessing a code is hopeless).
        attempts: u32,
    },
    /// Issues a new session (and refresh token) of a kind: `issued` in expressions.
    Issue {
        /// The kind.
        session: String,
        /// Its state.
        state: Option<Shape>,
    },
    /// Exchanges a refresh token for a new pair; the old refresh token stops working.
    Refresh {
        /// The kind.
        session: String,
        /// The refresh token given.
        token: Expr,
        /// The answer when it is not live.
        fail: Option<Respond>,
    },
    /// Revokes an access or refresh token of any kind.
    Revoke {
        /// The token.
        token: Expr,
    },
    /// Ends the current session: its token no longer opens it.
    End,
}

/// How `append` updates an element that has the same key.
#[derive(Debug, Default)]
pub struct Merge {
    /// Pointer (within an element) to the key.
    pub key: Pointer,
    /// Pointers to numeric fields to add up.
    pub add: Vec<Pointer>,
    /// Pointers to fields the new value overwrites.
    pub replace: Vec<Pointer>,
}

/// How an answer is made: the spec's response for a status (and example), then patched.
#[derive(Debug, Default)]
pub struct Respond {
    /// The declared status to answer with; the operation's default when absent.
    pub status: Option<u16>,
    /// The named example to start from.
    pub example: Option<String>,
    /// Values set at JSON pointers of the body (`*` matches every array element or
    /// property, `this` is the element); a value that evaluates to none removes the field.
    pub body: Vec<(Pointer, Shape)>,
    /// Response headers.
    pub headers: Vec<(String, Expr)>,
    /// What the server made of this answer's example on first use, kept here so that a
    /// request finds it without a lookup.
    pub memo: Memo,
}

/// A value a server derives from what it is kept with, made on first use and replaced when
/// what it was made from changes (the mock's cut of an answer's example). Opaque here: the
/// model does not know what servers make.
#[derive(Default)]
pub struct Memo(RwLock<Option<Arc<dyn Any + Send + Sync>>>);

impl Memo {
    /// What is kept, if anything.
    pub fn get(&self) -> Option<Arc<dyn Any + Send + Sync>> {
        // A panic elsewhere cannot leave an `Arc` half-written: a poisoned lock is reused.
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Keeps `v` instead of what was kept.
    pub fn set(&self, v: Arc<dyn Any + Send + Sync>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Some(v);
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// A JSON pointer of a response patch or a state change, split once at load: both run on
/// every request. The default is the empty pointer, the whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer {
    /// As written (`/data/attributes/total`).
    pub text: String,
    /// Its segments, unescaped (`~1` is `/`, `~0` is `~`).
    pub segments: Vec<String>,
}

impl Pointer {
    /// A pointer and its segments.
    pub fn new(text: String) -> Pointer {
        // The loader refuses a pointer that does not start with `/`, so none is dropped.
        let segments = cartwright_source::pointer::tokens(&text).unwrap_or_default();
        Pointer { text, segments }
    }
}

/// A JSON shape whose strings are expressions and whose other leaves are literal.
#[derive(Debug)]
pub enum Shape {
    /// An expression.
    Expr(Expr),
    /// A literal number, boolean or null.
    Literal(Value),
    /// An object of templates.
    Object(Vec<(String, Shape)>),
    /// An array of templates.
    Array(Vec<Shape>),
}
