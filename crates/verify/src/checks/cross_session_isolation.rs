//! `cross_session_isolation`: what one session changes, another must not see. Two sessions
//! A and B of one kind are obtained (two people, where a login names one); B reads; A makes
//! a change and reads it; B reads again. Values that A's change brought into A's answer
//! (an item count, a line, a total) must not appear in B's, where B's first read did not
//! have them. When the change created something with an id that a `GET` takes as its path
//! parameter, B must not be able to read it ([`by_id`]); where a `DELETE` takes that id, B
//! must not be able to delete it from A's state ([`delete`]). And a token nobody was given
//! must not open A's state ([`unknown`]): Centra documents that an unknown or expired token
//! gets a new session, Vendo that an order token opens its own order only.
//!
//! The change is a `POST`, `PUT` or `PATCH` on the session whose binding appends to or sets
//! its state (by convention, one requiring the kind's scheme whose path extends the read's);
//! the read is a `GET` on the same session without path parameters, the one whose path the
//! change's extends first (`/cart` for `/cart/items`). Every such change is probed, each in
//! its own case.
//!
//! Then the other way round ([`reverse`]): b makes the same change, and a's read must not
//! hold it. And where a's next step makes something named by id (the order of its
//! basket), b must not act on it (pay it) ([`follow`]).

use cartwright_model::{Action, Api, Method, Operation};
use cartwright_outcome::Step;

use crate::checks::Check as Name;
use crate::probe::Probe;
use crate::sessions::carry;
use crate::sessions::flow::{self, Flow};
use crate::sessions::obtain::obtain;
use crate::sessions::session::{self, Kind};

mod by_id;
mod delete;
mod follow;
mod leaks;
mod reverse;
mod unknown;

use leaks::{judge, leaks};

const CHECK: Name = Name::CrossSessionIsolation;

struct Plan<'a> {
    kind: usize,
    write: &'a Operation,
    read: &'a Operation,
}

