//! Stores sharded by key, so that an operation on one session never waits on an operation
//! on another. Every operation holds, for its whole run, the stripe lock of each session
//! token it carries: operations on one session run one at a time. The state lock, which
//! guards every store, is then needed only briefly by an operation whose steps change
//! nothing but its session's state (a cart's add, update and remove): it checks the state
//! out of the store, lets the state lock go while its steps run, and takes it again to put
//! the state back. No other operation can meet the stand-in the store holds meanwhile: a
//! session's state is only ever read through a token a request carries, and the stripe of
//! that token is held.

use cartwright_model::{Binding, SessionKind};

use super::steps::Run;
use super::tokens::Key;
use super::{Behave, Outcome};
use crate::problem::Problem;
use crate::stripes::Stripes;

/// The stripes of the session tokens an operation carries. A key is a SHA-256 digest, so
/// its first byte is as good as a hash.
pub(super) fn stripes<'k>(keys: impl Iterator<Item = &'k Key>) -> u64 {
    keys.fold(0, |bits, k| bits | Stripes::bit(usize::from(k[0])))
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
