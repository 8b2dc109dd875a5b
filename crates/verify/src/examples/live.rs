//! A live token for the documented request, where the operation's session travels in a
//! required header that no security scheme (and so no `--auth`) fills: WEBSALE's
//! `POST /session/prepareRedirect` needs the `x-session` that `POST /session/create`
//! answered, and its documented example names no session the target has.

use cartwright_model::{Carrier, Operation, ParamLocation};

use crate::probe::Probe;
use crate::sessions::flow::Flow;
use crate::sessions::obtain::obtain;
use crate::sessions::session;

/// The header and the live token for it, when `op` needs one and one was obtained.
pub(super) async fn token(probe: &Probe<'_>, op: &Operation) -> Option<(String, String)> {
    let bound = session::bound(op)?;
    let kinds = session::kinds(probe.api);
    let kind = kinds.iter().find(|k| {
        k.name == bound && k.scheme.is_none() && !k.issuers.iter().any(|i| i.id == op.id)
    })?;
    let header = kind.carriers.iter().find_map(|c| match c {
        Carrier::Header(h) => op
            .parameters
            .iter()
            .any(|p| {
                p.required && p.location == ParamLocation::Header && p.name.eq_ignore_ascii_case(h)
            })
            .then(|| h.clone()),
        _ => None,
    })?;
    let mut flow = Flow::new(probe);
    let session = obtain(&mut flow, kind, "a").await?;
    Some((header, session.token))
}
