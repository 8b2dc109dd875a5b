//! For a kind that renews, the new session an expired token gets must not carry the old
//! one's state (seed 001: the expired token's request "will give you back a new value in the
//! token-property", a new session). Before the lifetime passes, a change is made on the
//! session (the first `POST`, `PUT` or `PATCH` bound to the kind whose documented request
//! changes what the read shows); the values it brought must not be in the renewed answer.

use cartwright_http::Answer;
use cartwright_model::{Method, Operation};
use cartwright_outcome::Check;
use cartwright_scenario::ast::{Asserts, Matcher, Ops};
use serde_json::Value;

use super::CHECK;
use crate::sessions::carry;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json::{self, Path};
use crate::sessions::session::{self, Kind};

/// What a change brought into the read: paths and values the read before it lacked.
pub(super) type Brought = Vec<(Path, Value)>;

/// Makes a change on the session and reads it; the values it brought (none when no bound
/// change shows in the read).
pub(super) async fn change(
    flow: &mut Flow<'_, '_>,
    reader: &Operation,
    kind: &Kind<'_>,
    marker: &str,
    before: &Answer,
) -> Brought {
    let probe = flow.probe;
    let changes = probe.api.operations.iter().filter(|op| {
        matches!(op.method, Method::Post | Method::Put | Method::Patch)
            && session::bound(op) == Some(kind.name.as_str())
            && !kind.issuers.iter().any(|i| i.id == op.id)
    });
    for op in changes.take(3) {
        let kept = flow.steps.len();
        let req = carry::carry(probe, op, kind, Some(marker));
        let done = flow.setup(format!("{} (change the session)", op.signature()), &req);
        if !done.await.is_some_and(|a| flow::ok(a.status)) {
            flow.steps.truncate(kept);
            continue;
        }
        let read = carry::carry(probe, reader, kind, Some(marker));
        let after = flow.setup(format!("{} after the change", reader.signature()), &read);
        let Some(after) = after.await.filter(|a| flow::ok(a.status)) else {
            flow.steps.truncate(kept);
            continue;
        };
        let brought = brought(reader, kind, before, &after);
        if !brought.is_empty() {
            return brought;
        }
    }
    Vec::new()
}

/// The leaves of `after` that `before` does not have, the token's own place left out.
fn brought(reader: &Operation, kind: &Kind<'_>, before: &Answer, after: &Answer) -> Brought {
    let token = session::read(reader, kind, after).and_then(|(_, s)| match s {
        session::Source::Body(p) => Some(p),
        session::Source::Header(_) => None,
    });
    let (Some(b), Some(a)) = (&before.json, &after.json) else {
        return Vec::new();
    };
    let old = json::leaves(b);
    json::leaves(a)
        .into_iter()
        .filter(|(p, v)| Some(p) != token.as_ref() && !old.iter().any(|(q, w)| q == p && w == v))
        .collect()
}

/// The brought values the renewed answer still holds at the same place.
pub(super) fn carried<'b>(brought: &'b Brought, renewed: &Answer) -> Vec<&'b (Path, Value)> {
    let Some(j) = &renewed.json else {
        return Vec::new();
    };
    brought
        .iter()
        .filter(|(p, v)| json::at(j, p) == Some(v))
        .collect()
}

/// The failure of a renewed session that carried the old state, if it did.
pub(super) fn judge(brought: &Brought, renewed: &Answer) -> Option<Check> {
    let held = carried(brought, renewed);
    (!held.is_empty()).then(|| {
        let shown: Vec<String> = held
            .iter()
            .take(3)
            .map(|(p, v)| format!("{} = {v}", json::jsonpath(p)))
            .collect();
        Check::fail(
            CHECK,
            "a new session, without the expired one's state",
            format!("the old state: {}", shown.join(", ")),
        )
    })
}

/// The replay's assertions that none of the brought values is there.
pub(super) fn assert_gone(asserts: &mut Asserts, brought: &Brought) {
    for (p, v) in brought.iter().take(5) {
        asserts.body.insert(
            json::jsonpath(p),
            Matcher::Ops(Box::new(Ops {
                ne: Some(v.clone()),
                ..Ops::default()
            })),
        );
    }
}
