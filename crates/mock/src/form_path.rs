//! Path parameters a spec declares as form-decoded (`x-cartwright-decode: form`): a literal
//! `+` in the segment reads as a space, the way a server that form-decodes its paths reads
//! it, so only `%2B` carries a plus. Centra warns of exactly this: "a voucher code with +, ie:
//! TEST+CODE should be sent to DELETE /vouchers/TEST%2BCODE and not DELETE
//! /vouchers/TEST+CODE". A mock that read `+` literally would hide the client's bug.

use cartwright_model::{Api, Lookup, Match, Method, Operation, ParamLocation};

use crate::Incoming;

/// The parameter extension, and the one value it takes.
const KEY: &str = "x-cartwright-decode";
const FORM: &str = "form";

/// Re-reads the form-decoded path parameters of `m` from the raw path of `req`. Parameters
/// without the extension keep their percent-decoded values.
pub(crate) fn reread(api: &Api, op: &Operation, req: &Incoming, m: &mut Match) {
    // Without path parameters or a `+` there is nothing to re-read: the parameters'
    // extensions are not looked up.
    if !op
        .parameters
        .iter()
        .any(|p| p.location == ParamLocation::Path)
        || !req.path.contains('+')
    {
        return;
    }
    let (Some(method), Some(rest)) = (
        Method::parse(req.method.as_str()),
        api.strip_base(&req.path),
    ) else {
        return;
    };
    let names: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path && form_decoded(api, &p.pointer))
        .map(|p| p.name.as_str())
        .collect();
    if names.is_empty() {
        return;
    }
    // `%20` decodes to the space a form decoder makes of `+`; the router still splits first
    // and decodes after, so nothing else about the match changes.
    let spaced = rest.replace('+', "%20");
    let Lookup::Found(again) = api.router.lookup(method, &spaced) else {
        return;
    };
    if again.operation != m.operation {
        return;
    }
    for (name, value) in &mut m.params {
        if names.contains(&name.as_str())
            && let Some((_, v)) = again.params.iter().find(|(n, _)| n == name)
        {
            value.clone_from(v);
        }
    }
}

/// Whether the parameter at `pointer` says `x-cartwright-decode: form`.
fn form_decoded(api: &Api, pointer: &str) -> bool {
    api.document
        .pointer(pointer)
        .and_then(|p| p.get(KEY))
        .and_then(|v| v.as_str())
        == Some(FORM)
}
