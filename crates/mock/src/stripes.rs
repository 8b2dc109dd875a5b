//! Stripe locks: a fixed set of locks that stand for every key, each key always the same
//! one. An operation holds the stripes of the keys it works on (a session's token, a cart's
//! id) for its whole run, so operations on one key run one at a time while operations on
//! other keys go on. Two keys may share a stripe; they then wait for each other, which is
//! only slower, never wrong.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// How many stripes there are: one bit each of a `u64`.
const STRIPES: usize = 64;

/// The stripe locks.
pub(crate) struct Stripes(pub(crate) Box<[Mutex<()>]>);

impl Default for Stripes {
    fn default() -> Self {
        Stripes((0..STRIPES).map(|_| Mutex::new(())).collect())
    }
}

impl Stripes {
    /// Every stripe: what an operation that reads all keys (a list) holds.
    pub(crate) const ALL: u64 = u64::MAX;

    /// The stripe a key hashed to `hash` is on.
    pub(crate) fn of(hash: usize) -> usize {
        hash % STRIPES
    }

    /// The bit of that stripe, to gather an operation's stripes into one set.
    pub(crate) fn bit(hash: usize) -> u64 {
        1 << Stripes::of(hash)
    }

    /// Locks the stripes in `bits`, lowest first, so that two operations that hold the
    /// same two stripes never each wait on the other.
    pub(crate) fn lock(&self, bits: u64) -> Held<'_> {
        let take = |i: u32| {
            self.0[i as usize]
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        match bits.count_ones() {
            0 => Held::None,
            1 => Held::One {
                _guard: take(bits.trailing_zeros()),
            },
            n => {
                let mut held = Vec::with_capacity(n as usize);
                let mut rest = bits;
                while rest != 0 {
                    held.push(take(rest.trailing_zeros()));
                    rest &= rest - 1;
                }
                Held::Many { _guards: held }
            }
        }
    }
}

/// The stripe locks an operation holds until it ends. Most operations hold one: its guard
/// is kept without an allocation.
pub(crate) enum Held<'s> {
    /// No key, no stripe.
    None,
    /// The one key's stripe (held for its drop, never read).
    One { _guard: MutexGuard<'s, ()> },
    /// Several stripes, lowest first.
    Many { _guards: Vec<MutexGuard<'s, ()>> },
}
