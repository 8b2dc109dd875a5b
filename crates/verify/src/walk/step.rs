//! One step of the walk: an operation sent with what answers gave, judged, learned from,
//! and checked by the resource checks. A step refused as not yet possible is tried again
//! after what may make it possible: its smallest valid body, a fresh e-mail address where
//! the one sent is taken, its session moved along; a deletion refused with 404 after what
//! made its item.

use cartwright_http::Answer;
use cartwright_model::{Action, Method, Operation};
use cartwright_outcome::Check;
use cartwright_scenario::ast::Scenario;
use serde_json::Value;

use crate::request::Req;
use crate::sessions::flow;
use crate::walk::{Walk, class_of, lifecycle, sent_body};
use crate::{checks, replay};

impl Walk<'_, '_> {
    /// Sends one operation as a step of the walk. A deletion refused with 404 is sent again
    /// after what made its item. Refused as not yet possible (400, 409, 422), it is sent again with a fresh e-mail address if its body has
    /// one, then once the actions that move its session along have been repeated (a
    /// checkout's `next` until its answer stops changing).
    pub(super) async fn step(&mut self, op: &Operation) {
        let refused = |s: Option<u16>| s.is_some_and(|s| matches!(s, 400 | 409 | 422));
        if self.login(op).await {
            return;
        }
        let status = self.attempt(op, false).await;
        if op.method == Method::Delete && status == Some(404) {
            self.remake(op).await;
            return;
        }
        if !refused(status) {
            return;
        }
        if self.resend_named(op).await && !refused(self.attempt(op, false).await) {
            return;
        }
        if self.minimal(op).await.is_some_and(|s| !refused(Some(s))) {
            return;
        }
        let fresh = self.has_email(op);
        if fresh && !refused(self.attempt(op, true).await) {
            return;
        }
        if self.advance(op).await {
            self.attempt(op, fresh).await;
        }
    }

    /// Sends `op` once (`fresh`: with a fresh e-mail address in place of every one in its
    /// body), learns from a success and runs the resource checks on it; the status, when
    /// there was an answer.
    async fn attempt(&mut self, op: &Operation, fresh: bool) -> Option<u16> {
        let (mut req, mut values) = self.request(op, &[]);
        let code = self.otp(op, &mut values).await;
        if fresh && let Some(body) = &mut values.body {
            let address = crate::sessions::fresh::email();
            let var = format!("email_{}", self.flow.steps.len());
            let marker = self.flow.var_slot(&var, &address);
            self.flow.vars.insert(
                var,
                Value::String(crate::sessions::fresh::EMAIL_TEMPLATE.into()),
            );
            crate::sessions::obtain::freshen(body, &marker);
        }
        if fresh || code {
            req = crate::walk::session::request(self.flow.probe, op, &self.held, values.clone());
        }
        let a = self
            .send(op, format!("stateful {}", op.signature()), &req)
            .await?;
        if flow::ok(a.status) {
            self.learn(op, &a, sent_body(&self.flow.fill(&req)));
            lifecycle::after(self, op, &values, &a).await;
        }
        Some(a.status)
    }

