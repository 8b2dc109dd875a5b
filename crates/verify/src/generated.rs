//! The generated phase: property-based requests from the schemas, with proptest strategies
//! from the `data` crate, valid ones (judged by the response checks and
//! `positive_data_acceptance`) and invalid ones broken in exactly one place (judged by
//! `negative_data_rejection`). A failing request is shrunk by proptest to a minimal one
//! before it is reported, so the report and its replay scenario show the smallest request
//! that still fails, not the first random one.
//!
//! The runner is driven by hand (new tree, simplify, complicate) rather than through
//! `TestRunner::run`, because each case is an HTTP exchange and must be awaited.

use std::collections::{BTreeMap, BTreeSet};

use cartwright_data::Direction;
use cartwright_data::strategy::{self, Mutation};
use cartwright_model::{Operation, ParamLocation, Schema};
use cartwright_outcome::{Check, Step};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};

use crate::checks;
use crate::examples::refused;
use crate::probe::Probe;
use crate::request::{Values, body_media};
use cartwright_http::Request;

/// Shrinking stops after this many extra requests, so one failure cannot stall a run.
const SHRINK_BUDGET: usize = 200;
/// Answers to valid requests that say the data was refused as invalid.
const REFUSALS: &[u16] = &[400, 422];

/// The steps of the generated phase for `op`.
pub(crate) async fn run(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let mut steps = Vec::new();
    if probe.opts.max_examples == 0 {
        return steps;
    }
    steps.extend(positive(probe, op).await);
    if probe.on(checks::Check::NegativeDataRejection) {
        steps.extend(negative(probe, op).await);
    }
    steps
}

/// A case strategy's value: the request's values and what was broken (invalid runs).
type Drawn = (Values, Option<String>);

/// Valid requests: the response checks and `positive_data_acceptance`.
async fn positive(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let strat = valid_values(probe, op).prop_map(|v| (v, None)).boxed();
    let selected = probe.opts.checks.as_deref();
    let judge = |a: &cartwright_http::Answer| {
        let mut out = checks::run(op, a, selected);
        if probe.on(checks::Check::PositiveDataAcceptance) {
            out.push(if REFUSALS.contains(&a.status) {
                Check::fail(
                    checks::Check::PositiveDataAcceptance,
                    "valid data accepted (not 400 or 422)",
                    a.status.to_string(),
                )
            } else {
                Check::pass(checks::Check::PositiveDataAcceptance)
            });
        }
        out
    };
    explore(probe, op, strat, "generated", &|v| valid(op, v), &judge).await
}

/// Invalid requests, each broken in one place: `negative_data_rejection`.
async fn negative(probe: &Probe<'_>, op: &Operation) -> Vec<Step> {
    let Some(strat) = invalid_values(probe, op) else {
        return Vec::new();
    };
    let judge = |a: &cartwright_http::Answer| refused(probe, a.status, "invalid data");
    explore(
        probe,
        op,
        strat,
        "generated invalid",
        &|d| !valid(op, d),
        &judge,
    )
    .await
}

