//! The documented request values: a parameter's own `example` and a body's first media
//! example, where the schema accepts them, over the builder's values. The security checks
//! need requests that *succeed* (an item that exists, a product the store sells) so that a
//! change is made and a resource created; the spec's examples name such things, while a
//! schema alone only yields a placeholder `"string"`.

use cartwright_model::{Operation, Parameter};
use serde_json::Value;

use crate::probe::Probe;
use crate::request::{self, Values};

/// The documented values of `op`, the builder's where nothing is documented.
pub(crate) fn values(probe: &Probe<'_>, op: &Operation) -> Values {
    let mut v = request::defaults(probe.api, op, probe.opts.seed);
    for (i, value) in &mut v.params {
        if let Some(e) = op.parameters.get(*i).and_then(|p| example(probe, p)) {
            *value = e;
        }
    }
    let media = request::body_media(op);
    let documented = media.and_then(|m| {
        m.examples
            .iter()
            .map(|e| &e.value)
            .find(|e| m.schema.as_ref().is_none_or(|s| s.is_valid(e)))
    });
    if let (Some(body), Some(e)) = (&mut v.body, documented) {
        *body = e.clone();
    }
    v
}

/// A parameter's `example` (or first `examples` value), if its schema accepts it.
fn example(probe: &Probe<'_>, p: &Parameter) -> Option<Value> {
    let declared = probe.api.document.pointer(&p.pointer)?;
    let e = declared.get("example").cloned().or_else(|| {
        declared
            .get("examples")?
            .as_object()?
            .values()
            .find_map(|x| x.get("value").cloned())
    })?;
    p.schema
        .as_ref()
        .is_none_or(|s| s.is_valid(&e))
        .then_some(e)
}
