//! Session carriers the spec returns and accepts back without a binding (Shopware's
//! `sw-context-token`): an answer that declares the header hands back the request's value,
//! so a client keeps its session, or a fresh token when the request brought none — never the
//! spec's example, which would give every client the same session. A carrier returned in
//! the body (Spree's cart `token`, sent back as `X-Spree-Token`) is minted into each new
//! item instead, and kept with it.

use cartwright_model::{Api, Operation};
use serde_json::Value;

use super::Ctx;
use crate::{Incoming, Outgoing};

/// Sets each inferred header carrier the answer declares: the request's value, else a new one.
pub(crate) fn carry(api: &Api, op: &Operation, req: &Incoming, out: &mut Outgoing) {
    let carriers = &api.resources.carriers;
    if carriers.is_empty() {
        return;
    }
    let Some(declared) = op.response_for(out.status.as_u16()) else {
        return;
    };
    for c in carriers.iter().filter(|c| !c.cookie) {
        let Some(name) = c.returned.strip_prefix("header ") else {
            continue;
        };
        let Some(header) = declared
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
        else {
            continue;
        };
        let fits =
            |v: &str| (header.schema.as_ref()).is_none_or(|s| s.is_valid(&serde_json::json!(v)));
        let value = req
            .header(&c.header)
            .filter(|v| !v.is_empty())
            .map_or_else(|| mint(fits), str::to_owned);
        out.set(name, &value);
    }
}

/// Gives a new item its own token in each member that an answer returns as a session
/// carrier, where the item (placed at `at` in the answer) holds that member: a fresh one in
/// the form the member's schema declares, unless the request set it (`changes`).
pub(super) fn fresh_tokens(
    ctx: &Ctx<'_>,
    at: Option<&str>,
    item: &mut Value,
    changes: &[(String, Option<Value>)],
) {
    let carriers = &ctx.api.resources.carriers;
    let Some(at) = at else {
        return;
    };
    for c in carriers {
        let Some(member) = (c.returned.strip_prefix("body "))
            .and_then(|p| p.strip_prefix(at))
            .and_then(|p| p.strip_prefix('/'))
            .filter(|m| !m.contains('/'))
        else {
            continue;
        };
        let member = cartwright_source::pointer::unescape(member);
        if changes.iter().any(|(k, _)| *k == member) {
            continue;
        }
        let Some(slot) = item.get_mut(&member).filter(|v| v.is_string()) else {
            continue;
        };
        let schema = ctx.col.schema.as_deref();
        let declared = schema.and_then(|s| cartwright_model::field_schema(ctx.doc(), s, &member));
        let uuid = declared.and_then(|s| s.get("format")) == Some(&Value::from("uuid"));
        // Of the two forms, only a UUID fits a member declared `format: uuid`.
        *slot = Value::String(mint(|v| !uuid || v.contains('-')));
    }
}

/// A new token, from the OS's random source, in the first form that `fits`: 32 hex digits
/// (Shopware's own form), else a UUID (`format: uuid`, as `mcp-session-id` declares).
/// Neither fitting, the hex form goes out: no other form is more likely to.
fn mint(fits: impl Fn(&str) -> bool) -> String {
    let uuid = cartwright_model::uuid();
    let hex = uuid.replace('-', "");
    if fits(&hex) || !fits(&uuid) {
        hex
    } else {
        uuid
    }
}
