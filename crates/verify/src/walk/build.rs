//! Building a walk request: the documented values (a path token from the held session,
//! carrier parameters left to the session), what answers gave filled in ([`super::fill`])
//! through slots of the flow so the replay captures them afresh, and the held sessions'
//! tokens carried ([`super::session`]).

use std::collections::HashMap;

use cartwright_model::{Operation, ParamLocation};
use serde_json::Value;

use crate::request::{Req, Values};
use crate::sessions::documented;
use crate::sessions::flow::Flow;
use crate::walk::found::{self, Found};
use crate::walk::{Walk, fill, session};

impl Walk<'_, '_> {
    /// The documented values, a path token taken from the held session; and the names of
    /// the parameters that carry a held session (not filled from answers).
    pub(super) fn documented(&self, op: &Operation) -> (Values, Vec<String>) {
        let mut values = documented::values(self.flow.probe, op);
        let mut skip = Vec::new();
        for (i, v) in values.params.iter_mut() {
            let Some(p) = op.parameters.get(*i) else {
                continue;
            };
            let carried = self.held.iter().any(|h| {
                h.kind.carriers.iter().any(|c| match c {
                    cartwright_model::Carrier::Header(n) => {
                        p.location == ParamLocation::Header && n.eq_ignore_ascii_case(&p.name)
                    }
                    cartwright_model::Carrier::Path(n) | cartwright_model::Carrier::Query(n) => {
                        *n == p.name
                    }
                    cartwright_model::Carrier::Cookie(n) => *n == p.name,
                    _ => false,
                })
            });
            let token =
                p.location == ParamLocation::Path && found::fold(&p.name).ends_with("token");
            if token && let Some(h) = self.held.first() {
                *v = Value::String(h.marker.clone());
            }
            if carried || token {
                skip.push(p.name.clone());
            }
        }
        (values, skip)
    }

    /// Whether answers can fill every id-like field of `body` for `op`.
    pub(super) fn fills(&self, op: &Operation, body: Value) -> bool {
        let sessions = self.sessions(op);
        let need = fill::Need {
            skip: &[],
            sessions: &sessions,
            examples: &[],
        };
        let values = Values {
            params: Vec::new(),
            body: Some(body),
        };
        let found = &self.found;
        fill::fill(op, values, found, &need, &mut |k| found[k].value.clone())
            .missing
            .is_empty()
    }

    /// As [`Walk::request`] with `body` in place of the documented one.
    pub(super) fn request_with_body(&mut self, op: &Operation, body: Value) -> (Req, Values) {
        self.build(op, &[], Some(body))
    }

    /// The request for `op` filled from what answers gave, `given` path values first (by
    /// parameter name), and the values it carries.
    pub(super) fn request(&mut self, op: &Operation, given: &[(String, Value)]) -> (Req, Values) {
        self.build(op, given, None)
    }

    fn build(
        &mut self,
        op: &Operation,
        given: &[(String, Value)],
        body: Option<Value>,
    ) -> (Req, Values) {
        let (mut values, mut skip) = self.documented(op);
        if body.is_some() {
            values.body = body;
        }
        for (i, v) in values.params.iter_mut() {
            let Some(p) = op.parameters.get(*i) else {
                continue;
            };
            if let Some((_, g)) = given.iter().find(|(n, _)| *n == p.name) {
                *v = g.clone();
                skip.push(p.name.clone());
            }
        }
        let sessions = self.sessions(op);
        let examples = examples(self.flow.probe.api, op);
        let need = fill::Need {
            skip: &skip,
            sessions: &sessions,
            examples: &examples,
        };
        let Walk {
            flow, found, slots, ..
        } = self;
        let mut marker = |k: usize| slot(flow, found, slots, k);
        let filled = fill::fill(op, values, found, &need, &mut marker);
        self.used = filled.used;
        let req = session::request(self.flow.probe, op, &self.held, filled.values.clone());
        (req, filled.values)
    }
}

/// The parameters of `op` (by index) the spec gives an example of.
pub(super) fn examples(api: &cartwright_model::Api, op: &Operation) -> Vec<usize> {
    op.parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            api.document
                .pointer(&p.pointer)
                .is_some_and(|d| d.get("example").is_some() || d.get("examples").is_some())
        })
        .map(|(i, _)| i)
        .collect()
}

/// The marker for found value `k`: a slot of the flow, its capture added to the step that
/// answered it. A value without a capture is sent as it is.
pub(super) fn slot(
    flow: &mut Flow<'_, '_>,
    found: &[Found],
    slots: &mut HashMap<usize, String>,
    k: usize,
) -> Value {
    let f = &found[k];
    if let Some(m) = slots.get(&k) {
        return Value::String(m.clone());
    }
    let Some(capture) = &f.capture else {
        return f.value.clone();
    };
    let near = f.context.first().map_or("v", String::as_str);
    let var = format!("{near}_{}_{k}", f.key);
    if let Some(s) = flow.steps.get_mut(f.step) {
        s.capture.insert(var.clone(), capture.clone());
    }
    let marker = flow.var_slot(&var, &fill::text(&f.value));
    slots.insert(k, marker.clone());
    Value::String(marker)
}
