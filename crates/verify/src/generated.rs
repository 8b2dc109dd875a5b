//! The generated phase: property-based requests from the schemas, with proptest strategies
//! from the `data` crate, valid ones (judged by the response checks and
//! `positive_data_acceptance`) and invalid ones broken in exactly one place (judged by
//! `negative_data_rejection`). The first failing request of each check is shrunk by
//! proptest to a minimal one before it is reported, so the report and its replay scenario
//! show the smallest request that still fails, not the first random one; the other
//! requests still run, so one check's failure does not hide another's. The strategies are
//! in [`values`].
//!
//! The runner is driven by hand (new tree, simplify, complicate) rather than through
//! `TestRunner::run`, because each case is an HTTP exchange and must be awaited.

use std::collections::{BTreeMap, BTreeSet};

use cartwright_model::{Operation, ParamLocation};
use cartwright_outcome::{Check, Step};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

mod values;

use crate::checks;
use crate::examples::refused;
use crate::probe::Probe;
use crate::request::Values;
use cartwright_http::Request;
use values::{invalid_values, scalar, valid, valid_values};

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
