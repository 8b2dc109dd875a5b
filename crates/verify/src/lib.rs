//! Contract verification of any implementation against its spec.
//!
//! For every operation the phases run in turn, each sending through one `probe::Probe`:
//! the examples phase (`examples`) sends the documented valid request and invalid variants
//! of it; the generated phase (`generated`) sends property-based requests from the
//! schemas, valid and invalid, and shrinks a failing one to a minimal request; the security
//! checks (`security`) probe authentication, path encoding, correlation IDs and retries;
//! then the stateful phase (`walk`) walks the API with live tokens and ids.
//! Answers are judged by named checks ([`checks::ALL`]). The result is a
//! [`cartwright_outcome::Run`] with one case per operation, so the `report` crate prints it,
//! writes JUnit and JSON, and gives the exit code, exactly as for scenarios; and every
//! failure is also a scenario ([`replay`]) that `cartwright run` replays. Every answer is
//! counted against the operation it routes to, and the run carries the resulting coverage
//! ([`cartwright_outcome::Coverage`]): a verification that reached nothing says so.

pub mod checks;
pub mod credentials;
mod error;
mod examples;
mod generated;
mod negative;
mod probe;
pub mod replay;
pub mod request;
mod security;
mod sessions;
mod tally;
mod walk;

use std::time::Instant;

use cartwright_model::{Api, Operation};
use cartwright_outcome::{Case, Run};
use cartwright_scenario::ast::Scenario;
use futures_util::StreamExt;

pub use crate::error::VerifyError;
use crate::probe::{Probe, ms};

/// How to verify.
#[derive(Debug, Clone)]
pub struct Options {
    /// The implementation's base URL (the spec's base path is added).
    pub target: String,
    /// Checks to run (`None`: the default set, [`checks::DEFAULT`]).
    pub checks: Option<Vec<checks::Check>>,
    /// Operations to include, by operationId, tag or path (`[]`: all).
    pub include: Vec<String>,
    /// Seed of the generated values: the same seed sends the same requests.
    pub seed: u64,
    /// Generated requests per operation in each of the valid and invalid runs.
    pub max_examples: u32,
    /// `--auth NAME=VALUE` items.
    pub auth: Vec<String>,
    /// `-H 'Name: value'` headers, sent on every request.
    pub headers: Vec<String>,
    /// `--secret VALUE`s: never written to a failure scenario.
    pub secrets: Vec<String>,
    /// Seconds to wait for a whole answer.
    pub request_timeout_secs: u64,
    /// The most bytes of an answer's body read; a longer body is an error.
    pub max_response_bytes: usize,
    /// Print a line on stderr as each operation finishes.
    pub progress: bool,
    /// Operations verified at once.
    pub jobs: usize,
    /// `max_response_time`: answers slower than this fail (off when `None`).
    pub max_response_time_ms: Option<u64>,
    /// `--token-lifetime`: how long the target's tokens live, in seconds; `token_expiry`
    /// probes a server other than the mock only when given (no seed gives one).
    pub token_lifetime_secs: Option<u64>,
    /// `--max-wait`: the longest `token_expiry` waits for a token to expire for real.
    pub max_wait_secs: u64,
    /// `--admin-token`: the cartwright mock's admin token, sent as `Authorization: Bearer`
    /// on its admin calls (clock, outbox, health) and never shown.
    pub admin_token: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            target: String::new(),
            checks: None,
            include: Vec::new(),
            seed: 0,
            max_examples: 25,
            auth: Vec::new(),
            headers: Vec::new(),
            secrets: Vec::new(),
            request_timeout_secs: 10,
            max_response_bytes: cartwright_http::MAX_BODY,
            progress: false,
            jobs: 1,
            max_response_time_ms: None,
            token_lifetime_secs: None,
            max_wait_secs: 60,
            admin_token: None,
        }
    }
}

/// What a verification found: the run for reports, and each failure as a scenario.
#[derive(Debug, Clone, Default)]
pub struct Verified {
    /// The cases: one per operation, then the stateful walk.
    pub run: Run,
    /// One scenario per failure, replaying it.
    pub failures: Vec<Scenario>,
}

/// Verifies every included operation of `api` against the target.
pub async fn verify(api: &Api, opts: &Options) -> Verified {
    let start = Instant::now();
    let probe = match Probe::new(api, opts) {
        Ok(p) => p,
        Err(e) => return broken(api, opts, e.to_string()),
    };
    let ops: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| included(op, &opts.include))
        .collect();
    // `buffered` keeps the spec's order in the report whatever order answers come in.
    let mut cases: Vec<Case> = futures_util::stream::iter(ops.iter().copied())
        .map(|op| operation(&probe, op))
        .buffered(opts.jobs.max(1))
        .collect()
        .await;
    // Alone, as it moves the mock's clock: no other request is in flight.
    checks::token_expiry::run(&probe, &ops, &mut cases).await;
    // After the per-operation phases, so their requests cannot disturb the walk's sessions.
    cases.extend(walk::run(&probe, &ops).await);
    if let Some(status) = probe.admin_refusal() {
        // Said once for the run: the checks that skipped for it say so too.
        let why = format!(
            "the mock refused verify's admin calls with {status}: its outbox (one-time codes) \
             and clock (token lifetimes) were not used; give --admin-token"
        );
        probe.nothing_to_probe("admin API", why);
    }
    Verified {
        run: Run {
            name: "cartwright verify".into(),
            target: opts.target.clone(),
            cases,
            duration_ms: ms(start),
            coverage: Some(probe.coverage(&ops)),
        },
        failures: probe.replays(),
    }
}

/// Every phase for one operation, as one case.
async fn operation(probe: &Probe<'_>, op: &Operation) -> Case {
    let began = Instant::now();
    let mut steps = examples::run(probe, op).await;
    steps.extend(generated::run(probe, op).await);
    steps.extend(security::run(probe, op).await);
    steps.extend(checks::unsupported_method::run(probe, op).await);
    let case = Case {
        name: format!("{} ({})", op.signature(), op.id),
        suite: probe.api.title.clone(),
        file: Some(probe.api.source.clone()),
        steps,
        duration_ms: ms(began),
        error: None,
    };
    if probe.opts.progress {
        let (sent, ok) = probe.sent(op);
        eprintln!("{}", progress_line(&case, sent, ok));
    }
    case
}

/// The line printed as an operation finishes: the report's line for its case, how many
/// requests went to it (by routing, whichever phase sent them), how many of those got a 2xx
/// answer, and how many steps failed.
pub fn progress_line(case: &Case, sent: u32, ok: u32) -> String {
    let failed = case
        .steps
        .iter()
        .filter(|s| s.status == cartwright_outcome::Status::Failed)
        .count();
    format!(
        "{} — {sent} requests, {ok} 2xx, {failed} failed",
        cartwright_report::progress_line(case)
    )
}
/// A run that could not start, as one errored case.
fn broken(api: &Api, opts: &Options, error: String) -> Verified {
    Verified {
        run: Run {
            name: "cartwright verify".into(),
            target: opts.target.clone(),
            cases: vec![Case {
                name: api.title.clone(),
                suite: api.title.clone(),
                file: Some(api.source.clone()),
                error: Some(error),
                ..Case::default()
            }],
            duration_ms: 0,
            coverage: None,
        },
        failures: Vec::new(),
    }
}

/// Whether `--include` selects the operation: by operationId, path or tag (`[]`: all).
pub fn included(op: &Operation, include: &[String]) -> bool {
    include.is_empty()
        || include
            .iter()
            .any(|i| *i == op.id || *i == op.path || op.tags.iter().any(|t| t == i))
}
