//! Response bodies are deterministic for a given operation, status, media type, example
//! choice, mode and seed, so each is generated and serialised once, not per request.
//!
//! The seed comes from clients (`Prefer: seed=N`), so the cache is bounded: when full it
//! starts over, which costs one regeneration per body, never correctness.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use indexmap::{Equivalent, IndexMap};
use serde_json::Value;

/// What a cached body depends on, borrowed from the request being answered: looking a body
/// up builds no string, only a body made for the first time is stored under an owned copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct BodyKey<'a> {
    /// The API's source (operations of different APIs may share a pointer).
    pub source: &'a str,
    /// Pointer of the operation in its document.
    pub operation: &'a str,
    /// The status answered.
    pub status: u16,
    /// The declared media type chosen.
    pub media: &'a str,
    /// The named example asked for, if any.
    pub example: Option<&'a str>,
    /// Generated dynamically.
    pub dynamic: bool,
    /// The seed.
    pub seed: u64,
}

/// A [`BodyKey`] as the cache keeps it.
#[derive(Debug, PartialEq, Eq)]
struct Stored {
    source: String,
    operation: String,
    status: u16,
    media: String,
    example: Option<String>,
    dynamic: bool,
    seed: u64,
}

impl Stored {
    fn key(&self) -> BodyKey<'_> {
        BodyKey {
            source: &self.source,
            operation: &self.operation,
            status: self.status,
            media: &self.media,
            example: self.example.as_deref(),
            dynamic: self.dynamic,
            seed: self.seed,
        }
    }
}

impl From<BodyKey<'_>> for Stored {
    fn from(k: BodyKey<'_>) -> Self {
        Stored {
            source: k.source.to_owned(),
            operation: k.operation.to_owned(),
            status: k.status,
            media: k.media.to_owned(),
            example: k.example.map(str::to_owned),
            dynamic: k.dynamic,
            seed: k.seed,
        }
    }
}

/// Hashed as its borrowed form, so a [`BodyKey`] finds it.
impl Hash for Stored {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl Equivalent<Stored> for BodyKey<'_> {
    fn equivalent(&self, stored: &Stored) -> bool {
        *self == stored.key()
    }
}

/// A bounded map from [`BodyKey`] to serialised bodies, and from bodies to their parsed
/// JSON (behaviours patch the parsed form of a cached body on every request).
#[derive(Debug, Default)]
pub(crate) struct BodyCache {
    bodies: RwLock<IndexMap<Stored, Bytes, Fast>>,
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
        key: BodyKey<'_>,
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
        bodies.insert(key.into(), body.clone());
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
