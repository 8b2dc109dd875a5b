//! How a mock's behaviours reach their stores: the state lock over sessions, records,
//! codes, kept replies and the outbox; the lock of the inferred collections' items and their
//! stripes; and forgetting all of it.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use cartwright_model::Api;
use serde_json::Value;

use super::Behave;
use super::store::{Inferred, World};
use crate::Outgoing;
use crate::resources::Items;
use crate::stripes::Held;

impl Behave {
    /// Forgets all state, inferred items and the outbox, and resets the clock.
    pub(crate) fn reset(&self) {
        *self.lock() = World::default();
        *relock(&self.inferred) = Inferred::default();
        self.clock.reset();
    }

    /// The outbox, optionally only the messages to one recipient.
    pub(crate) fn outbox(&self, to: Option<&str>) -> Vec<Value> {
        self.lock()
            .outbox
            .iter()
            .filter(|m| to.is_none_or(|t| m["to"] == t))
            .cloned()
            .collect()
    }

    /// Runs `f` on an API's inferred items under their lock, so a read-modify-write of one
    /// item is atomic like a behaviour's steps. It is not the state lock: an inferred
    /// operation never waits on a behaviour's, nor a behaviour's on an inferred one.
    pub(crate) fn with_items<R>(
        &self,
        api: &Api,
        f: impl FnOnce(&mut HashMap<usize, Items>) -> R,
    ) -> R {
        let mut inferred = relock(&self.inferred);
        // Looked up before inserting: `entry` would copy the name on every request.
        if !inferred.contains_key(&api.source) {
            inferred.insert(api.source.clone(), HashMap::new());
        }
        f(inferred.get_mut(&api.source).expect("just inserted"))
    }

    /// Holds the stripes of the inferred items an operation works on, until dropped: taken
    /// before the items' lock, never while holding it.
    pub(crate) fn hold_items(&self, stripes: u64) -> Held<'_> {
        self.item_stripes.lock(stripes)
    }

    /// The state lock, over every behaviour store and the outbox.
    pub(super) fn lock(&self) -> MutexGuard<'_, World> {
        relock(&self.world)
    }

    /// Keeps an answer for idempotent repeats.
    pub(crate) fn remember(&self, api: &Api, key: (String, String), out: &Outgoing) {
        self.lock()
            .api(&api.source)
            .replies
            .insert(key, out.clone());
    }
}

/// Takes a lock. A panic while holding it cannot leave a half-applied step visible in a way
/// that matters more than losing all state would, so a poisoned lock is reused.
fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
