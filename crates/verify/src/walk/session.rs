//! The walk's sessions: a token of every kind the API has, obtained first by the security
//! checks' means ([`crate::security::obtain`]: the issuing operation with fresh addresses, a
//! one-time code from the mock's outbox, a renewing kind's first read), and carried into
//! every operation that works on that kind where the kind says ([`crate::security::carry`]:
//! its security scheme, declared carrier parameters, else its first carrier).

use cartwright_model::{Operation, SchemeKind};

use crate::probe::Probe;
use crate::request::{Req, Values};
use crate::security::carry;
use crate::security::flow::Flow;
use crate::security::obtain;
use crate::security::session::{self, Kind};

/// A session the walk holds: its kind and the marker that stands for its token.
pub(crate) struct Held<'a> {
    /// The kind.
    pub kind: Kind<'a>,
    /// The marker of its token in requests (the scenario variable in the replay).
    pub marker: String,
    /// The e-mail address it was obtained for, when a fresh one was (where its one-time
    /// codes go).
    pub email: Option<String>,
    /// The label of its variables (`email_{label}`).
    pub label: String,
}

/// Obtains a token of every kind; the kinds that cannot be obtained are left out.
pub(crate) async fn open<'a>(flow: &mut Flow<'_, 'a>) -> Vec<Held<'a>> {
    let mut held = Vec::new();
    let probe = flow.probe;
    // A scheme the user gave a credential for (`--auth`) is theirs, not a session to open.
    let given = |k: &Kind<'_>| {
        k.scheme
            .as_deref()
            .is_some_and(|s| probe.creds.has(probe.api, s))
    };
    for kind in session::kinds(probe.api).into_iter().filter(|k| !given(k)) {
        let label = crate::walk::found::fold(&kind.name);
        let kept = flow.report.len();
        let got = obtain::obtain(flow, &kind, &label).await;
        for step in &mut flow.report[kept..] {
            step.name = format!("stateful {}", step.name);
        }
        if let Some(s) = got {
            held.push(Held {
                kind,
                marker: s.marker,
                email: s.principal.filter(|p| p.contains('@') && !p.contains('{')),
                label,
            });
        }
    }
    held
}

/// The request for `op` with `values`, carrying the token of every held kind it works on.
/// A kind placed through a cookie scheme comes after one placed through a header: a spec
/// that accepts both is sent what an API client sends.
pub(crate) fn request(probe: &Probe<'_>, op: &Operation, held: &[Held<'_>], values: Values) -> Req {
    let mut using: Vec<&Held<'_>> = held.iter().filter(|h| session::uses(op, &h.kind)).collect();
    using.sort_by_key(|h| cookie(probe, &h.kind));
    let Some((first, rest)) = using.split_first() else {
        return probe.assemble(op, &values);
    };
    let mut req = carry::carry_with(probe, op, &first.kind, Some(&first.marker), values);
    for h in rest {
        let carried =
            req.url.contains(&h.marker) || req.headers.iter().any(|(_, v)| v.contains(&h.marker));
        if let (false, Some(c)) = (carried, h.kind.carriers.first()) {
            carry::put(&mut req, c, &h.marker);
        }
    }
    req
}

fn cookie(probe: &Probe<'_>, kind: &Kind<'_>) -> bool {
    kind.scheme.as_deref().is_some_and(|s| {
        probe
            .api
            .security_schemes
            .iter()
            .any(|(n, x)| n == s && matches!(x.kind, SchemeKind::ApiKeyCookie(_)))
    })
}
