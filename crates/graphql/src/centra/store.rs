//! Sessions by token: where the shopper is (country, market, pricelist, language), who is
//! logged in, and the selection (the cart). Tokens come from the operating system's CSPRNG
//! and sessions are kept by the token's hash ([`secret`]); selection ids (and the order
//! numbers made from them) follow the seed, so a run after `/__cartwright/reset` makes the
//! same selections again.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use super::secret::{self, Key};
use crate::behaviour::mix;

/// Sessions kept at most; the oldest is forgotten first (a load test never exhausts memory).
const MAX_SESSIONS: usize = 50_000;

/// One selection line.
#[derive(Debug, Clone)]
pub(super) struct Line {
    /// Its id (`addItem` answers it; `updateLine` and `deleteLine` take it).
    pub id: String,
    /// The item (`displayItemId-size`).
    pub item: String,
    /// How many.
    pub quantity: i64,
    /// The shopper's comment.
    pub comment: String,
}

/// A shopper's session.
#[derive(Debug, Clone)]
pub(super) struct Session {
    /// Country code.
    pub country: String,
    /// State code, where the country has states.
    pub state: Option<String>,
    /// Language code.
    pub language: String,
    /// Market id.
    pub market: i64,
    /// Pricelist id.
    pub pricelist: i64,
    /// The logged-in customer's email.
    pub customer: Option<String>,
    /// The selection's id.
    pub selection_id: String,
    /// Its lines.
    pub lines: Vec<Line>,
    /// Voucher codes applied.
    pub vouchers: Vec<String>,
    /// The shipping address set by `setAddress`, as JSON.
    pub address: Option<serde_json::Value>,
    /// The next line's number.
    pub next_line: u64,
    /// The payment `paymentInstructions` started for the selection, until it completes.
    pub payment: Option<Payment>,
    /// The latest order, as `order` reads it: "Get the latest order, null if none".
    pub order: Option<serde_json::Value>,
}

/// A payment started by `paymentInstructions` and awaiting `paymentResult`.
#[derive(Debug, Clone)]
pub(super) struct Payment {
    /// The reference the payment's form fields carry back to `paymentResult`.
    pub reference: String,
    /// How many payments were started for this selection (a new one replaces the last).
    pub attempt: u64,
    /// The order comment given with the instructions.
    pub comment: Option<String>,
}

#[derive(Debug, Default)]
struct Inner {
    sessions: HashMap<Key, Session>,
    order: VecDeque<Key>,
    minted: u64,
}

/// Every session, behind one short lock.
#[derive(Debug)]
pub(super) struct Store {
    seed: u64,
    inner: Mutex<Inner>,
}

impl Store {
    /// An empty store making selection ids from `seed`.
    pub(super) fn new(seed: u64) -> Store {
        Store {
            seed,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves plain data behind: keep serving it.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a session and returns its new token.
    pub(super) fn create(&self, mut session: Session) -> String {
        let mut inner = self.lock();
        inner.minted += 1;
        let n = inner.minted;
        let token = secret::token();
        let key = secret::key(&token);
        session.selection_id = format!("{:032x}", u128::from(mix(self.seed, n ^ 0x00c0_ffee)));
        if inner.order.len() >= MAX_SESSIONS
            && let Some(old) = inner.order.pop_front()
        {
            inner.sessions.remove(&old);
        }
        inner.order.push_back(key);
        inner.sessions.insert(key, session);
        token
    }

    /// Whether a token names a session.
    pub(super) fn contains(&self, token: &str) -> bool {
        self.lock().sessions.contains_key(&secret::key(token))
    }

    /// Reads or changes a session; `None` when the token is unknown.
    pub(super) fn with<R>(&self, token: &str, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        self.lock().sessions.get_mut(&secret::key(token)).map(f)
    }

    /// Forgets every session and restarts the selection ids.
    pub(super) fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// How many sessions are kept.
    pub(super) fn count(&self) -> usize {
        self.lock().sessions.len()
    }
}
