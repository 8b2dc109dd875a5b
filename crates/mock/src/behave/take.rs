//! The store a run holds, and the session state it takes from the store to change where it
//! lies and gives back as it was when the run fails or replaces it: adding a line to a cart
//! changes the stored cart instead of a copy of it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use cartwright_model::{Api, Operation, SessionKind};
use serde_json::Value;

use super::change::Log;
use super::context::Ctx;
use super::steps::Run;
use super::store::ApiState;
use super::tokens::Key;
use super::{Behave, Current};
use crate::Config;
use crate::problem::Problem;

/// Takes the current session's state from `st` to be changed where it lies, when the store
/// holds the very state the context does; returns whose state it took. Until the operation
/// ends the store holds a stand-in, and every path out of the operation saves the state or
/// puts it back. A kind with an owner keeps its state in two places and is not taken.
pub(super) fn take<'a>(
    st: &mut ApiState,
    api: &'a Api,
    current: Option<&Current>,
    ctx: &mut Ctx,
) -> Option<(&'a SessionKind, Key)> {
    let c = current.filter(|c| c.keep && c.owner.is_none())?;
    let key = c.key?;
    let kind = api
        .behaviours
        .session(&c.kind)
        .filter(|k| k.owner.is_none())?;
    let stored = st.sessions(&kind.name, kind.max).get_mut(&key)?;
    if !Arc::ptr_eq(&stored.state, ctx.state_ref()) {
        return None;
    }
    stored.state = Arc::new(Value::Null);
    ctx.change_in_place();
    Some((kind, key))
}

impl<'r> Run<'r> {
    /// A run that holds no store yet and has taken nothing.
    pub(super) fn new(
        api: &'r Api,
        op: &'r Operation,
        now_ms: i64,
        config: &'r Config,
        behave: &'r Behave,
        (outbox, current): (&'r mut Vec<Value>, &'r mut Option<Current>),
    ) -> Self {
        Run {
            api,
            op,
            st: None,
            now_ms,
            config,
            behave,
            outbox,
            current,
            taken: None,
            back: None,
        }
    }

    /// The store, which every run holds but one whose session is checked out; such a run's
    /// steps only change the session's state, so this is never asked of it.
    pub(super) fn store(&mut self) -> Result<&mut ApiState, Problem> {
        let op = &self.op.id;
        self.st.as_deref_mut().ok_or_else(|| {
            Problem::internal(format!(
                "a step of `{op}` reached for the store while its session was checked out"
            ))
        })
    }

    /// The current session's state to change, and the log of what undoes each change. On
    /// the first change the state is taken from the store ([`take`]) so that it is changed
    /// where it lies rather than copied.
    pub(super) fn change<'c, 'a>(
        &mut self,
        ctx: &'c mut Ctx<'a>,
    ) -> (&'c mut Value, &'c mut Log<'a>) {
        if self.taken.is_none()
            && let Some(st) = self.st.as_deref_mut()
        {
            self.taken = take(st, self.api, self.current.as_ref(), ctx);
        }
        ctx.changing()
    }

    /// Runs `f`, the steps; when they fail, or panic on a bug, what they changed is undone
    /// and the state put back. A panic is answered as a failed step (500): otherwise it
    /// would leave the store's stand-in where the session's state was, and the state would
    /// be lost. The panic's message is still printed, as every panic's is.
    pub(super) fn undoing<'a, T>(
        &mut self,
        ctx: &mut Ctx<'a>,
        f: impl FnOnce(&mut Self, &mut Ctx<'a>) -> Result<T, Problem>,
    ) -> Result<T, Problem> {
        let failed = match catch_unwind(AssertUnwindSafe(|| f(self, ctx))) {
            Ok(Ok(done)) => return Ok(done),
            Ok(Err(p)) => p,
            Err(_) => Problem::internal(format!(
                "a step of `{}` failed on a bug in cartwright; its message is in the mock's \
                 output",
                self.op.id
            )),
        };
        self.settle(ctx);
        Err(failed)
    }

    /// Undoes what the steps changed where the state lies and puts it back in the store,
    /// unless its session has gone (ended or revoked) meanwhile. A run that does not hold
    /// the store keeps it in [`Run::back`] for whoever does.
    pub(super) fn settle(&mut self, ctx: &mut Ctx) {
        let Some(state) = ctx.settle() else { return };
        let Some((kind, key)) = self.taken.take() else {
            return;
        };
        match self.st.as_deref_mut() {
            Some(st) => {
                st.put_back(&kind.name, kind.max, key, state);
            }
            None => self.back = Some(state),
        }
    }
}

#[cfg(test)]
#[path = "take_tests.rs"]
mod tests;
