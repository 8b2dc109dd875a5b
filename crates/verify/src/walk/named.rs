//! A refusal that names what is missing: "payment sessions are required", "no shipping
//! method selected". When the message names the resource of an operation the walk has
//! reached (the last literal segment of its path, `payment-sessions`), a later change
//! undid it (a shipping method added after the payment session resets it): that operation
//! is sent again, then the refused one.

use cartwright_model::{Method, Operation};

use crate::sessions::flow;
use crate::walk::found::{fold, singular};
use crate::walk::{Walk, class_of, sent_body};

impl<'a> Walk<'_, 'a> {
    /// The reached changes whose resource the refusal `message` names, `op` aside.
    fn named(&self, op: &Operation, message: &str) -> Vec<&'a Operation> {
        let said = fold(message);
        let api: &'a cartwright_model::Api = self.flow.probe.api;
        api.operations
            .iter()
            .filter(|m| {
                m.id != op.id
                    && matches!(m.method, Method::Post | Method::Put | Method::Patch)
                    && class_of(m) == 0
                    && self.reached(m)
                    && resource(m).is_some_and(|r| said.contains(&r))
            })
            .collect()
    }

    /// Sends again the reached changes the last refusal of `op` names; whether there were
    /// any.
    pub(super) async fn resend_named(&mut self, op: &Operation) -> bool {
        let message = self
            .flow
            .report
            .last()
            .and_then(|s| s.response_body.clone())
            .unwrap_or_default();
        let named = self.named(op, &message);
        if named.is_empty() {
            return false;
        }
        for m in named {
            // As it succeeded: the body a server accepted, the ids it was sent with.
            let Some(req) = self.succeeded.get(&m.id).cloned() else {
                continue;
            };
            let name = format!("stateful {}", m.signature());
            if let Some(a) = self.send(m, name, &req).await
                && flow::ok(a.status)
            {
                self.learn(m, &a, sent_body(&self.flow.fill(&req)));
            }
        }
        true
    }
}

/// The folded, singular name of what `op` makes: its path's last literal segment, when
/// long enough to be named on purpose (`paymentsession`).
fn resource(op: &Operation) -> Option<String> {
    let last = op
        .path
        .rsplit('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))?;
    let name = singular(&fold(last));
    (name.len() >= 6).then_some(name)
}