    /// A deletion refused with 404 lost its item to a later step: the steps that gave its
    /// values are sent again, then the deletion.
    async fn remake(&mut self, op: &Operation) {
        let api = self.flow.probe.api;
        let mut by: Vec<String> = self
            .used
            .iter()
            .map(|k| self.found[*k].by.clone())
            .collect();
        by.dedup();
        let makers: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|o| by.contains(&o.id) && o.id != op.id)
            .collect();
        if makers.is_empty() {
            return;
        }
        for m in makers {
            let (req, _) = self.request(m, &[]);
            let name = format!("stateful {}", m.signature());
            if let Some(a) = self.send(m, name, &req).await
                && flow::ok(a.status)
            {
                self.learn(m, &a, sent_body(&self.flow.fill(&req)));
            }
        }
        self.attempt(op, false).await;
    }

    /// Sends `op` with its smallest valid body (required properties only, with the optional
    /// ids answers can fill, then without), its ids filled from answers, until one succeeds;
    /// `None` when that is the body already sent.
    async fn minimal(&mut self, op: &Operation) -> Option<u16> {
        let probe = self.flow.probe;
        let bare = crate::request::minimal_body(probe.api, op, probe.opts.seed)?;
        let documented = crate::sessions::documented::values(probe, op).body;
        // The optional ids an answer can fill stay (a cart's `region_id`); a server that
        // refuses those gets the bare body next.
        let mut with_ids = bare.clone();
        if let (Some(Value::Object(d)), Value::Object(m)) = (&documented, &mut with_ids) {
            for (k, v) in d {
                let n = crate::walk::found::fold(k);
                let id = n.len() > 2 && n.ends_with("id");
                if id && !m.contains_key(k) && self.fills(op, serde_json::json!({ k: v })) {
                    m.insert(k.clone(), v.clone());
                }
            }
        }
        let mut bodies = vec![with_ids, bare];
        bodies.dedup();
        bodies.retain(|b| documented.as_ref() != Some(b));
        let mut status = None;
        for body in bodies {
            let (req, values) = self.request_with_body(op, body);
            let a = self
                .send(op, format!("stateful {}", op.signature()), &req)
                .await?;
            status = Some(a.status);
            if flow::ok(a.status) {
                self.learn(op, &a, sent_body(&self.flow.fill(&req)));
                lifecycle::after(self, op, &values, &a).await;
                break;
            }
        }
        status
    }

    /// Whether the body `op` sends names an e-mail address.
    fn has_email(&self, op: &Operation) -> bool {
        let values = crate::sessions::documented::values(self.flow.probe, op);
        values
            .body
            .is_some_and(|mut b| crate::sessions::obtain::freshen(&mut b, "x"))
    }

    /// Moves `op`'s sessions along again: each reached change of them without a path
    /// (adding to the cart, setting the address) is sent once more, then each that takes
    /// nothing (a checkout's `next`) while its answer changes, a few times at most; whether
    /// there was any.
    async fn advance(&mut self, op: &Operation) -> bool {
        let sessions = self.sessions(op);
        let api = self.flow.probe.api;
        // Only a session whose state the spec declares (`x-cartwright`) moves along; a
        // token alone is no state to advance.
        if api.behaviours.sessions.is_empty() {
            return false;
        }
        let mut movers: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|m| {
                m.id != op.id
                    && matches!(m.method, Method::Post | Method::Put | Method::Patch)
                    && crate::sessions::session::path_params(m) == 0
                    && class_of(m) == 0
                    && self.reached(m)
                    && !crate::sessions::session::actions(m)
                        .any(|a| matches!(a, Action::Issue { .. }))
                    && self.sessions(m).iter().any(|s| sessions.contains(s))
            })
            .collect();
        movers.sort_by_key(|m| m.body.is_none());
        for m in &movers {
            let mut last: Option<Value> = None;
            let times = if m.body.is_none() { 5 } else { 1 };
            for _ in 0..times {
                let (req, _) = self.request(m, &[]);
                let name = format!("stateful {}", m.signature());
                let Some(a) = self.send(m, name, &req).await else {
                    break;
                };
                if !flow::ok(a.status) || a.json == last {
                    break;
                }
                self.learn(m, &a, sent_body(&self.flow.fill(&req)));
                last = a.json;
            }
        }
        !movers.is_empty()
    }

    /// Sends `req` as a walk step judged by the response checks; a failure is kept as the
    /// scenario of the walk up to it.
    pub(super) async fn send(&mut self, op: &Operation, name: String, req: &Req) -> Option<Answer> {
        let selected = self.flow.probe.opts.checks.clone();
        let a = self
            .judged(name, req, |a| checks::run(op, a, selected.as_deref()))
            .await;
        if a.as_ref().is_some_and(|a| flow::ok(a.status)) {
            self.succeeded.insert(op.id.clone(), req.clone());
        }
        a
    }

    /// Sends `req` as a walk step judged by `judge`; a failure is kept as the scenario of
    /// the walk up to it.
    pub(super) async fn judged(
        &mut self,
        name: String,
        req: &Req,
        judge: impl FnOnce(&Answer) -> Vec<Check>,
    ) -> Option<Answer> {
        let answer = self.flow.send(name, req, judge).await;
        if let Some(a) = &answer {
            self.renew(req, a);
        }
        let failed: Vec<Check> = self
            .flow
            .report
            .last()
            .map(|s| s.failures().cloned().collect())
            .unwrap_or_default();
        self.keep(&failed);
        answer
    }

    /// Keeps the walk so far as a failure scenario when `failed` is not empty.
    fn keep(&mut self, failed: &[Check]) {
        if failed.is_empty() {
            return;
        }
        let refs: Vec<&Check> = failed.iter().collect();
        if let Some(last) = self.flow.steps.last_mut() {
            let mut asserts = replay::asserts(&refs);
            lifecycle::asserts(&refs, &mut asserts);
            last.assert = Some(asserts);
        }
        let to = self
            .flow
            .report
            .last()
            .map(|s| s.name.trim_start_matches("stateful ").to_owned())
            .unwrap_or_default();
        self.flow.probe.keep(Scenario {
            name: format!("stateful walk to {to}"),
            description: Some(
                "Found by cartwright verify's stateful phase: the walk up to the failing request."
                    .into(),
            ),
            tags: failed.iter().map(|c| c.name.clone()).collect(),
            vars: self.flow.vars.clone(),
            steps: self.flow.steps.clone(),
        });
    }
}
