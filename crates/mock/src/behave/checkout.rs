//! Stores sharded by key, so that an operation on one session never waits on an operation
//! on another. Every operation holds, for its whole run, the stripe lock of each session
//! token it carries: operations on one session run one at a time. The state lock, which
//! guards every store, is then needed only briefly by an operation whose steps change
//! nothing but its session's state (a cart's add, update and remove): it checks the state
//! out of the store, lets the state lock go while its steps run, and takes it again to put
//! the state back. No other operation can meet the stand-in the store holds meanwhile: a
//! session's state is only ever read through a token a request carries, and the stripe of
//! that token is held.

use std::sync::{Mutex, MutexGuard, PoisonError};

use cartwright_model::{Binding, SessionKind};

use super::steps::Run;
use super::tokens::Key;
use super::{Behave, Outcome};
use crate::problem::Problem;

/// How many stripes the sessions are spread over: one bit each of a `u64`.
const STRIPES: usize = 64;

/// The stripe locks.
pub(super) struct Stripes(Box<[Mutex<()>]>);

impl Default for Stripes {
    fn default() -> Self {
        Stripes((0..STRIPES).map(|_| Mutex::new(())).collect())
    }
}

impl Stripes {
    /// The stripe of a token's key: the key is a SHA-256 digest, so its first byte is as
    /// good as a hash.
    pub(super) fn of(key: &Key) -> usize {
        usize::from(key[0]) % STRIPES
    }

    /// Locks the stripes of `keys`, lowest first, so that two operations that carry the
    /// same two tokens never each wait on the other.
    pub(super) fn lock<'k>(&self, keys: impl Iterator<Item = &'k Key>) -> Held<'_> {
        let bits = keys.fold(0u64, |bits, k| bits | 1 << Stripes::of(k));
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
            _ => {
                let mut held = Vec::with_capacity(bits.count_ones() as usize);
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

/// The stripe locks an operation holds until it ends. Most requests carry one token: its
/// guard is kept without an allocation.
pub(super) enum Held<'s> {
    /// No token, no stripe.
    None,
    /// The one token's stripe (held for its drop, never read).
    One { _guard: MutexGuard<'s, ()> },
    /// Several tokens' stripes, lowest first.
    Many { _guards: Vec<MutexGuard<'s, ()>> },
}

impl Behave {
    /// Runs the steps of a run whose session is checked out, without the state lock, then
    /// puts the state back: as the steps left it, or as it was when they failed. A session
    /// that went meanwhile (revoked by another operation, or evicted) stays gone.
    pub(super) fn checked_out<'a, 'r>(
        &self,
        mut s: Run<'r>,
        (kind, key): (&'r SessionKind, Key),
        b: &'a Binding,
        (ctx, replay): (super::Ctx<'a>, Option<(String, String)>),
    ) -> Result<Outcome<'a>, Problem> {
        s.taken = Some((kind, key));
        let ran = s.all(b, ctx, replay);
        let mut world = self.lock();
        let st = world.api(&s.api.source);
        match ran {
            Ok(plan) => {
                st.put_back(&kind.name, kind.max, key, plan.ctx.state());
                Ok(Outcome::Plan(plan))
            }
            // A failed run has settled: the state as it was is what it gives back.
            Err(p) => {
                if let Some(state) = s.back.take() {
                    st.put_back(&kind.name, kind.max, key, state);
                }
                Err(p)
            }
        }
    }
}

#[cfg(test)]
#[path = "checkout_tests.rs"]
mod tests;
