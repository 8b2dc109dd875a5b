//! Whole answers of queries, kept so a repeated query (a storefront listing the same page
//! again) is answered without parsing, validating and resolving it again.
//!
//! An answer is kept under everything it depends on: the query text, the operation name,
//! the variables and the request's access (the session's token and the shared-secret flag).
//! What the session holds (country, market, pricelist, language, customer, selection) changes
//! only through mutations, and the catalog never changes while the mock runs, so every answer
//! is valid exactly while the state [generation](AnswerCache::generation) it was made in is
//! current: every mutation, reset and clock move starts a new generation, which makes every
//! kept answer unusable at once (and the first answer kept in the new one clears them).
//!
//! Only answers without errors are kept, and only their `data`: the `extensions` (the token
//! hand-over and the trace id) are written for each request.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

use crate::scope::Access;

/// How much the answer cache may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheLimits {
    /// Most answers kept; 0 turns the cache off.
    pub entries: usize,
    /// Most bytes kept, counting each answer's body and the key it is kept under.
    pub bytes: usize,
}

impl Default for CacheLimits {
    fn default() -> Self {
        CacheLimits {
            entries: 1024,
            bytes: 64 * 1024 * 1024,
        }
    }
}

/// What an answer is kept under, borrowed from the request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key<'a> {
    /// The query text.
    pub query: &'a str,
    /// The operation name, if the request gives one.
    pub operation: Option<&'a str>,
    /// The variables as JSON text.
    pub variables: &'a str,
    /// The request's access (its session token and sub-modes).
    pub access: &'a Access,
}

/// One kept answer and the whole key it was kept under (a hash match alone is not a hit).
#[derive(Debug)]
struct Entry {
    query: Box<str>,
    operation: Option<Box<str>>,
    variables: Box<str>,
    access: Access,
    body: Bytes,
}

impl Entry {
    fn is(&self, key: &Key<'_>) -> bool {
        *self.query == *key.query
            && self.operation.as_deref() == key.operation
            && *self.variables == *key.variables
            && self.access == *key.access
    }

    fn size(&self) -> usize {
        let token = match &self.access {
            Access::Session { token, .. } => token.len(),
            _ => 0,
        };
        self.body.len()
            + self.query.len()
            + self.operation.as_deref().map_or(0, str::len)
            + self.variables.len()
            + token
    }
}

#[derive(Debug, Default)]
struct Inner {
    /// The generation the entries were made in.
    generation: u64,
    entries: HashMap<u64, Entry>,
    bytes: usize,
}

/// The bounded cache of query answers. When it is full it is emptied (a mock's working set
/// is a handful of queries, so what it holds is soon made again).
#[derive(Debug)]
pub(crate) struct AnswerCache {
    limits: CacheLimits,
    generation: AtomicU64,
    hasher: RandomState,
    inner: Mutex<Inner>,
}

