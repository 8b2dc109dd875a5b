//! Session carriers the spec returns and accepts back without a binding (Shopware's
//! `sw-context-token`): an answer that declares the header hands back the request's value,
//! so a client keeps its session, or a fresh token when the request brought none — never the
//! spec's example, which would give every client the same session.

use cartwright_model::{Api, Operation};

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
        let value = req
            .header(&c.header)
            .filter(|v| !v.is_empty())
            .map_or_else(|| mint(header.schema.as_ref()), str::to_owned);
        out.set(name, &value);
    }
}

/// A new token, from the OS's random source, in the first form the header's schema accepts:
/// 32 hex digits (Shopware's own form), else a UUID (`format: uuid`, as `mcp-session-id`
/// declares). Neither fitting, the hex form goes out: no other form is more likely to.
fn mint(schema: Option<&cartwright_model::Schema>) -> String {
    let uuid = cartwright_model::uuid();
    let hex = uuid.replace('-', "");
    let fits = |v: &str| schema.is_none_or(|s| s.is_valid(&serde_json::json!(v)));
    if fits(&hex) || !fits(&uuid) {
        hex
    } else {
        uuid
    }
}
