//! The examples phase: the documented valid request, judged by the response checks, then
//! every request body example the spec declares (each named one on its own), then invalid
//! variants of the valid request ([`crate::negative`]), which must be refused without a
//! server error. Where the operation's session travels in a required header no `--auth`
//! fills (WEBSALE's `x-session`), a live token is obtained first ([`live`]) and carried by
//! all of them: the documented example token names no session the target has.

use cartwright_model::{Carrier, Operation};
use cartwright_outcome::{Check, Step};

use crate::checks;
use crate::negative;
use crate::probe::Probe;
use crate::request::{self, Values};
use crate::sessions::carry;

mod live;

/// The steps of the examples phase for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let live = live::token(probe, op).await;
    let carry = |mut req: crate::request::Req| {
        if let Some((header, token)) = &live {
            carry::put(&mut req, &Carrier::Header(header.clone()), token);
        }
        req
    };
    let req = carry(probe.request(op));
    let selected = probe.opts.checks.as_deref();
    let (step, _) = probe
        .single(format!("{} example", op.signature()), &req, |a| {
            checks::run(op, a, selected)
        })
        .await;
    let mut steps = vec![step];
    for (name, values) in declared(probe, op) {
        let req = carry(probe.assemble(op, &values));
        let (step, _) = probe
            .single(format!("{} example {name}", op.signature()), &req, |a| {
                checks::run(op, a, selected)
            })
            .await;
        steps.push(step);
    }
    if probe.on(checks::Check::NegativeDataRejection) {
        for (what, bad) in negative::variants(op, &req) {
            let (step, _) = probe
                .single(format!("{} {what}", op.signature()), &bad, |a| {
                    refused(probe, a.status, &what)
                })
                .await;
            steps.push(step);
        }
    }
    steps
}

/// The declared body examples, each in the otherwise documented request. The builder's
/// request already carries the first one it accepted, so one that equals it is not sent twice.
fn declared(probe: &Probe<'_>, op: &Operation) -> Vec<(String, Values)> {
    let base = request::defaults(probe.api, op, probe.opts.seed);
    let Some(media) = request::body_media(op) else {
        return Vec::new();
    };
    media
        .examples
        .iter()
        .filter(|e| base.body.as_ref() != Some(&e.value))
        .map(|e| {
            let mut v = base.clone();
            v.body = Some(e.value.clone());
            (e.name.clone(), v)
        })
        .collect()
}

/// `negative_data_rejection` (and `not_a_server_error`) for an answer to an invalid request.
pub(crate) fn refused(probe: &Probe<'_>, status: u16, what: &str) -> Vec<Check> {
    let name = checks::Check::NegativeDataRejection;
    let mut out = vec![if (200..300).contains(&status) {
        Check::fail(
            name,
            format!("a refusal of a request with {what}"),
            status.to_string(),
        )
    } else {
        Check::pass(name)
    }];
    if probe.on(checks::Check::NotAServerError) {
        out.push(checks::not_a_server_error(status));
    }
    out
}
