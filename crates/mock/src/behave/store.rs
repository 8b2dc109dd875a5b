//! The state behaviours keep: sessions by kind, refresh tokens, records, one-time codes and
//! idempotent answers — in memory, bounded, and behind one lock per mock, held while an
//! operation reads and writes them; a session's state alone may be checked out of it for a
//! while (`checkout.rs`), so that carts do not wait for each other.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use serde_json::Value;

/// Maps keyed by names from the spec (source files, session kinds, record stores): hashed
/// with foldhash, as no client chooses them; they are looked up several times per request.
type ByName<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// Items of inferred collections, by API source file, then collection index.
pub(super) type Inferred = ByName<HashMap<usize, crate::resources::Items>>;

use super::otp::Code;
use super::tokens::Key;
use crate::Outgoing;

/// Every API's state, the outbox, and the clock offset.
#[derive(Default)]
pub(super) struct World {
    /// State per API source file.
    pub apis: ByName<ApiState>,
    /// Messages "sent" (one-time codes), newest last.
    pub outbox: VecDeque<Value>,
}

impl World {
    /// The state of the API from `source`, made on first use.
    pub(super) fn api(&mut self, source: &str) -> &mut ApiState {
        // Looked up before inserting: `entry` would copy the name on every request.
        if !self.apis.contains_key(source) {
            self.apis.insert(source.to_owned(), ApiState::default());
        }
        self.apis.get_mut(source).expect("just inserted")
    }
}

/// The most messages the outbox keeps.
pub(super) const OUTBOX_MAX: usize = 1000;
/// The most records, codes or idempotent answers kept per API.
pub(super) const OTHER_MAX: usize = 10_000;

/// One API's state.
#[derive(Default)]
pub(super) struct ApiState {
    /// Sessions by kind name.
    pub sessions: ByName<Sessions>,
    /// Refresh tokens by kind name.
    pub refresh: ByName<Sessions>,
    /// Records by store name, then key.
    pub records: ByName<Bounded<String, Value>>,
    /// One-time codes by recipient.
    pub codes: Bounded<String, Code>,
    /// First answers by operation and client reference.
    pub replies: Bounded<(String, String), Outgoing>,
    /// The state of sessions that have an owner (a customer), by kind and owner: every
    /// token of that owner opens it.
    pub owned: Bounded<(String, String), Arc<Value>>,
}

/// A live session.
#[derive(Debug, Clone)]
pub(super) struct Session {
    /// Its state, shared with the operation reading it: copied only when a step changes it.
    pub state: Arc<Value>,
    /// When it expires (virtual ms).
    pub expires: Option<i64>,
    /// Whose state it is, for kinds with an `owner`: the state itself is kept in
    /// [`ApiState::owned`], shared by every token of the owner.
    pub owner: Option<String>,
}

/// Sessions of one kind, by their token's SHA-256: a digest is hashed by taking its first
/// eight bytes ([`Digested`]), as no client can choose them.
pub(super) type Sessions = Bounded<Key, Session, Digested>;

/// Hashes a SHA-256 digest by its first eight bytes. A digest is already uniform, and no
/// client can make two tokens' digests collide there, so hashing it again (SipHash, on
/// every request that carries a token) buys nothing.
#[derive(Clone, Copy, Default)]
pub(super) struct Digested;

impl std::hash::BuildHasher for Digested {
    type Hasher = DigestHasher;
    fn build_hasher(&self) -> DigestHasher {
        DigestHasher(0)
    }
}

/// The hasher [`Digested`] makes: the first eight bytes written (a slice's length, written
/// before it, is ignored).
pub(super) struct DigestHasher(u64);

impl std::hash::Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        for (i, b) in bytes.iter().take(8).enumerate() {
            self.0 ^= u64::from(*b) << (8 * i);
        }
    }
    fn write_usize(&mut self, _: usize) {}
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map that forgets its least recently used entries beyond a bound: a session in use a
/// second ago outlives one nobody has touched for an hour, whenever either was made.
pub(super) struct Bounded<K, V, S = std::hash::RandomState> {
    /// Values with the tick of their last use.
    map: HashMap<K, (V, u64), S>,
    /// Keys by the tick of their last use, least recent first.
    order: BTreeMap<u64, K>,
    tick: u64,
    max: usize,
    /// How many entries the bound has evicted, for the log.
    evicted: u64,
}

