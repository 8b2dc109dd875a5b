//! The walk's sessions: a token of every kind the API has, obtained first by the security
//! checks' means ([`crate::sessions::obtain`]: the issuing operation with fresh addresses, a
//! one-time code from the mock's outbox, a renewing kind's first read), and carried into
//! every operation that works on that kind where the kind says ([`crate::sessions::carry`]:
//! its security scheme, declared carrier parameters, else its first carrier). A renewing
//! session's new token is followed; a one-time code an operation checks is read from the
//! outbox for the address the session was obtained for.

use cartwright_http::Answer;
use cartwright_model::{Action, Operation, SchemeKind};
use serde_json::Value;

use crate::probe::Probe;
use crate::request::{Req, Values};
use crate::sessions::carry;
use crate::sessions::flow::Flow;
use crate::sessions::obtain;
use crate::sessions::session::{self, Kind};

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
    /// The issuing operation's id and the request that obtained it (what a login of the
    /// same person repeats).
    pub issued: Option<(String, Req)>,
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
            probe.session_obtained(&kind.name);
            held.push(Held {
                kind,
                marker: s.marker,
                email: s.principal.filter(|p| p.contains('@') && !p.contains('{')),
                label,
                issued: s.issued,
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

impl crate::walk::Walk<'_, '_> {
    /// Puts the one-time code `op` checks into its body: read from the mock's outbox for
    /// the address of the session it works on (the documented code elsewhere); whether it
    /// did.
    pub(super) async fn otp(
        &mut self,
        op: &Operation,
        values: &mut crate::request::Values,
    ) -> bool {
        use crate::sessions::{json, otp, session};
        let Some(code_path) = session::actions(op).find_map(|a| match a {
            Action::OtpVerify { code, .. } => crate::sessions::obtain::body_path(code.source()),
            _ => None,
        }) else {
            return false;
        };
        let Some((label, address)) = self
            .held
            .iter()
            .filter(|h| session::uses(op, &h.kind))
            .find_map(|h| Some((h.label.clone(), h.email.clone()?)))
        else {
            return false;
        };
        let Some(body) = &mut values.body else {
            return false;
        };
        let example = json::at(body, &code_path)
            .and_then(Value::as_str)
            .unwrap_or("000000")
            .to_owned();
        let to = self.flow.var_slot(&format!("email_{label}"), &address);
        let c = otp::Code {
            to_path: Vec::new(),
            code_path: code_path.clone(),
            to,
            var: format!("code_{label}_{}", self.flow.steps.len()),
            example: example.clone(),
        };
        self.flow
            .vars
            .insert(c.var.clone(), Value::String(example.clone()));
        let code = otp::read_code(&mut self.flow, &c).await.unwrap_or(example);
        let marker = self.flow.var_slot(&c.var, &code);
        json::set(body, &code_path, Value::String(marker))
    }

    /// Follows a renewing session (Centra): an answer that carries another token than the
    /// one sent hands the session on to it, and later steps carry the new one.
    pub(super) fn renew(&mut self, req: &Req, a: &Answer) {
        use crate::sessions::session;
        let api = self.flow.probe.api;
        let Some(op) = api.operations.iter().find(|o| {
            o.method == req.method && req.url.contains(o.path.split('{').next().unwrap_or(""))
        }) else {
            return;
        };
        for i in 0..self.held.len() {
            let h = &self.held[i];
            let carried = req.url.contains(&h.marker)
                || req.headers.iter().any(|(_, v)| v.contains(&h.marker));
            if !h.kind.renew || !carried {
                continue;
            }
            let Some((token, source)) = session::read(op, &h.kind, a) else {
                continue;
            };
            if self.flow.value(&h.marker) == Some(token.as_str()) {
                continue;
            }
            let var = format!("token_{}_{}", h.label, self.flow.steps.len());
            self.flow.capture(&var, source.capture());
            self.held[i].marker = self.flow.var_slot(&var, &token);
        }
    }
}
