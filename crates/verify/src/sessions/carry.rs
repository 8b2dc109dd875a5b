//! Putting a session's token into a request where its kind says: through the security
//! scheme its tokens satisfy, through declared parameters that are its carriers (a required
//! `X-Vendo-Order-Token` header gets the token, not its example), else its first carrier.

use cartwright_model::{Carrier, Operation, ParamLocation};
use serde_json::Value;

use crate::credentials::Credentials;
use crate::probe::Probe;
use crate::request::{self, Req, Values};
use crate::sessions::documented;
use crate::sessions::session::Kind;

/// The documented request for `op` carrying `token` (a marker, usually) as `kind` says:
/// through its security scheme, declared parameters that are its carriers, and otherwise
/// its first carrier. Without a token, no carrier is sent at all.
pub(crate) fn carry(
    probe: &Probe<'_>,
    op: &Operation,
    kind: &Kind<'_>,
    token: Option<&str>,
) -> Req {
    let values = documented::values(probe, op);
    carry_with(probe, op, kind, token, values)
}

/// As [`carry`], with the request's values given.
pub(crate) fn carry_with(
    probe: &Probe<'_>,
    op: &Operation,
    kind: &Kind<'_>,
    token: Option<&str>,
    mut values: Values,
) -> Req {
    let mut auth = probe.opts.auth.clone();
    if let (Some(s), Some(t)) = (&kind.scheme, token) {
        auth.push(format!("{s}={t}"));
    }
    let creds = Credentials::parse(&auth).unwrap_or_default();
    values.params.retain_mut(|(i, v)| {
        let Some(p) = op.parameters.get(*i) else {
            return true;
        };
        if !kind
            .carriers
            .iter()
            .any(|c| is_carrier(c, p.location, &p.name))
        {
            return true;
        }
        match token {
            Some(t) => {
                *v = Value::String(t.to_owned());
                true
            }
            None => false,
        }
    });
    let mut req = request::assemble(probe.api, op, &probe.target, &creds, &values);
    let Some(t) = token else {
        strip_carriers(&mut req, &kind.carriers);
        return req;
    };
    let carried = req.url.contains(t) || req.headers.iter().any(|(_, v)| v.contains(t));
    if let (false, Some(c)) = (carried, kind.carriers.first()) {
        put(&mut req, c, t);
    }
    req
}

fn is_carrier(c: &Carrier, at: ParamLocation, name: &str) -> bool {
    match c {
        Carrier::Header(h) => at == ParamLocation::Header && h.eq_ignore_ascii_case(name),
        Carrier::Cookie(k) => at == ParamLocation::Cookie && k == name,
        Carrier::Query(q) => at == ParamLocation::Query && q == name,
        Carrier::Path(p) => at == ParamLocation::Path && p == name,
        Carrier::Bearer | Carrier::Accept(_) => false,
    }
}

/// Puts a token where one carrier says, replacing what was there.
pub(crate) fn put(req: &mut Req, c: &Carrier, token: &str) {
    let drop =
        |req: &mut Req, name: &str| req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    match c {
        Carrier::Header(h) => {
            drop(req, h);
            req.headers.push((h.clone(), token.to_owned()));
        }
        Carrier::Bearer => {
            drop(req, "authorization");
            req.headers
                .push(("authorization".into(), format!("Bearer {token}")));
        }
        Carrier::Accept(p) => {
            drop(req, "accept");
            req.headers
                .push(("accept".into(), format!("*/*; {p}={token}")));
        }
        Carrier::Cookie(k) => {
            let pair = format!("{k}={token}");
            match req
                .headers
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case("cookie"))
            {
                Some((_, v)) => v.push_str(&format!("; {pair}")),
                None => req.headers.push(("cookie".into(), pair)),
            }
        }
        // A path carrier travels as the path value, which `values` already set; an operation
        // without that parameter cannot carry it.
        Carrier::Path(_) => {}
        Carrier::Query(q) => {
            let sep = if req.url.contains('?') { '&' } else { '?' };
            let pair: String = form_urlencoded::Serializer::new(String::new())
                .append_pair(q, token)
                .finish();
            req.url.push(sep);
            req.url.push_str(&pair);
        }
    }
}

/// Removes what the carriers would carry (header carriers; the others are not placed by
/// the documented request unless declared, and declared ones were left out).
fn strip_carriers(req: &mut Req, carriers: &[Carrier]) {
    for c in carriers {
        if let Carrier::Header(h) = c {
            req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(h));
        }
    }
}
