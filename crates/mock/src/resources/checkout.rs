//! Items sharded by id, so an operation on one cart never waits on an operation on another.
//! Every operation holds, for its whole run, the stripe lock of the item it addresses (the
//! parent, for a sub-resource's); a list holds every stripe. A sub-resource's operation (a
//! line added to a cart) then needs the items' lock only briefly: it checks its parent out
//! of the store, leaving a stand-in, lets the lock go while it changes the parent, and takes
//! it again to put the parent back. No other operation can meet the stand-in: the parent is
//! read only by operations that address it or list its collection, and those wait for its
//! stripe.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, LazyLock};

use cartwright_model::{Parent, ResourceAction as Action};
use serde_json::Value;

use super::catalog::seed;
use super::guard::Walks;
use super::made::{Made, template_of};
use super::ops::change_parent;
use super::splice::Answer;
use super::store::{Items, Stored};
use super::{Ctx, Done};
use crate::stripes::Stripes;
use crate::{Mock, Outgoing};

/// The stripes an operation holds: its item's, its parent's, every one for a list of a
/// top-level collection, none for a create there (its id is new).
pub(super) fn stripes(ctx: &Ctx<'_>) -> u64 {
    match &ctx.col.parent {
        Some(p) => ctx
            .param(Some(&p.param))
            .map_or(0, |pid| stripe(p.collection, pid)),
        None => match (&ctx.role.action, ctx.param(ctx.col.param.as_deref())) {
            (Action::List, _) => Stripes::ALL,
            (Action::Create, _) | (_, None) => 0,
            (_, Some(id)) => stripe(ctx.role.collection, id),
        },
    }
}

/// The stripe of item `id` of collection `c`: FNV-1a over both, as ids are often counted
/// (`1`, `2`, …) or share a prefix (`cart_01…`), and every byte should move the stripe.
fn stripe(c: usize, id: &str) -> u64 {
    let hash = c
        .to_le_bytes()
        .iter()
        .chain(id.as_bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    Stripes::bit((hash >> 32) as usize)
}

/// What holds a parent's place in its store while the parent is checked out.
static STAND_IN: LazyLock<Arc<Stored>> = LazyLock::new(|| Arc::new(Stored::new(Value::Null)));

/// What a sub-resource's operation took out of the store under the items' lock.
struct Taken {
    parent: Arc<Stored>,
    template: Option<Arc<super::template::Template>>,
    walks: Walks,
}

/// A sub-resource's operation, on its parent checked out of the store (the caller holds
/// the parent's stripe). A parent removed meanwhile (deleted, or forgotten as the oldest)
/// stays gone.
pub(super) fn in_parent(
    mock: &Mock,
    ctx: &Ctx<'_>,
    p: &Parent,
    answer: &mut Answer,
    out: &Outgoing,
) -> Done {
    let Some(pid) = ctx.param(Some(&p.param)) else {
        return Done::Ok(None);
    };
    let done = checked_out(mock, ctx, p, pid, (answer, out), |t, answer| {
        // Copying a generated element (a Medusa cart line carries its whole product and
        // variant) is most of an add's work, done here without the lock.
        let made = t.template.take().map(|template| Made::new(ctx, template));
        change_parent(ctx, &mut t.parent, p, (made, &mut t.walks), answer, out)
    });
    done.unwrap_or_else(|| {
        let name = &ctx.api.resources.collections[p.collection].name;
        Done::Missing(name.clone(), pid.to_owned())
    })
}

/// Checks parent `pid` out of its store, runs `change` on it without the items' lock, and
/// puts it back; `None` when there is no such parent. A bug that panics in `change` must
/// not leave the stand-in for good: the parent goes back as the panic left it, and the
/// panic goes on, to be answered 500.
fn checked_out<R>(
    mock: &Mock,
    ctx: &Ctx<'_>,
    p: &Parent,
    pid: &str,
    (answer, out): (&mut Answer, &Outgoing),
    change: impl FnOnce(&mut Taken, &mut Answer) -> R,
) -> Option<R> {
    // One stand-in serves every checkout: while it is in a parent's place, that parent's
    // stripe is held, so no other checkout of it is under way.
    let stand_in = &*STAND_IN;
    let mut t = mock.behave.with_items(ctx.api, |items| {
        let top = ctx.api.resources.lineage(ctx.role.collection)[0];
        seed(ctx, top, items.entry(top).or_default(), &answer.body, out);
        let slot = items.entry(p.collection).or_default().map.get_mut(pid)?;
        let parent = std::mem::replace(slot, Arc::clone(stand_in));
        let own = items.entry(ctx.role.collection).or_default();
        let walks = std::mem::take(&mut own.walks);
        let template = (ctx.role.action == Action::Create).then(|| template_of(ctx, own, p));
        Some(Taken {
            parent,
            template,
            walks,
        })
    })?;
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| change(&mut t, answer)));
    mock.behave.with_items(ctx.api, |items| {
        items.entry(ctx.role.collection).or_default().walks = t.walks;
        put_back(
            items.entry(p.collection).or_default(),
            pid,
            stand_in,
            t.parent,
        );
    });
    Some(done.unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
}

/// Puts a checked-out parent back in place of the stand-in; `false` when the stand-in is
/// gone (the parent was deleted or forgotten meanwhile, and maybe made again under its id),
/// and then the parent stays gone.
fn put_back(store: &mut Items, pid: &str, stand_in: &Arc<Stored>, parent: Arc<Stored>) -> bool {
    match store.map.get_mut(pid) {
        Some(slot) if Arc::ptr_eq(slot, stand_in) => {
            *slot = parent;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
#[path = "checkout_tests.rs"]
mod tests;
