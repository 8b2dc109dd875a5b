//! Reads `x-cartwright-latency` and `x-cartwright-faults` (on the document or an operation)
//! into the model's [`Pace`]. A value that does not parse is an error at its JSON pointer,
//! so a typo in an overlay never turns into silently instant answers.
//!
//! ```yaml
//! x-cartwright-latency: uniform:100ms..300ms          # every answer
//! x-cartwright-latency:                                # only with --latency documented
//!   documented: lognormal:median=100ms,sigma=0.25
//!   source: what the API's documentation says
//! x-cartwright-faults: {chaos: 5%, dribble: 4/1s}
//! ```

use std::sync::Arc;

use cartwright_diag::Diagnostic;
use cartwright_model::{Latency, Pace, parse_dribble, parse_rate};
use cartwright_source::pointer::join;
use serde_json::Value;

const CODE: &str = "pace";
const LATENCY: &str = "x-cartwright-latency";
const FAULTS: &str = "x-cartwright-faults";

/// The document's own pacing, the base of every operation's.
pub(crate) fn root(doc: &Value) -> Result<Pace, Vec<Diagnostic>> {
    read(doc, "")
}

/// The operation's pacing over the document's; `None` when neither declares any.
pub(crate) fn operation(
    op: &Value,
    at: &str,
    base: &Pace,
) -> Result<Option<Arc<Pace>>, Vec<Diagnostic>> {
    let pace = read(op, at)?.over(base);
    Ok((!pace.is_empty()).then(|| Arc::new(pace)))
}

fn read(v: &Value, at: &str) -> Result<Pace, Vec<Diagnostic>> {
    let mut pace = Pace::default();
    let mut errors = Vec::new();
    let mut fail = |ptr: String, why: String| {
        errors.push(Diagnostic::error(CODE, why).with_pointer(ptr));
    };
    let latency = |text: &Value, ptr: &str| -> Result<Latency, (String, String)> {
        let text = match text {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err((ptr.to_owned(), format!("{LATENCY}: expected a text"))),
        };
        Latency::parse(&text).map_err(|e| (ptr.to_owned(), format!("{LATENCY}: {e}")))
    };
    match v.get(LATENCY) {
        None => {}
        Some(Value::Object(o)) => {
            let ptr = join(at, LATENCY);
            for (k, val) in o {
                let here = join(&ptr, k);
                match k.as_str() {
                    "documented" => match latency(val, &here) {
                        Ok(l) => pace.documented = Some(l),
                        Err((p, e)) => fail(p, e),
                    },
                    "source" => {}
                    other => fail(
                        here,
                        format!("{LATENCY}: unknown key `{other}` (documented, source)"),
                    ),
                }
            }
        }
        Some(text) => match latency(text, &join(at, LATENCY)) {
            Ok(l) => pace.latency = Some(l),
            Err((p, e)) => fail(p, e),
        },
    }
    match v.get(FAULTS) {
        None => {}
        Some(Value::Object(o)) => {
            let ptr = join(at, FAULTS);
            for (k, val) in o {
                let here = join(&ptr, k);
                let text = match val {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => {
                        fail(here, format!("{FAULTS}: `{k}` expects a text"));
                        continue;
                    }
                };
                match k.as_str() {
                    "chaos" => match parse_rate(&text) {
                        Ok(r) => pace.chaos = Some(r),
                        Err(e) => fail(here, format!("{FAULTS}: chaos {e}")),
                    },
                    "dribble" => match parse_dribble(&text) {
                        Ok(d) => pace.dribble = Some(d),
                        Err(e) => fail(here, format!("{FAULTS}: dribble {e}")),
                    },
                    other => fail(
                        here,
                        format!("{FAULTS}: unknown key `{other}` (chaos, dribble)"),
                    ),
                }
            }
        }
        Some(_) => fail(
            join(at, FAULTS),
            format!("{FAULTS}: expected an object such as {{chaos: 5%, dribble: 4/1s}}"),
        ),
    }
    if errors.is_empty() {
        Ok(pace)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operation_over_document() {
        let base = root(&json!({LATENCY: "fixed:50ms", FAULTS: {"chaos": "5%"}})).expect("root");
        let op = json!({LATENCY: {"documented": "uniform:0ms..250ms", "source": "docs"}});
        let pace = operation(&op, "/paths/~1a/get", &base)
            .expect("op")
            .expect("declared");
        assert_eq!(pace.chaos, Some(0.05));
        assert!(pace.latency.is_some() && pace.documented.is_some());
        assert!(
            operation(&json!({}), "/x", &Pace::default())
                .expect("nothing declared")
                .is_none()
        );
    }

    #[test]
    fn bad_values_point_at_themselves() {
        let errs = operation(
            &json!({LATENCY: "sometimes", FAULTS: {"chaos": "200%", "drop": "1"}}),
            "/paths/~1a/get",
            &Pace::default(),
        )
        .expect_err("bad values");
        let ptrs: Vec<_> = errs.iter().filter_map(|d| d.pointer.clone()).collect();
        assert_eq!(
            ptrs,
            [
                "/paths/~1a/get/x-cartwright-latency",
                "/paths/~1a/get/x-cartwright-faults/chaos",
                "/paths/~1a/get/x-cartwright-faults/drop"
            ]
        );
    }
}