/// Draws up to `max_examples` sendable cases from `strat` and sends each. A check's first
/// failure is shrunk and reported as its own step; the other requests still run, so a check
/// that fails less often than another is found too. The checks that never failed are summed
/// up in one step.
async fn explore(
    probe: &Probe<'_>,
    op: &Operation,
    strat: BoxedStrategy<Drawn>,
    label: &str,
    keep: &dyn Fn(&Drawn) -> bool,
    judge: &dyn Fn(&cartwright_http::Answer) -> Vec<Check>,
) -> Vec<Step> {
    let mut runner = runner(probe.opts.seed, &op.id, label);
    let mut sent = 0u32;
    let mut seen: BTreeMap<String, Check> = BTreeMap::new();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    let mut steps = Vec::new();
    let mut draws = 0u32;
    while sent < probe.opts.max_examples && draws < probe.opts.max_examples * 4 {
        draws += 1;
        let Ok(mut tree) = strat.new_tree(&mut runner) else {
            break;
        };
        let case = tree.current();
        if !keep(&case) {
            continue;
        }
        let Some(req) = sendable(probe, op, &case.0) else {
            continue;
        };
        sent += 1;
        let Ok(answer) = probe.send(&req).await else {
            // The target went away: the examples phase already reports that.
            break;
        };
        let checks = judge(&answer);
        let earlier = reported.clone();
        let mut failing: Vec<String> = Vec::new();
        for c in checks {
            if c.passed {
                seen.entry(c.name.clone()).or_insert(c);
            } else if reported.insert(c.name.clone()) {
                failing.push(c.name);
            }
        }
        if failing.is_empty() {
            continue;
        }
        let minimal = shrink(probe, op, &mut tree, case, keep, judge, &failing).await;
        let what = minimal
            .1
            .as_ref()
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        let req = sendable(probe, op, &minimal.0).unwrap_or(req);
        let name = format!("{} {label} #{sent}, shrunk{what}", op.signature());
        // A check already reported by an earlier step is not reported again.
        let (step, _) = probe
            .single(name, &req, |a| {
                let mut checks = judge(a);
                checks.retain(|c| c.passed || !earlier.contains(&c.name));
                checks
            })
            .await;
        steps.push(step);
    }
    seen.retain(|name, _| !reported.contains(name));
    if sent > 0 && (steps.is_empty() || !seen.is_empty()) {
        let mut step = Step::new(format!("{} {label}: {sent} request(s)", op.signature()));
        step.checks = seen.into_values().collect();
        steps.push(step);
    }
    steps
}

/// proptest's shrinking loop: simplify while the case still fails, complicate back when a
/// simplification made it pass, until neither moves. A case fails when any of the checks
/// that failed first fails again (so shrinking does not wander to a different bug).
async fn shrink(
    probe: &Probe<'_>,
    op: &Operation,
    tree: &mut BoxedValueTree,
    mut best: Drawn,
    keep: &dyn Fn(&Drawn) -> bool,
    judge: &dyn Fn(&cartwright_http::Answer) -> Vec<Check>,
    failing: &[String],
) -> Drawn {
    let mut budget = SHRINK_BUDGET;
    if !tree.simplify() {
        return best;
    }
    while budget > 0 {
        budget -= 1;
        let case = tree.current();
        let fails = match (keep(&case), sendable(probe, op, &case.0)) {
            (true, Some(req)) => match probe.send(&req).await {
                Ok(a) => judge(&a)
                    .iter()
                    .any(|c| !c.passed && failing.contains(&c.name)),
                Err(_) => false,
            },
            _ => false,
        };
        if fails {
            best = case;
            if !tree.simplify() {
                break;
            }
        } else if !tree.complicate() {
            break;
        }
    }
    best
}

type BoxedValueTree = Box<dyn ValueTree<Value = Drawn>>;

/// A runner seeded by the run's seed, the operation and the run's label, so every
/// operation draws its own stream and `--seed` reproduces all of them.
fn runner(seed: u64, op: &str, label: &str) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&fnv(op).to_le_bytes());
    bytes[16..24].copy_from_slice(&fnv(label).to_le_bytes());
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// FNV-1a: a stable hash (std's `DefaultHasher` may change between releases).
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn reference(schema: &Schema) -> Value {
    json!({"$ref": format!("#{}", schema.pointer)})
}

/// Path and required parameters always; optional ones sometimes (shrinking drops them).
fn valid_values(probe: &Probe<'_>, op: &Operation) -> BoxedStrategy<Values> {
    let root = &probe.api.document;
    let params: Vec<BoxedStrategy<Option<(usize, Value)>>> = op
        .parameters
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let s = strategy::valid(root, &reference(p.schema.as_ref()?), Direction::Request)
                .prop_map(move |v| (i, v));
            Some(if p.location == ParamLocation::Path || p.required {
                s.prop_map(Some).boxed()
            } else {
                proptest::option::of(s).boxed()
            })
        })
        .collect();
    let body: BoxedStrategy<Option<Value>> = match body_media(op).and_then(|m| m.schema.as_ref()) {
        Some(s) => strategy::valid(root, &reference(s), Direction::Request)
            .prop_map(Some)
            .boxed(),
        None if body_media(op).is_some() => Just(Some(json!({}))).boxed(),
        None => Just(None).boxed(),
    };
    (params, body)
        .prop_map(|(params, body)| Values {
            params: params.into_iter().flatten().collect(),
            body,
        })
        .boxed()
}

