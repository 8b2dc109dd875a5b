//! One verification's shared means: the API, the options, an HTTP client, the target, and
//! the failure scenarios collected so far. Every phase and check sends through here, so each
//! request becomes a report step the same way and `max_response_time` applies everywhere.

use std::sync::Mutex;
use std::time::Instant;

use cartwright_http::Answer;
use cartwright_model::{Api, Operation};
use cartwright_outcome::{Check, Status, Step};
use cartwright_scenario::ast::Scenario;

use crate::Options;
use crate::auth::Credentials;
use crate::replay;
use crate::request::{self, Values};
use cartwright_http::Request;

/// Shared by every phase of one verification.
pub(crate) struct Probe<'a> {
    /// The API under test.
    pub api: &'a Api,
    /// How to verify.
    pub opts: &'a Options,
    /// The credentials from `--auth`.
    pub creds: Credentials,
    /// The target without a trailing slash.
    pub target: String,
    client: reqwest::Client,
    replays: Mutex<Vec<Scenario>>,
    unprobed: Mutex<Vec<(String, String)>>,
}

impl<'a> Probe<'a> {
    /// A probe for `api`; fails only when `--auth` cannot be read.
    pub(crate) fn new(api: &'a Api, opts: &'a Options) -> Result<Self, crate::VerifyError> {
        let creds = Credentials::parse(&opts.auth)?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()?;
        Ok(Probe {
            api,
            opts,
            creds,
            target: opts.target.trim_end_matches('/').to_owned(),
            client,
            replays: Mutex::new(Vec::new()),
            unprobed: Mutex::new(Vec::new()),
        })
    }

    /// Whether a check is selected (`--checks`, else the default set).
    pub(crate) fn on(&self, check: crate::checks::Check) -> bool {
        match &self.opts.checks {
            Some(c) => c.contains(&check),
            None => crate::checks::DEFAULT.contains(&check),
        }
    }

    /// The documented valid request for `op`.
    pub(crate) fn request(&self, op: &Operation) -> Request {
        request::build(self.api, op, &self.target, self.opts.seed, &self.creds)
    }

    /// The request for `op` carrying `values`.
    pub(crate) fn assemble(&self, op: &Operation, values: &Values) -> Request {
        request::assemble(self.api, op, &self.target, &self.creds, values)
    }

    /// Sends a request and reads the whole answer.
    pub(crate) async fn send(&self, req: &Request) -> Result<Answer, cartwright_http::Error> {
        cartwright_http::send(&self.client, req).await
    }

    /// Sends `req` as a report step judged by `judge`; `max_response_time` is added when
    /// set. An unreachable target makes the step errored. The answer is returned for
    /// checks that go on from it.
    pub(crate) async fn exchange(
        &self,
        name: impl Into<String>,
        req: &Request,
        judge: impl FnOnce(&Answer) -> Vec<Check>,
    ) -> (Step, Option<Answer>) {
        let began = Instant::now();
        let mut step = Step::new(name);
        step.curl = Some(cartwright_http::curl(req));
        let answer = match self.send(req).await {
            Ok(a) => {
                step.response_status = Some(a.status);
                step.response_body = Some(a.text().chars().take(2000).collect());
                step.checks = judge(&a);
                if let Some(limit) = self.opts.max_response_time_ms
                    && self.on(crate::checks::Check::MaxResponseTime)
                {
                    let took = a.took.as_millis();
                    step.checks.push(if took > u128::from(limit) {
                        Check::fail(
                            "max_response_time",
                            format!("< {limit}ms"),
                            format!("{took}ms"),
                        )
                    } else {
                        Check::pass("max_response_time")
                    });
                }
                Some(a)
            }
            Err(e) => {
                step.status = Status::Errored;
                step.reason = Some(format!("target unreachable: {e}"));
                None
            }
        };
        if step.checks.iter().any(|c| !c.passed) {
            step.status = Status::Failed;
        }
        step.duration_ms = ms(began);
        (step, answer)
    }

    /// As [`Probe::exchange`], and a failure is kept as a one-request scenario.
    pub(crate) async fn single(
        &self,
        name: impl Into<String>,
        req: &Request,
        judge: impl FnOnce(&Answer) -> Vec<Check>,
    ) -> (Step, Option<Answer>) {
        let (step, answer) = self.exchange(name, req, judge).await;
        let failed: Vec<&Check> = step.failures().collect();
        if !failed.is_empty() {
            let request = replay::request(self.api, &self.target, req);
            self.keep(replay::single(&step.name, request, &failed));
        }
        (step, answer)
    }

    /// Keeps a failure scenario (for `--write-failures`).
    pub(crate) fn keep(&self, scenario: Scenario) {
        if let Ok(mut all) = self.replays.lock() {
            all.push(scenario);
        }
    }

    /// Records that the check `check` found nothing to probe on the spec, and why.
    pub(crate) fn nothing_to_probe(&self, check: &str, why: impl Into<String>) {
        if let Ok(mut all) = self.unprobed.lock() {
            all.push((check.to_owned(), why.into()));
        }
    }

    /// The checks that found nothing to probe, and why, for the report.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn unprobed(&self) -> Vec<(String, String)> {
        self.unprobed.lock().map(|u| u.clone()).unwrap_or_default()
    }

    /// The failure scenarios kept so far.
    pub(crate) fn replays(&self) -> Vec<Scenario> {
        self.replays.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Milliseconds since `since`.
pub(crate) fn ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}
