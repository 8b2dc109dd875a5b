//! Logging in again as the person a session was obtained for. An operation whose JSON body
//! is a free-form object (the spec says only "pass the credentials") next to the operation
//! that issued a held session at its own path plus one segment (`/auth/{provider}` beside
//! `/auth/{provider}/register`) is sent what that issuing request sent: the same path
//! values and the same credentials. A token its answer carries replaces the session's: a
//! server that opens the account's own resources only to a login token (not to the
//! registration's) is then walked as the account.

use cartwright_model::{Method, Operation};

use crate::request::Req;
use crate::sessions::flow;
use crate::walk::{Walk, sent_body};

impl Walk<'_, '_> {
    /// The held sessions (by index) whose issuing request `op` repeats as a login, with
    /// that request turned to `op`; empty when `op` is no such login.
    pub(super) fn logins(&self, op: &Operation) -> Vec<(usize, Req)> {
        if !free_form(self.flow.probe.api, op) {
            return Vec::new();
        }
        let api = self.flow.probe.api;
        let mut out = Vec::new();
        for (i, h) in self.held.iter().enumerate() {
            let Some((id, issued)) = &h.issued else {
                continue;
            };
            let Some(issuer) = api.operations.iter().find(|o| o.id == *id) else {
                continue;
            };
            let Some(suffix) = suffix(op, issuer) else {
                continue;
            };
            let (path, query) = match issued.url.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (issued.url.as_str(), None),
            };
            let Some(base) = path.strip_suffix(&format!("/{suffix}")) else {
                continue;
            };
            let mut req = issued.clone();
            req.url = match query {
                Some(q) => format!("{base}?{q}"),
                None => base.to_owned(),
            };
            out.push((i, req));
        }
        out
    }

    /// Sends `op` as a login of every held session it repeats the issuing request of; a
    /// token an answer carries replaces that session's. Whether `op` is such a login.
    pub(super) async fn login(&mut self, op: &Operation) -> bool {
        let logins = self.logins(op);
        if logins.is_empty() {
            return false;
        }
        for (i, req) in logins {
            let Some(a) = self
                .send(op, format!("stateful {}", op.signature()), &req)
                .await
            else {
                continue;
            };
            if !flow::ok(a.status) {
                continue;
            }
            let h = &self.held[i];
            if let Some((token, source)) = crate::sessions::session::read(op, &h.kind, &a) {
                let var = format!("token_{}_{}", h.label, self.flow.steps.len());
                self.flow.capture(&var, source.capture());
                self.held[i].marker = self.flow.var_slot(&var, &token);
            }
            self.learn(op, &a, sent_body(&self.flow.fill(&req)));
        }
        true
    }
}

/// The literal segment `issuer`'s path adds to `op`'s (`register`), when it is `op`'s path
/// plus one such segment and the method is the same.
fn suffix<'o>(op: &Operation, issuer: &'o Operation) -> Option<&'o str> {
    if issuer.method != op.method || op.method == Method::Get {
        return None;
    }
    let rest = issuer.path.strip_prefix(op.path.trim_end_matches('/'))?;
    let segment = rest.strip_prefix('/')?;
    let plain = !segment.is_empty() && !segment.contains(['/', '{']);
    plain.then_some(segment)
}

/// Whether `op`'s JSON body schema is an object that declares nothing of its own: no
/// properties, no composition, no reference.
fn free_form(api: &cartwright_model::Api, op: &Operation) -> bool {
    let Some(media) = crate::request::body_media(op) else {
        return false;
    };
    if !media.media_type.contains("json") {
        return false;
    }
    let Some(schema) = &media.schema else {
        return false;
    };
    let Some(serde_json::Value::Object(node)) = api.document.pointer(&schema.pointer) else {
        return false;
    };
    let object = node.get("type").is_none_or(|t| t == "object");
    let declared = [
        "properties",
        "allOf",
        "oneOf",
        "anyOf",
        "$ref",
        "items",
        "patternProperties",
    ]
    .iter()
    .any(|k| node.contains_key(*k));
    object && !declared
}
