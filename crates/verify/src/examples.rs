//! The examples phase: the documented valid request, judged by the response checks, and its
//! invalid variants ([`crate::negative`]), which must be refused without a server error.

use cartwright_model::Operation;
use cartwright_outcome::{Check, Step};

use crate::checks;
use crate::negative;
use crate::probe::Probe;

/// The steps of the examples phase for `op`.
pub async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let req = probe.request(op);
    let selected = probe.opts.checks.as_deref();
    let (step, _) = probe
        .single(format!("{} example", op.signature()), &req, |a| {
            checks::run(op, a, selected)
        })
        .await;
    let mut steps = vec![step];
    if probe.on("negative_data_rejection") {
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

/// `negative_data_rejection` (and `not_a_server_error`) for an answer to an invalid request.
pub fn refused(probe: &Probe<'_>, status: u16, what: &str) -> Vec<Check> {
    let mut out = vec![if (200..300).contains(&status) {
        Check::fail(
            "negative_data_rejection",
            format!("a refusal of a request with {what}"),
            status.to_string(),
        )
    } else {
        Check::pass("negative_data_rejection")
    }];
    if probe.on("not_a_server_error") {
        out.push(if status >= 500 {
            Check::fail(
                "not_a_server_error",
                "a status below 500",
                status.to_string(),
            )
        } else {
            Check::pass("not_a_server_error")
        });
    }
    out
}
