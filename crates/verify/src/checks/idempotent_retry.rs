//! `idempotent_retry`: a retried creation must create one thing. Where an operation takes a
//! client reference — an `Idempotency-Key` header parameter, the binding's `idempotent`
//! expression, or a body property named like `clientReference` or `idempotency_key` — the
//! documented request is sent twice with one fresh reference. When both answers succeed,
//! what identifies the created thing (`id`, `orderId`, `order_id`, `number`, `reference`, at
//! the top of the body or one level down, and `Location`) must be the same; a 409 for the
//! retry is fine too.

use cartwright_http::Answer;
use cartwright_model::{Api, Operation, ParamLocation};
use cartwright_outcome::{Check, Step};
use cartwright_scenario::ast::{Capture, Matcher};
use serde_json::Value;

use crate::checks::Check as Name;
use crate::probe::Probe;
use crate::request::{self, Values};
use crate::sessions::carry;
use crate::sessions::documented;
use crate::sessions::flow::{self, Flow};
use crate::sessions::fresh;
use crate::sessions::json::{self, Path};
use crate::sessions::obtain::{body_path, obtain};
use crate::sessions::session::{self, Kind};

const CHECK: Name = Name::IdempotentRetry;

/// Where an operation takes its client reference.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    /// A header parameter (its index).
    Header(usize),
    /// A body property.
    Body(Path),
}

/// Why the API has nothing for the check to probe, if it has not.
pub(crate) fn nothing(api: &Api) -> Option<&'static str> {
    (!api.operations.iter().any(|op| !keys(api, op).is_empty()))
        .then_some("no operation takes a client reference or idempotency key")
}

fn keys(api: &Api, op: &Operation) -> Vec<Key> {
    let mut out: Vec<Key> = op
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.location == ParamLocation::Header
                && p.name.to_ascii_lowercase().contains("idempotency-key")
        })
        .map(|(i, _)| Key::Header(i))
        .collect();
    if let Some(path) = op
        .behaviour
        .as_deref()
        .and_then(|b| b.idempotent.as_ref())
        .and_then(|e| body_path(e.source()))
    {
        out.push(Key::Body(path));
    }
    let schema = request::body_media(op)
        .and_then(|m| m.schema.as_ref())
        .and_then(|s| json::schema_json(api, s));
    for (k, s) in schema.map(|s| json::properties(api, s)).unwrap_or_default() {
        if referential(k) {
            out.push(Key::Body(vec![k.to_owned()]));
        }
        for (inner, _) in json::properties(api, s) {
            if referential(inner) {
                out.push(Key::Body(vec![k.to_owned(), inner.to_owned()]));
            }
        }
    }
    out.dedup();
    out
}

fn referential(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(n.as_str(), "clientreference" | "idempotencykey")
}

/// The `idempotent_retry` steps for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation, kinds: &[Kind<'_>]) -> Vec<Step> {
    let keys = keys(probe.api, op);
    if !probe.on(CHECK) || keys.is_empty() {
        return Vec::new();
    }
    let sig = op.signature();
    let name = format!("{sig} retried with the same reference");
    let mut flow = Flow::new(probe);
    // An operation on a session is sent with one, so the retry reaches what it guards.
    let kind = kinds.iter().find(|k| session::uses(op, k));
    let token = match kind {
        Some(k) => match obtain(&mut flow, k, "a").await {
            Some(s) => Some(s.marker),
            None => {
                flow.skip(name, format!("no {} token could be obtained", k.name));
                return flow.report;
            }
        },
        None => None,
    };
    let reference = flow.var_slot("reference", &fresh::uuid());
    flow.vars.insert(
        "reference".into(),
        Value::String(fresh::UUID_TEMPLATE.into()),
    );
    let mut values = documented::values(probe, op);
    let mut own: Vec<String> = Vec::new();
    for key in &keys {
        match key {
            Key::Header(i) => {
                values.params.retain(|(j, _)| j != i);
                values.params.push((*i, Value::String(reference.clone())));
            }
            Key::Body(path) => {
                let body = values
                    .body
                    .get_or_insert(Value::Object(serde_json::Map::new()));
                json::set(body, path, Value::String(reference.clone()));
                own.extend(path.last().cloned());
            }
        }
    }
    let req = match (kind, &token) {
        (Some(k), Some(t)) => carry::carry_with(probe, op, k, Some(t), values),
        _ => probe.assemble(op, &Values { ..values }),
    };
    let first = flow.setup(format!("{sig} (first request)"), &req).await;
    let at_first = flow.steps.len().saturating_sub(1);
    let second = flow
        .send(name.clone(), &req, |a| judge(first.as_ref(), a, &own))
        .await;
    if let (Some(f), Some(s)) = (&first, &second) {
        for (n, path) in differing(f, s, &own).into_iter().enumerate() {
            let var = format!("first_{n}");
            let jp = json::jsonpath(&path);
            if let Some(step) = flow.steps.get_mut(at_first) {
                step.capture.insert(var.clone(), Capture::Path(jp.clone()));
            }
            flow.assert(|a| {
                a.body.insert(
                    jp,
                    Matcher::Equals(Value::String(format!("{{{{ {var} }}}}"))),
                );
            });
        }
    }
    flow.keep_if_failed(&name, CHECK);
    flow.report
}