impl AnswerCache {
    /// An empty cache within `limits`.
    pub(crate) fn new(limits: CacheLimits) -> AnswerCache {
        AnswerCache {
            limits,
            generation: AtomicU64::new(0),
            hasher: RandomState::new(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Whether answers are kept at all.
    pub(crate) fn enabled(&self) -> bool {
        self.limits.entries > 0
    }

    /// The current state generation: read it before the state an answer is made from.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Starts a new generation: called after every change of state, so no answer made
    /// before it (or while it was made) is served again.
    pub(crate) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The map is plain data: a panic elsewhere leaves it usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn hash(&self, key: &Key<'_>) -> u64 {
        let mut h = self.hasher.build_hasher();
        key.query.hash(&mut h);
        key.operation.hash(&mut h);
        key.variables.hash(&mut h);
        key.access.hash(&mut h);
        h.finish()
    }

    /// The answer kept under `key`, if it was made in the current generation.
    pub(crate) fn get(&self, key: &Key<'_>) -> Option<Bytes> {
        let hash = self.hash(key);
        let current = self.generation();
        let inner = self.lock();
        if inner.generation != current {
            return None;
        }
        let entry = inner.entries.get(&hash)?;
        entry.is(key).then(|| entry.body.clone())
    }

    /// Keeps `body`, made from the state of `generation`, under `key`; an answer from an
    /// older generation than the current one is dropped.
    pub(crate) fn put(&self, generation: u64, key: &Key<'_>, body: Bytes) {
        if !self.enabled() || generation != self.generation() {
            return;
        }
        let entry = Entry {
            query: key.query.into(),
            operation: key.operation.map(Into::into),
            variables: key.variables.into(),
            access: key.access.clone(),
            body,
        };
        let size = entry.size();
        if size > self.limits.bytes {
            return;
        }
        let hash = self.hash(key);
        let mut inner = self.lock();
        if inner.generation != generation {
            if inner.generation > generation {
                return;
            }
            *inner = Inner {
                generation,
                ..Inner::default()
            };
        }
        if let Some(old) = inner.entries.remove(&hash) {
            inner.bytes -= old.size();
        }
        if inner.entries.len() >= self.limits.entries || inner.bytes + size > self.limits.bytes {
            inner.entries.clear();
            inner.bytes = 0;
        }
        inner.bytes += size;
        inner.entries.insert(hash, entry);
    }

    /// How many answers are kept, and their bytes (the admin API's health shows them).
    pub(crate) fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        if inner.generation != self.generation() {
            return (0, 0);
        }
        (inner.entries.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(query: &'a str, access: &'a Access) -> Key<'a> {
        Key {
            query,
            operation: None,
            variables: "{}",
            access,
        }
    }

    #[test]
    fn an_answer_is_served_only_for_its_whole_key_and_generation() {
        let cache = AnswerCache::new(CacheLimits::default());
        let a = Access::Session {
            token: "a".into(),
            shared_secret: false,
            minted: false,
        };
        let b = Access::Session {
            token: "b".into(),
            shared_secret: false,
            minted: false,
        };
        let g = cache.generation();
        cache.put(g, &key("{ x }", &a), Bytes::from_static(b"{\"data\":1}"));
        assert_eq!(
            cache.get(&key("{ x }", &a)).as_deref(),
            Some(&b"{\"data\":1}"[..])
        );
        assert!(cache.get(&key("{ x }", &b)).is_none(), "another session");
        assert!(cache.get(&key("{ y }", &a)).is_none(), "another query");
        let other_vars = Key {
            variables: "{\"page\":2}",
            ..key("{ x }", &a)
        };
        assert!(cache.get(&other_vars).is_none(), "other variables");
        cache.invalidate();
        assert!(cache.get(&key("{ x }", &a)).is_none(), "a new generation");
        cache.put(g, &key("{ x }", &a), Bytes::from_static(b"old"));
        assert!(
            cache.get(&key("{ x }", &a)).is_none(),
            "made before the change"
        );
    }

    #[test]
    fn entries_and_bytes_stay_within_the_limits() {
        let limits = CacheLimits {
            entries: 8,
            bytes: 400,
        };
        let cache = AnswerCache::new(limits);
        let access = Access::NoSession;
        for n in 0..1000 {
            let query = format!("{{ q{n} }}");
            cache.put(
                cache.generation(),
                &key(&query, &access),
                Bytes::from(vec![b' '; n % 50]),
            );
            let (entries, bytes) = cache.usage();
            assert!(
                entries <= 8 && bytes <= 400,
                "{entries} entries, {bytes} bytes"
            );
            assert!(entries >= 1, "the newest answer is kept");
        }
        let big = Bytes::from(vec![b' '; 500]);
        cache.put(cache.generation(), &key("{ big }", &access), big);
        assert!(
            cache.get(&key("{ big }", &access)).is_none(),
            "too big to keep"
        );
    }

    #[test]
    fn no_entries_means_off() {
        let cache = AnswerCache::new(CacheLimits {
            entries: 0,
            bytes: 1 << 20,
        });
        let access = Access::Open;
        cache.put(0, &key("{ x }", &access), Bytes::from_static(b"x"));
        assert!(!cache.enabled());
        assert!(cache.get(&key("{ x }", &access)).is_none());
    }
}
