//! Session b must not delete what session a owns: when a's change created something that a
//! `DELETE` on the session takes by id, b sends that `DELETE` with a's id, and a's read
//! must still hold what its change brought. The answer to b's `DELETE` is not judged (a
//! 204 for a line b does not have is a fine idempotent answer); what it did is.

use cartwright_model::{Method, Operation};
use cartwright_outcome::Check;
use cartwright_scenario::ast::{Capture, Matcher};
use serde_json::Value;

use super::CHECK;
use super::by_id::{self, Change};
use super::leaks;
use super::unknown::States;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json::{self, Path};
use crate::sessions::session::Kind;
use crate::sessions::{carry, documented};

/// The two sessions' token markers, the read that shows a's state, and its scenario step
/// after a's change.
pub(super) struct Sessions<'x> {
    /// Session a's token marker.
    pub a: &'x str,
    /// Session b's token marker.
    pub b: &'x str,
    /// The read of a session's state.
    pub read: &'x Operation,
    /// The scenario step of a's read after its change.
    pub at: usize,
}

/// Session b deletes a's new thing by id; a's read must keep what a's change brought.
pub(super) async fn run(
    flow: &mut Flow<'_, '_>,
    kind: &Kind<'_>,
    change: &Change<'_>,
    states: &States<'_>,
    who: &Sessions<'_>,
) {
    let probe = flow.probe;
    let Some((op, i, path, id)) = by_id::target(flow, kind, change, Method::Delete) else {
        return;
    };
    let brought = brought(states);
    if brought.is_empty() {
        return;
    }
    let marker = flow.var_slot("own_id", &id);
    if let Some(s) = flow.steps.get_mut(change.step) {
        s.capture
            .insert("own_id".into(), Capture::Path(json::jsonpath(&path)));
    }
    let mut values = documented::values(probe, op);
    values.params.retain(|(j, _)| *j != i);
    values.params.push((i, Value::String(marker)));
    let as_b = carry::carry_with(probe, op, kind, Some(who.b), values);
    let name = format!("{} with session b, by session a's id", op.signature());
    flow.setup(name, &as_b).await;
    let read = carry::carry(probe, who.read, kind, Some(who.a));
    let name = format!(
        "{} with session a after session b's {}",
        who.read.signature(),
        op.signature()
    );
    let got = flow
        .send(name, &read, |x| vec![judge(&lost(&brought, x))])
        .await;
    if got.is_some_and(|x| !lost(&brought, &x).is_empty()) {
        // The replay asserts a's read still has each value, captured after a's change.
        let kept: Vec<(Path, Value)> = brought.iter().take(5).cloned().collect();
        for (n, (path, _)) in kept.iter().enumerate() {
            let var = format!("kept_{n}");
            let jp = json::jsonpath(path);
            if let Some(s) = flow.steps.get_mut(who.at) {
                s.capture.insert(var.clone(), Capture::Path(jp.clone()));
            }
            flow.assert(|x| {
                x.body.insert(
                    jp,
                    Matcher::Equals(Value::String(format!("{{{{ {var} }}}}"))),
                );
            });
        }
    }
}

/// What a's change brought into a's read: values after it that were not there before.
fn brought(s: &States<'_>) -> Vec<(Path, Value)> {
    leaks::leaks(s.before, s.after, s.before, s.after)
}

/// The values a's change brought that a's read no longer holds at the same place.
fn lost(brought: &[(Path, Value)], a: &cartwright_http::Answer) -> Vec<(Path, Value)> {
    if !flow::ok(a.status) {
        return brought.to_vec();
    }
    let now = a.json.as_ref().map(json::leaves).unwrap_or_default();
    brought
        .iter()
        .filter(|x| !now.contains(x))
        .cloned()
        .collect()
}

fn judge(lost: &[(Path, Value)]) -> Check {
    if lost.is_empty() {
        return Check::pass(CHECK);
    }
    let detail: Vec<String> = lost
        .iter()
        .take(10)
        .map(|(p, v)| format!("{} = {v}", json::jsonpath(p)))
        .collect();
    Check::fail(
        CHECK,
        "session a's state as its change left it",
        format!("{} value(s) of session a's change gone", lost.len()),
    )
    .with_detail(detail.join("\n"))
}
