//! The session state a run takes from the store to change where it lies, and gives back
//! as it was when the run fails or replaces it: adding a line to a cart changes the stored
//! cart instead of a copy of it.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;

use serde_json::Value;

use super::change::Log;
use super::context::Ctx;
use super::steps::Run;
use crate::problem::Problem;

impl Run<'_> {
    /// The current session's state to change, and the log of what undoes each change. On
    /// the first change the state is taken from the store, when the store holds the very
    /// state the context does, so that it is changed where it lies rather than copied. A
    /// kind with an owner keeps the state in two places and is copied as before.
    pub(super) fn change<'c, 'a>(
        &mut self,
        ctx: &'c mut Ctx<'a>,
    ) -> (&'c mut Value, &'c mut Log<'a>) {
        if self.taken.is_none()
            && let Some(c) = self
                .current
                .as_ref()
                .filter(|c| c.keep && c.owner.is_none())
            && let Some(key) = c.key
            && let Some(kind) = self.api.behaviours.session(&c.kind)
            && kind.owner.is_none()
            && let Some(stored) = self.st.sessions(&kind.name, kind.max).get_mut(&key)
            && Arc::ptr_eq(&stored.state, ctx.state_ref())
        {
            // Until the operation ends, the store holds a stand-in: every path out of it
            // saves the state or puts it back.
            stored.state = Arc::new(Value::Null);
            self.taken = Some((kind, key));
            ctx.change_in_place();
        }
        ctx.changing()
    }

    /// Runs `f`, the steps; when they fail, or panic on a bug, what they changed is undone
    /// and the state put back before the failure goes on. A panic would otherwise leave the
    /// store's stand-in where the session's state was, and the state would be lost.
    pub(super) fn undoing<'a, T>(
        &mut self,
        ctx: &mut Ctx<'a>,
        f: impl FnOnce(&mut Self, &mut Ctx<'a>) -> Result<T, Problem>,
    ) -> Result<T, Problem> {
        match catch_unwind(AssertUnwindSafe(|| f(self, ctx))) {
            Ok(Ok(done)) => Ok(done),
            Ok(Err(p)) => {
                self.settle(ctx);
                Err(p)
            }
            Err(panic) => {
                self.settle(ctx);
                resume_unwind(panic)
            }
        }
    }

    /// Undoes what the steps changed where the state lies and puts it back in the store,
    /// unless its session has gone (ended or revoked) meanwhile.
    pub(super) fn settle(&mut self, ctx: &mut Ctx) {
        if let Some(state) = ctx.settle()
            && let Some((kind, key)) = self.taken.take()
            && let Some(stored) = self.st.sessions(&kind.name, kind.max).get_mut(&key)
        {
            stored.state = state;
        }
    }
}

#[cfg(test)]
#[path = "take_tests.rs"]
mod tests;