impl<K, V, S: Default> Default for Bounded<K, V, S> {
    fn default() -> Self {
        Bounded {
            map: HashMap::default(),
            order: BTreeMap::new(),
            tick: 0,
            max: OTHER_MAX,
            evicted: 0,
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone, V, S: std::hash::BuildHasher + Default> Bounded<K, V, S> {
    /// An empty map keeping at most `max` entries.
    pub(super) fn with_max(max: usize) -> Self {
        Bounded {
            max: max.max(1),
            ..Bounded::default()
        }
    }

    /// The value for `k`, without counting as a use.
    pub(super) fn get(&self, k: &K) -> Option<&V> {
        self.map.get(k).map(|(v, _)| v)
    }

    /// The value for `k` to change, without counting as a use.
    pub(super) fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.map.get_mut(k).map(|(v, _)| v)
    }

    /// Marks `k` as just used.
    pub(super) fn touch(&mut self, k: &K) {
        self.tick += 1;
        if let Some((_, t)) = self.map.get_mut(k) {
            self.order.remove(t);
            *t = self.tick;
            self.order.insert(self.tick, k.clone());
        }
    }

    /// Inserts (a use of `k`), evicting the least recently used entries when full; returns
    /// how many were evicted.
    pub(super) fn insert(&mut self, k: K, v: V) -> usize {
        self.tick += 1;
        if let Some((_, old)) = self.map.insert(k.clone(), (v, self.tick)) {
            self.order.remove(&old);
        }
        self.order.insert(self.tick, k);
        let mut evicted = 0;
        while self.map.len() > self.max {
            let Some((_, old)) = self.order.pop_first() else {
                break;
            };
            self.map.remove(&old);
            evicted += 1;
        }
        self.evicted += evicted as u64;
        evicted
    }

    /// Removes and returns the value for `k`.
    pub(super) fn remove(&mut self, k: &K) -> Option<V> {
        let (v, t) = self.map.remove(k)?;
        self.order.remove(&t);
        Some(v)
    }

    /// How many entries there are.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.map.len()
    }
}

impl ApiState {
    /// The sessions of a kind, created with its bound on first use.
    pub(super) fn sessions(&mut self, kind: &str, max: usize) -> &mut Sessions {
        of_kind(&mut self.sessions, kind, max)
    }

    /// The refresh tokens of a kind.
    pub(super) fn refresh(&mut self, kind: &str, max: usize) -> &mut Sessions {
        of_kind(&mut self.refresh, kind, max)
    }

    /// A live session (expired ones are dropped on sight), with its owner's state.
    pub(super) fn live(&mut self, kind: &str, max: usize, key: &Key, now: i64) -> Option<Session> {
        let sessions = self.sessions(kind, max);
        let mut live = match sessions.get(key) {
            Some(s) if s.expires.is_none_or(|e| e > now) => {
                let live = s.clone();
                sessions.touch(key);
                live
            }
            Some(_) => {
                sessions.remove(key);
                return None;
            }
            None => return None,
        };
        if let Some(owner) = &live.owner
            && let Some(state) = self.owned.get(&(kind.to_owned(), owner.clone()))
        {
            live.state = state.clone();
        }
        Some(live)
    }

    /// Saves a session under its token's key; an owned session's state goes to its owner.
    pub(super) fn save(&mut self, kind: &str, max: usize, key: Key, session: Session) {
        if let Some(owner) = &session.owner {
            self.owned
                .insert((kind.to_owned(), owner.clone()), session.state.clone());
        }
        let sessions = self.sessions(kind, max);
        if sessions.insert(key, session) > 0 {
            // Once, then every thousandth: a flood of new sessions does not flood the log.
            let n = sessions.evicted;
            if n == 1 || n.is_multiple_of(1000) {
                tracing::warn!(
                    "{n} `{kind}` session(s) evicted so far: at most {max} are kept, the least \
                     recently used go first, and their tokens are then unknown"
                );
            }
        }
    }

    /// Puts `state` back as the state of a session taken from the store; `false` when the
    /// session has gone meanwhile (revoked, ended, evicted), and the state with it.
    pub(super) fn put_back(&mut self, kind: &str, max: usize, key: Key, state: Arc<Value>) -> bool {
        let sessions = self.sessions(kind, max);
        match sessions.get_mut(&key) {
            Some(stored) => {
                stored.state = state;
                sessions.touch(&key);
                true
            }
            None => false,
        }
    }

    /// The saved state of an owner, if it has one.
    pub(super) fn owned_state(&self, kind: &str, owner: &str) -> Option<Arc<Value>> {
        self.owned
            .get(&(kind.to_owned(), owner.to_owned()))
            .cloned()
    }
}

/// The sessions of a kind, looked up before inserting: `entry` would copy the kind's name
/// on every request.
fn of_kind<'m>(m: &'m mut ByName<Sessions>, kind: &str, max: usize) -> &'m mut Sessions {
    if !m.contains_key(kind) {
        m.insert(kind.to_owned(), Bounded::with_max(max));
    }
    m.get_mut(kind).expect("just inserted")
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
