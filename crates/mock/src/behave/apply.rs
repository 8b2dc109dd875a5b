//! The answer a plan is made into: the spec's answer patched with what the state says,
//! through the example's cut when it has one, else as a tree, and kept by its state when
//! its patches read nothing else.

use cartwright_model::Respond;

use super::context::Ctx;
use super::{Behave, Plan, answer, answers, eval_problem, template};
use crate::Outgoing;
use crate::cache::BodyCache;
use crate::problem::Problem;

/// Patches an answer made from the spec with the plan's body values and headers: through
/// the example's template when it has one, else as a tree.
pub(crate) fn apply(
    out: &mut Outgoing,
    plan: &mut Plan<'_>,
    cache: &BodyCache,
    behave: &Behave,
) -> Result<(), Problem> {
    let Some(r) = plan.respond else {
        return Ok(());
    };
    if !r.body.is_empty()
        && let Some(kept) = template::Kept::of(r, &out.body, cache, &behave.templates)
    {
        let state = plan.ctx.state_ref();
        let from = (kept.patches.as_ref()).map(|p| answers::from(&plan.ctx, &kept.skeleton, p));
        match from.as_ref().and_then(|f| behave.answers.get(state, f)) {
            Some(body) => out.body = body,
            None => {
                let body: bytes::Bytes = written(&kept, r, &plan.ctx, out.body.len())?.into();
                if let Some(f) = from {
                    behave.answers.put(state, f, body.clone());
                }
                out.body = body;
            }
        }
    }
    for (name, e) in &r.headers {
        if let Some(v) = plan.ctx.eval(e).map_err(eval_problem)? {
            out.set(
                name,
                v.as_str()
                    .map_or_else(|| v.to_string(), str::to_owned)
                    .as_str(),
            );
        }
    }
    Ok(())
}

/// The answer's body: the example's cut with the patches' values written in, or the
/// example patched as a tree when the cut cannot take them.
fn written(
    kept: &template::Kept,
    r: &Respond,
    ctx: &Ctx<'_>,
    example: usize,
) -> Result<Vec<u8>, Problem> {
    // About the spec's body in size: written without growing the buffer on the way.
    let capacity = example + example / 2;
    let cut = match &kept.template {
        Some(t) => t.write(&r.body, ctx, capacity),
        None => Ok(None),
    };
    match cut.map_err(eval_problem)? {
        Some(text) => Ok(text),
        None => {
            let patches = r.body.iter().map(|(p, s)| (p.segments.as_slice(), s));
            answer::patched(&kept.skeleton, patches, ctx, capacity).map_err(eval_problem)
        }
    }
}
