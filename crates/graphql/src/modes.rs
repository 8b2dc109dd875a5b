//! The checks every field passes before it is answered: credentials at the root, the field's
//! and its arguments' operating modes, and the no-session request context.

use async_graphql::dynamic::ResolverContext;
use async_graphql::{Error, ErrorExtensions, SelectionField};

use crate::engine::Engine;
use crate::index::{Kind, named};
use crate::resolve::Plan;
use crate::scope::{self, Access, Scope};

/// Refuses the field when the request may not use it; the error names the mode required.
pub(crate) fn check(
    engine: &Engine,
    plan: &Plan,
    ctx: &ResolverContext<'_>,
    access: &Access,
) -> Result<(), Error> {
    if let Access::Refused(reason) = access {
        return Err(scope::unauthenticated(reason));
    }
    if matches!(access, Access::Open) {
        return Ok(());
    }
    let logged_in = || engine.logged_in(access);
    if let Some(required) = plan.scope
        && !access.allows(required, logged_in)
    {
        let what = format!("`{}.{}`", plan.owner, plan.name);
        return Err(scope::refusal(&what, required, access, logged_in()));
    }
    for (arg, required) in &plan.arg_scopes {
        let given = ctx.args.get(arg).is_some_and(|v| !v.is_null());
        if given && !access.allows(*required, logged_in) {
            let what = format!("the argument `{arg}` of `{}.{}`", plan.owner, plan.name);
            return Err(scope::refusal(&what, *required, access, logged_in()));
        }
    }
    check_max(plan, ctx, access)?;
    if plan.root && matches!(access, Access::NoSession) {
        no_session_context(engine, plan, ctx)?;
    }
    Ok(())
}

/// "Max limits depend on your session mode": a larger `limit` is refused, naming the maximum.
fn check_max(plan: &Plan, ctx: &ResolverContext<'_>, access: &Access) -> Result<(), Error> {
    let mode = match access {
        Access::NoSession => Scope::NoSession,
        _ => Scope::Session,
    };
    for (arg, maxes) in &plan.arg_max {
        let given = ctx.args.get(arg).and_then(|v| v.i64().ok());
        let max = maxes.iter().find(|(s, _)| *s == mode).map(|(_, m)| *m);
        if let (Some(given), Some(max)) = (given, max)
            && given > max
        {
            return Err(Error::new(format!(
                "`{arg}` of `{}` is at most {max} in {} mode, not {given}",
                plan.name,
                mode.name()
            ))
            .extend_with(|_, e| {
                e.set("code", "LIMIT_EXCEEDED");
                e.set("max", max);
            }));
        }
    }
    Ok(())
}

/// "When using a no session scoped token you will need to provide the request information on
/// each request (languageCode, market or pricelist) to get this result." A root field that
/// takes `market` and `languageCode` needs them; `pricelist` is needed when the selection
/// asks for a price (a `MonetaryValue`), as Centra's own accelerator omits it elsewhere.
fn no_session_context(
    engine: &Engine,
    plan: &Plan,
    ctx: &ResolverContext<'_>,
) -> Result<(), Error> {
    let missing: Vec<&str> = plan
        .context_args
        .iter()
        .copied()
        .filter(|arg| ctx.args.get(arg).is_none_or(|v| v.is_null()))
        .filter(|arg| *arg != "pricelist" || selects_price(engine, &plan.named, ctx.field(), 0))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(Error::new(format!(
        "in NO_SESSION mode every request carries its market, pricelist and language: `{}` needs {list}",
        plan.name
    ))
    .extend_with(|_, e| {
        e.set("code", "NO_SESSION_CONTEXT");
        e.set("missing", missing.iter().map(|m| m.to_string()).collect::<Vec<_>>());
    }))
}

/// Whether the selection below a field of type `ty` reaches a `MonetaryValue`.
fn selects_price(engine: &Engine, ty: &str, field: SelectionField<'_>, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    field.selection_set().any(|sub| {
        let Some(sub_ty) = field_type(engine, ty, sub.name()) else {
            return false;
        };
        sub_ty == "MonetaryValue" || selects_price(engine, &sub_ty, sub, depth + 1)
    })
}

/// The named type of `owner.field`, looking through an interface's or union's objects.
fn field_type(engine: &Engine, owner: &str, field: &str) -> Option<String> {
    let info = engine.index.get(owner)?;
    let direct = engine
        .index
        .field(owner, field)
        .map(|f| named(&f.ty).to_string());
    if direct.is_some() || !matches!(info.kind, Kind::Interface | Kind::Union) {
        return direct;
    }
    info.possible.iter().find_map(|p| {
        engine
            .index
            .field(p, field)
            .map(|f| named(&f.ty).to_string())
    })
}