/// Valid values with one place broken: the body, or one scalar parameter.
fn invalid_values(probe: &Probe<'_>, op: &Operation) -> Option<BoxedStrategy<Drawn>> {
    let root = &probe.api.document;
    let mut places: Vec<BoxedStrategy<Drawn>> = Vec::new();
    if let Some(schema) = body_media(op).and_then(|m| m.schema.as_ref())
        && let Some(bad) = strategy::invalid(root, &reference(schema), Direction::Request)
    {
        places.push(
            (valid_values(probe, op), bad)
                .prop_map(
                    |(mut v, (body, m, at)): (Values, (Value, Mutation, String))| {
                        v.body = Some(body);
                        (v, Some(format!("{} at body{at}", m.name())))
                    },
                )
                .boxed(),
        );
    }
    for (i, p) in op.parameters.iter().enumerate() {
        let Some(schema) = p.schema.as_ref() else {
            continue;
        };
        if !scalar(&p.shape) {
            continue;
        }
        let Some(bad) = strategy::invalid(root, &reference(schema), Direction::Request) else {
            continue;
        };
        let name = p.name.clone();
        places.push(
            (valid_values(probe, op), bad)
                .prop_map(
                    move |(mut v, (value, m, _)): (Values, (Value, Mutation, String))| {
                        v.params.retain(|(j, _)| *j != i);
                        v.params.push((i, value));
                        (v, Some(format!("{} in parameter {name}", m.name())))
                    },
                )
                .boxed(),
        );
    }
    (!places.is_empty()).then(|| proptest::strategy::Union::new(places).boxed())
}

fn scalar(shape: &Value) -> bool {
    matches!(
        shape.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    )
}

/// Whether every value is one its schema accepts, as the server will read it: parameters
/// travel as text, so a text that parses to a valid number or boolean counts as valid.
fn valid(op: &Operation, (values, _): &Drawn) -> bool {
    let params_ok = values.params.iter().all(|(i, v)| {
        let Some(p) = op.parameters.get(*i) else {
            return true;
        };
        let Some(s) = p.schema.as_ref() else {
            return true;
        };
        readings(v).iter().any(|r| s.is_valid(r))
    });
    let body_ok = match (&values.body, body_media(op).and_then(|m| m.schema.as_ref())) {
        (Some(b), Some(s)) => s.is_valid(b),
        _ => true,
    };
    params_ok && body_ok
}

/// The ways a server may read a parameter's text: as the value, as a string, as JSON.
fn readings(v: &Value) -> Vec<Value> {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = vec![v.clone(), Value::String(text.clone())];
    if let Ok(parsed) = serde_json::from_str::<Value>(&text) {
        out.push(parsed);
    }
    out
}

/// The request, if it can travel as drawn: header values must be visible ASCII; a path
/// value must not be empty (an empty segment names another route) nor `.`/`..`, which URL
/// parsers remove as dot segments even when encoded (WHATWG reads `%2E` as `.`); and every
/// scalar parameter must have a scalar value, since an empty list or an object of a wrong
/// type mutation would simply not be sent.
fn sendable(probe: &Probe<'_>, op: &Operation, values: &Values) -> Option<Request> {
    let travels = values.params.iter().all(|(i, v)| {
        let Some(p) = op.parameters.get(*i) else {
            return true;
        };
        let dot = matches!(v.as_str(), Some("" | "." | ".."));
        let lost =
            scalar(&p.shape) && !matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
        !(lost || (p.location == ParamLocation::Path && dot))
    });
    if !travels {
        return None;
    }
    let req = probe.assemble(op, values);
    req.headers
        .iter()
        .all(|(k, v)| {
            reqwest::header::HeaderName::from_bytes(k.as_bytes()).is_ok()
                && reqwest::header::HeaderValue::from_str(v).is_ok()
        })
        .then_some(req)
}
