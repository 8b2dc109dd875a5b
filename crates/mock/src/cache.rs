//! Response bodies are deterministic for a given operation, status, media type, example
//! choice, mode and seed, so each is generated and serialised once, not per request.
//!
//! The seed comes from clients (`Prefer: seed=N`), so the cache is bounded: when full it
//! starts over, which costs one regeneration per body, never correctness.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use serde_json::Value;

/// What a cached body depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct BodyKey {
    /// Pointer of the operation in its document, with the API's source (unique across APIs).
    pub operation: String,
    /// The status answered.
    pub status: u16,
    /// The declared media type chosen.
    pub media: String,
    /// The named example asked for, if any.
    pub example: Option<String>,
    /// Generated dynamically.
    pub dynamic: bool,
    /// The seed.
    pub seed: u64,
}

/// A bounded map from [`BodyKey`] to serialised bodies, and from bodies to their parsed
/// JSON (behaviours patch the parsed form of a cached body on every request).
#[derive(Debug, Default)]
pub(crate) struct BodyCache {
    bodies: RwLock<HashMap<BodyKey, Bytes, Fast>>,
    /// Keyed by the body's bytes, hashed on every patched answer: a generated body of tens
    /// of kilobytes made SipHash a visible share of a stateful request, foldhash is not.
    parsed: RwLock<HashMap<Bytes, Arc<Value>, Fast>>,
}

const CAPACITY: usize = 4096;

/// A fast hasher for keys the mock made itself (no client chooses them).
type Fast = foldhash::fast::RandomState;

impl BodyCache {
    /// The cached body, or `make`'s, which is cached when it succeeds.
    pub(crate) fn get_or_try<E>(
        &self,
        key: BodyKey,
        make: impl FnOnce() -> Result<Bytes, E>,
    ) -> Result<Bytes, E> {
        if let Some(b) = self
            .bodies
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Ok(b.clone());
        }
        let body = make()?;
        let mut bodies = self.bodies.write().unwrap_or_else(|p| p.into_inner());
        if bodies.len() >= CAPACITY {
            bodies.clear();
        }
        bodies.insert(key, body.clone());
        Ok(body)
    }

    /// The body parsed as JSON, parsed once per distinct body.
    pub(crate) fn parsed(&self, body: &Bytes) -> Option<Arc<Value>> {
        if let Some(v) = self
            .parsed
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(body)
        {
            return Some(v.clone());
        }
        let v: Arc<Value> = Arc::new(serde_json::from_slice(body).ok()?);
        let mut parsed = self.parsed.write().unwrap_or_else(|p| p.into_inner());
        if parsed.len() >= CAPACITY {
            parsed.clear();
        }
        parsed.insert(body.clone(), v.clone());
        Some(v)
    }

    /// Forgets every body (after a reload the operations may differ).
    pub(crate) fn clear(&self) {
        self.bodies
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.parsed
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
