//! What every answer gets on its way out: the correlation header, CORS headers, its line
//! in the request log and its entry in the journal.

use std::time::Instant;

use crate::journal::{Entry, method_name};
use crate::note::{Note, Shown};
use crate::{Incoming, Mock, Outgoing, admin, cors, mask};

impl Mock {
    /// Finishes `out`, the answer to `req` that began at `start`, and records it. The
    /// request is spent here: its path goes to the journal when shown as sent, and its
    /// header map to the next answer.
    pub(crate) fn finish(
        &self,
        mut req: Incoming,
        mut out: Outgoing,
        note: Note,
        start: Instant,
    ) -> Outgoing {
        let config = self.config();
        // A forwarded answer goes back as the real server sent it.
        let forwarded = note.proxy.as_ref().is_some_and(|p| p.forwarded);
        if let Some(name) = &self.correlation
            && !forwarded
        {
            match req.header_value(name) {
                Some(id) => {
                    out.headers.insert(name.clone(), id.clone());
                }
                // Without one in the request, a declared correlation header would carry the
                // spec's example, the same on every answer; a fresh ID per request is what
                // a gateway mints, and never looks like an echo of someone else's ID.
                None if out.has(name) => {
                    let id: String = cartwright_model::random(16)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    if let Ok(v) = http::HeaderValue::from_str(&id) {
                        out.headers.insert(name.clone(), v);
                    }
                }
                None => {}
            }
        }
        let origin = match note.has_origin {
            Some(false) => None,
            _ => req.header(http::header::ORIGIN),
        };
        cors::decorate(config, &req, origin, &mut out);
        if admin::is_admin(&req.path) {
            return out;
        }
        let took = start.elapsed();
        let path = match note.shown {
            Shown::Masked(masked) => masked,
            Shown::Raw => std::mem::take(&mut req.path),
            Shown::Unrouted => mask::shown(&req, None),
        };
        if config.log_requests {
            // A raw path holds no `?`: one is there only when a query was appended.
            let shown_path = match req.query {
                Some(_) => path.split('?').next().unwrap_or_default(),
                None => path.as_str(),
            };
            let operation = note.operation.as_deref().unwrap_or("-");
            config.request_log.request(
                &[req.method.as_str(), shown_path, operation],
                out.status.as_u16(),
                took,
            );
        }
        if config.journal_size > 0 && crate::unmatched::unmatched(note.validation) {
            let routed = note.operation.clone();
            self.unmatched.keep(
                &req,
                &self.apis(),
                &path,
                routed,
                note.validation,
                out.status,
            );
        }
        self.journal().push(Entry {
            at_ms: self.journal().at_ms(start),
            method: method_name(&req.method),
            path,
            operation: note.operation,
            resource: note.resource,
            stub: note.stub,
            validation: note.validation,
            violations: note.violations,
            status: out.status.as_u16(),
            micros: took.as_micros(),
            delay_ms: out
                .delivery
                .delay
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            fault: out.delivery.fault.map(crate::Fault::as_str),
            chaos: note.chaos,
            proxy: note.proxy,
        });
        req.recycle();
        out
    }
}
