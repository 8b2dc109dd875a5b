//! A token nobody was given must not open session a's state: a server that falls back to
//! some session for an unknown token (the last one, the first one) shows a's change to
//! whoever guesses. Centra documents that an unknown or expired token gets a new session
//! (and a new token); a kind that refuses unknown tokens refuses it. Either way the read
//! holds nothing of a's change. A token in a token's format (a UUID) and a made-up one
//! are both tried.

use cartwright_http::Answer;
use cartwright_model::Operation;

use super::leaks::{self, judge, leaks};
use crate::sessions::carry;
use crate::sessions::flow::Flow;
use crate::sessions::fresh;
use crate::sessions::session::Kind;

/// Session a's reads before and after its change, another session's first read, and the
/// scenario step of a's read after the change.
pub(super) struct States<'x> {
    /// Session a's read before its change.
    pub before: &'x Answer,
    /// Session a's read after it.
    pub after: &'x Answer,
    /// Session b's read before a's change.
    pub other: &'x Answer,
    /// The scenario step of a's read after the change.
    pub at: usize,
}

/// The read with a fresh token nobody was given must not hold a's change.
pub(super) async fn run(
    flow: &mut Flow<'_, '_>,
    kind: &Kind<'_>,
    read: &Operation,
    s: &States<'_>,
) {
    // A UUID, as the replay draws its own with the same template.
    let marker = flow.slot(&fresh::uuid(), fresh::UUID_TEMPLATE);
    let req = carry::carry(flow.probe, read, kind, Some(&marker));
    let name = format!("{} with a token nobody was given", read.signature());
    let got = flow
        .send(name, &req, |x| judge(&leaks(s.before, s.after, s.other, x)))
        .await;
    let leaked = got
        .map(|x| leaks(s.before, s.after, s.other, &x))
        .unwrap_or_default();
    leaks::assert_absent(flow, s.at, "leak_unknown", &leaked);
    // Nor a value in no token's format: a server may look up only well-formed tokens and
    // fall back on anything else.
    let req = carry::carry(flow.probe, read, kind, Some(MADE_UP));
    let name = format!("{} with a made-up token", read.signature());
    let got = flow
        .send(name, &req, |x| judge(&leaks(s.before, s.after, s.other, x)))
        .await;
    let leaked = got
        .map(|x| leaks(s.before, s.after, s.other, &x))
        .unwrap_or_default();
    leaks::assert_absent(flow, s.at, "leak_made_up", &leaked);
}

/// A token in no format a server issues.
const MADE_UP: &str = "cartwright-made-up-token";
