//! The other direction: session b makes the same change, and session a, which did nothing
//! since its last read, must read what it read then. A server can keep b out of a's state
//! and still show b's change to a (a read that takes every line of sessions made after the
//! reader's, a `>=` for an `==`); values of b's change (its new line's id) that turn up in
//! a's read are the leak.

use std::collections::HashSet;

use cartwright_http::Answer;
use cartwright_model::Operation;
use cartwright_outcome::Check;
use cartwright_scenario::ast::{Capture, Matcher, Ops};
use serde_json::Value;

use super::CHECK;
use crate::sessions::carry;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json::{self, Path};
use crate::sessions::session::Kind;

/// The change and the read of the plan, session a's last read, and session b's read
/// before its change.
pub(super) struct Plan<'x> {
    /// The change both sessions make.
    pub write: &'x Operation,
    /// The read of a session's state.
    pub read: &'x Operation,
    /// Session a's read after its own change, its last.
    pub a_last: &'x Answer,
    /// Session b's read after a's change, before its own.
    pub b_last: &'x Answer,
}

/// Session b changes its state; session a's read must not hold what b's change brought.
pub(super) async fn run(
    flow: &mut Flow<'_, '_>,
    kind: &Kind<'_>,
    plan: &Plan<'_>,
    a: &str,
    b: &str,
) {
    let probe = flow.probe;
    let (w, r) = (plan.write, plan.read);
    let change = carry::carry(probe, w, kind, Some(b));
    let made = flow
        .setup(format!("{} with session b", w.signature()), &change)
        .await;
    let at_made = flow.steps.len().saturating_sub(1);
    let b_after = flow
        .setup(
            format!("{} with session b after its change", r.signature()),
            &carry::carry(probe, r, kind, Some(b)),
        )
        .await;
    let (Some(made), Some(b_after)) = (made, b_after) else {
        return;
    };
    if !flow::ok(made.status) || !flow::ok(b_after.status) {
        return;
    }
    let brought = brought(plan.b_last, &[&made, &b_after]);
    let name = format!(
        "{} with session a after session b's {}",
        r.signature(),
        w.signature()
    );
    let read = carry::carry(probe, r, kind, Some(a));
    let got = flow
        .send(name, &read, |x| judge(&foreign(plan.a_last, x, &brought)))
        .await;
    let found = got
        .map(|x| foreign(plan.a_last, &x, &brought))
        .unwrap_or_default();
    // The replay captures each value from b's change and asserts a's read has it not there.
    let made_leaves = made.json.as_ref().map(json::leaves).unwrap_or_default();
    for (n, (path, v)) in found.iter().take(5).enumerate() {
        let Some((from, _)) = made_leaves.iter().find(|(_, m)| m == v) else {
            continue;
        };
        let var = format!("leak_a_{n}");
        if let Some(s) = flow.steps.get_mut(at_made) {
            s.capture
                .insert(var.clone(), Capture::Path(json::jsonpath(from)));
        }
        flow.assert(|x| {
            x.body.insert(
                json::jsonpath(path),
                Matcher::Ops(Box::new(Ops {
                    ne: Some(Value::String(format!("{{{{ {var} }}}}"))),
                    ..Ops::default()
                })),
            );
        });
    }
}

/// Values in b's answers after its change that b's read before it did not hold anywhere:
/// what b's change brought (a new line's id), as JSON text.
fn brought(before: &Answer, after: &[&Answer]) -> HashSet<String> {
    let old = texts(before);
    after
        .iter()
        .flat_map(|a| texts(a))
        .filter(|v| !old.contains(v))
        .collect()
}

/// The scalar values of an answer, as JSON text, without tokens and times.
fn texts(a: &Answer) -> HashSet<String> {
    a.json
        .as_ref()
        .map(json::leaves)
        .unwrap_or_default()
        .into_iter()
        .filter(|(p, v)| !super::leaks::private(p, v))
        .map(|(_, v)| v.to_string())
        .collect()
}

/// Leaves of a's new read at places its last read did not have (a new line, not a stock
/// level that b's purchase lowered), whose value b's change brought and a's last read held
/// nowhere.
fn foreign(last: &Answer, now: &Answer, brought: &HashSet<String>) -> Vec<(Path, Value)> {
    if !flow::ok(now.status) {
        return Vec::new();
    }
    let old = texts(last);
    let before: Vec<(Path, Value)> = last.json.as_ref().map(json::leaves).unwrap_or_default();
    now.json
        .as_ref()
        .map(json::leaves)
        .unwrap_or_default()
        .into_iter()
        .filter(|(p, v)| {
            let text = v.to_string();
            !super::leaks::private(p, v)
                && !before.iter().any(|(q, _)| q == p)
                && brought.contains(&text)
                && !old.contains(&text)
        })
        .collect()
}

fn judge(found: &[(Path, Value)]) -> Vec<Check> {
    if found.is_empty() {
        return vec![Check::pass(CHECK)];
    }
    let detail: Vec<String> = found
        .iter()
        .take(10)
        .map(|(p, v)| format!("{} = {v}", json::jsonpath(p)))
        .collect();
    vec![
        Check::fail(
            CHECK,
            "session a's state as it left it, without session b's change",
            format!("{} value(s) of session b's change", found.len()),
        )
        .with_detail(detail.join("\n")),
    ]
}