fn judge(first: Option<&Answer>, second: &Answer, own: &[String]) -> Vec<Check> {
    let Some(first) = first else {
        return vec![Check::pass(CHECK)];
    };
    let diff = differing(first, second, own);
    let moved = flow::ok(first.status)
        && flow::ok(second.status)
        && first.header("location") != second.header("location");
    if diff.is_empty() && !moved {
        return vec![Check::pass(CHECK)];
    }
    let at = |a: &Answer, p: &Path| {
        a.json
            .as_ref()
            .and_then(|j| json::at(j, p))
            .map_or_else(|| "none".to_owned(), Value::to_string)
    };
    let mut detail: Vec<String> = diff
        .iter()
        .map(|p| {
            format!(
                "{}: {} then {}",
                json::jsonpath(p),
                at(first, p),
                at(second, p)
            )
        })
        .collect();
    if moved {
        detail.push(format!(
            "Location: {} then {}",
            first.header("location").unwrap_or("none"),
            second.header("location").unwrap_or("none")
        ));
    }
    vec![
        Check::fail(
            CHECK,
            "the same created thing (or 409) for a retry with the same reference",
            "a second, different one",
        )
        .with_detail(detail.join("\n")),
    ]
}

/// The identifying fields whose values differ between two successful answers.
fn differing(first: &Answer, second: &Answer, own: &[String]) -> Vec<Path> {
    if !(flow::ok(first.status) && flow::ok(second.status)) {
        return Vec::new();
    }
    let (Some(a), Some(b)) = (&first.json, &second.json) else {
        return Vec::new();
    };
    identifying(a, own)
        .into_iter()
        .filter(|p| json::at(a, p) != json::at(b, p))
        .collect()
}

/// Paths of the identifying scalars at the top of a body or one object down, leaving out
/// the reference the client chose itself.
fn identifying(v: &Value, own: &[String]) -> Vec<Path> {
    let mut out = Vec::new();
    let Value::Object(top) = v else {
        return out;
    };
    let pick = |k: &str, x: &Value| {
        (x.is_string() || x.is_number()) && names_a_thing(k) && !own.iter().any(|o| o == k)
    };
    for (k, x) in top {
        if pick(k, x) {
            out.push(vec![k.clone()]);
        }
        if let Value::Object(inner) = x {
            for (ik, ix) in inner {
                if pick(ik, ix) {
                    out.push(vec![k.clone(), ik.clone()]);
                }
            }
        }
    }
    out
}

/// `id`, `orderId`, `order_id`, `number`, `orderNumber`, `reference`, `paymentReference`.
fn names_a_thing(k: &str) -> bool {
    let lower = k.to_ascii_lowercase();
    ["id", "number", "reference"].iter().any(|w| {
        lower == *w || lower.ends_with(&format!("_{w}")) || {
            let cap = format!("{}{}", w[..1].to_ascii_uppercase(), &w[1..]);
            k.ends_with(&cap)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identifying_fields_are_found_at_the_top_and_one_level_down() {
        let v =
            json!({"orderId": "O-1", "total": 3, "data": {"id": 7, "name": "x"}, "reference": "r"});
        let own = vec!["reference".to_owned()];
        assert_eq!(
            identifying(&v, &own),
            vec![vec!["orderId".to_owned()], vec!["data".into(), "id".into()]]
        );
        assert!(names_a_thing("order_number"));
        assert!(!names_a_thing("paid"));
        assert!(referential("client_reference"));
        assert!(referential("Idempotency-Key"));
    }
}
