//! Sessions by token: where the shopper is (country, market, pricelist, language), who is
//! logged in, and the selection (the cart). Tokens are minted from the seed, so a run after
//! `/__cartwright/reset` hands out the same tokens again.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

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
    sessions: HashMap<String, Session>,
    order: VecDeque<String>,
    minted: u64,
}

/// Every session, behind one short lock.
#[derive(Debug)]
pub(super) struct Store {
    seed: u64,
    inner: Mutex<Inner>,
}

impl Store {
    /// An empty store minting tokens from `seed`.
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
        let token = format!(
            "{:016x}{:016x}",
            mix(self.seed, n),
            mix(self.seed ^ 0x5e55_1011, n)
        );
        session.selection_id = format!("{:032x}", u128::from(mix(self.seed, n ^ 0x00c0_ffee)));
        if inner.order.len() >= MAX_SESSIONS
            && let Some(old) = inner.order.pop_front()
        {
            inner.sessions.remove(&old);
        }
        inner.order.push_back(token.clone());
        inner.sessions.insert(token.clone(), session);
        token
    }

    /// Whether a token names a session.
    pub(super) fn contains(&self, token: &str) -> bool {
        self.lock().sessions.contains_key(token)
    }

    /// Reads or changes a session; `None` when the token is unknown.
    pub(super) fn with<R>(&self, token: &str, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        self.lock().sessions.get_mut(token).map(f)
    }

    /// Forgets every session and restarts the token sequence.
    pub(super) fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// How many sessions are kept.
    pub(super) fn count(&self) -> usize {
        self.lock().sessions.len()
    }
}