/// Why the API has nothing for the check to probe, if it has not.
pub(crate) fn nothing(api: &Api, kinds: &[Kind<'_>]) -> Option<&'static str> {
    plans(api, kinds)
        .is_empty()
        .then_some("no change on a session has a read that shows it")
}

/// Every change on a session with the read that shows it, one plan per change (the first
/// kind that has it).
fn plans<'a>(api: &'a Api, kinds: &[Kind<'_>]) -> Vec<Plan<'a>> {
    let mut out: Vec<Plan<'a>> = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let issuer = |op: &Operation| kind.issuers.iter().any(|x| x.id == op.id);
        let reads: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|op| {
                op.method == Method::Get
                    && session::path_params(op) == 0
                    && session::uses(op, kind)
                    && !issuer(op)
            })
            .collect();
        let under = |w: &Operation, r: &Operation| {
            w.path == r.path
                || w.path
                    .starts_with(&format!("{}/", r.path.trim_end_matches('/')))
        };
        let rank = |op: &Operation| {
            let acts: Vec<&Action> = session::actions(op).collect();
            if acts
                .iter()
                .any(|a| matches!(a, Action::Revoke { .. } | Action::End))
            {
                None
            } else if acts.iter().any(|a| matches!(a, Action::Append { .. })) {
                Some(0)
            } else if acts.iter().any(|a| matches!(a, Action::Set(_))) {
                Some(1)
            } else if op.behaviour.is_none() && reads.iter().any(|r| under(op, r)) {
                Some(2)
            } else {
                None
            }
        };
        let mut writes: Vec<(u8, &Operation)> = api
            .operations
            .iter()
            .filter(|op| {
                matches!(op.method, Method::Post | Method::Put | Method::Patch)
                    && session::uses(op, kind)
                    && !issuer(op)
            })
            .filter_map(|op| rank(op).map(|r| (r, op)))
            .collect();
        writes.sort_by_key(|(r, _)| *r);
        for (_, w) in writes {
            let read = reads
                .iter()
                .find(|r| under(w, r))
                .or_else(|| reads.first().filter(|_| w.behaviour.is_some()));
            if let Some(read) = read
                && !out.iter().any(|p| p.write.id == w.id)
            {
                out.push(Plan {
                    kind: i,
                    write: w,
                    read,
                });
            }
        }
    }
    out
}

/// The `cross_session_isolation` steps, in the case of each planned change.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation, kinds: &[Kind<'_>]) -> Vec<Step> {
    let Some(plan) = plans(probe.api, kinds)
        .into_iter()
        .find(|p| p.write.id == op.id)
    else {
        return Vec::new();
    };
    let Some(kind) = kinds.get(plan.kind).filter(|_| probe.on(CHECK)) else {
        return Vec::new();
    };
    let (w, r) = (plan.write, plan.read);
    let name = format!(
        "{} with session b after session a's {}",
        r.signature(),
        w.signature()
    );
    let mut flow = Flow::new(probe);
    let (Some(a), Some(b)) = (
        obtain(&mut flow, kind, "a").await,
        obtain(&mut flow, kind, "b").await,
    ) else {
        flow.skip(
            name,
            format!("two {} sessions could not be obtained", kind.name),
        );
        return flow.report;
    };
    if a.principal.is_some() && a.principal == b.principal {
        flow.skip(name, "both sessions belong to the same person");
        return flow.report;
    }
    let read = |m: &str| carry::carry(probe, r, kind, Some(m));
    let b0 = flow
        .setup(
            format!("{} with session b", r.signature()),
            &read(&b.marker),
        )
        .await;
    let a0 = flow
        .setup(
            format!("{} with session a", r.signature()),
            &read(&a.marker),
        )
        .await;
    let change = carry::carry(probe, w, kind, Some(&a.marker));
    let made = flow
        .setup(format!("{} with session a", w.signature()), &change)
        .await;
    let at_write = flow.steps.len().saturating_sub(1);
    let a1 = flow
        .setup(
            format!("{} with session a after its change", r.signature()),
            &read(&a.marker),
        )
        .await;
    let at_a1 = flow.steps.len().saturating_sub(1);
    let (Some(b0), Some(a0), Some(made), Some(a1)) = (b0, a0, made, a1) else {
        flow.skip(name, "the target did not answer");
        return flow.report;
    };
    if ![&b0, &a0, &made, &a1].iter().all(|x| flow::ok(x.status)) {
        flow.skip(name, "a read or the change did not succeed");
        return flow.report;
    }
    let b1 = flow
        .send(name.clone(), &read(&b.marker), |x| {
            judge(&leaks(&a0, &a1, &b0, x))
        })
        .await;
    let leaked = b1
        .as_ref()
        .map(|x| leaks(&a0, &a1, &b0, x))
        .unwrap_or_default();
    leaks::assert_absent(&mut flow, at_a1, "leak_b", &leaked);
    let states = unknown::States {
        before: &a0,
        after: &a1,
        other: &b0,
        at: at_a1,
    };
    unknown::run(&mut flow, kind, r, &states).await;
    let change = by_id::Change {
        request: &change,
        answer: &made,
        before: &a0,
        step: at_write,
    };
    by_id::run(&mut flow, kind, &change, &a.marker, &b.marker).await;
    let sessions = delete::Sessions {
        a: &a.marker,
        b: &b.marker,
        read: r,
        at: at_a1,
    };
    delete::run(&mut flow, kind, &change, &states, &sessions).await;
    // After the probes that compare a's state with its read after its own change, which b's
    // change must leave as it was, but a buggy server may not.
    if let Some(b1) = b1.as_ref().filter(|x| flow::ok(x.status)) {
        let back = reverse::Plan {
            write: w,
            read: r,
            a_last: &a1,
            b_last: b1,
        };
        reverse::run(&mut flow, kind, &back, &a.marker, &b.marker).await;
    }
    follow::run(&mut flow, kind, w, &a.marker, &b.marker).await;
    flow.keep_if_failed(&name, CHECK);
    flow.report
}
