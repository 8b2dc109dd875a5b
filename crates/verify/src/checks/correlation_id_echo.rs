//! `correlation_id_echo`: where a response of the operation declares a correlation header
//! (a name containing `correlation` or `request-id`), the documented request sent with that
//! header set to a fresh value must get the same value back — on whatever status it gets,
//! since tracing a refusal is when the ID is needed most.

use cartwright_model::Operation;
use cartwright_outcome::{Check, Step};
use cartwright_scenario::ast::{self, Asserts, Matcher, Scenario};
use indexmap::IndexMap;
use serde_json::Value;

use crate::checks::Check as Name;
use crate::probe::Probe;
use crate::replay;

const CHECK: Name = Name::CorrelationIdEcho;

/// Why the API has nothing for the check to probe, if it has not.
pub(crate) fn nothing(api: &cartwright_model::Api) -> Option<&'static str> {
    (!api.operations.iter().any(|op| declared(op).is_some()))
        .then_some("no response declares a correlation or request-id header")
}

/// The correlation header a response of `op` declares: a name containing `correlation` or
/// `request-id`.
fn declared(op: &Operation) -> Option<String> {
    let h = op.responses.iter().flat_map(|r| &r.headers).find(|h| {
        let n = h.name.to_ascii_lowercase();
        n.contains("correlation") || n.contains("request-id")
    });
    h.map(|h| h.name.clone())
}

/// The `correlation_id_echo` step for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let Some(header) = declared(op) else {
        return Vec::new();
    };
    if !probe.on(CHECK) {
        return Vec::new();
    }
    // Seeded and per operation, so a rerun sends the same IDs and no two answers share one.
    let n = probe
        .api
        .operations
        .iter()
        .position(|o| o.id == op.id)
        .unwrap_or_default();
    let value = format!("cw-{}-{n}", probe.opts.seed);
    let mut req = probe.request(op);
    req.headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case(&header));
    req.headers.push((header.clone(), value.clone()));
    let name = format!("{} with {header}: {value}", op.signature());
    let (step, _) = probe
        .exchange(name.clone(), &req, |a| {
            vec![match a.header(&header) {
                Some(v) if v == value => Check::pass(CHECK),
                found => Check::fail(
                    CHECK,
                    format!("{header}: {value}"),
                    found.map_or_else(|| "no such header".to_owned(), |v| format!("{header}: {v}")),
                ),
            }]
        })
        .await;
    if step.failures().next().is_some() {
        let mut headers = IndexMap::new();
        headers.insert(header, Matcher::Equals(Value::String(value)));
        probe.keep(Scenario {
            name: name.clone(),
            description: Some(format!("Found by cartwright verify: {CHECK}.")),
            tags: vec![CHECK.into()],
            vars: IndexMap::new(),
            steps: vec![ast::Step {
                name: Some(name),
                assert: Some(Asserts {
                    headers,
                    schema: Some(false),
                    ..Asserts::default()
                }),
                ..ast::Step::new(ast::Action::Request(replay::request(
                    probe.api,
                    &probe.target,
                    &req,
                )))
            }],
        });
    }
    vec![step]
}
