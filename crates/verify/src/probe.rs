//! One verification's shared means: the API, the options, an HTTP client, the target, and
//! the failure scenarios collected so far. Every phase and check sends through here, so each
//! request becomes a report step the same way, `max_response_time`, `-H` headers, the
//! request timeout and the body bound apply everywhere, and every answer is counted for the
//! coverage report ([`crate::tally`]).

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use cartwright_http::Answer;
use cartwright_model::{Api, Operation};
use cartwright_outcome::{Check, Status, Step};
use cartwright_scenario::ast::Scenario;

use crate::Options;
use crate::credentials::{self, Credentials};
use crate::replay;
use crate::request::{self, Values};
use crate::tally::Tally;
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
    /// Headers sent on every request: `-H`, and `--auth header=` items no scheme takes.
    headers: Vec<(String, String)>,
    /// Values never written to a failure scenario, with the variable that stands for each.
    secrets: Vec<(String, String)>,
    client: reqwest::Client,
    replays: Mutex<Vec<Scenario>>,
    tally: Tally,
    /// The status with which a cartwright mock's admin API refused a call (no or a wrong
    /// `--admin-token`), if it did.
    admin_refused: OnceLock<u16>,
}

impl<'a> Probe<'a> {
    /// A probe for `api`; fails when `--auth` or `-H` cannot be read or `--auth` places
    /// nothing.
    pub(crate) fn new(api: &'a Api, opts: &'a Options) -> Result<Self, crate::VerifyError> {
        Credentials::parse(&opts.auth)?.check(api)?;
        let mut items = opts.auth.clone();
        let mut headers = Vec::new();
        let mut secrets = Vec::new();
        for h in &opts.headers {
            let (k, v) =
                credentials::header(h).ok_or_else(|| crate::VerifyError::Header(h.clone()))?;
            secrets.push((format!("header_{}", credentials::ident(&k)), v.clone()));
            // A header some scheme carries is that scheme's credential: placed where the
            // scheme applies, so the checks that leave it out or mangle it still can.
            match credentials::as_auth(api, &k, &v) {
                Some(item) => items.push(item),
                None => headers.push((k, v)),
            }
        }
        let creds = Credentials::parse(&items)?;
        secrets.extend(creds.secrets());
        headers.extend(creds.extra_headers(api));
        for (i, v) in opts.secrets.iter().enumerate() {
            secrets.push((format!("secret_{}", i + 1), v.clone()));
        }
        if let Some(t) = &opts.admin_token {
            secrets.push(("admin_token".to_owned(), t.clone()));
        }
        // Longest first, so a value holding another is replaced whole.
        secrets.retain(|(_, v)| !v.is_empty());
        secrets.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // The probe's own timeout fires first, with its clearer message; this is a net.
            .timeout(std::time::Duration::from_secs(
                opts.request_timeout_secs.saturating_add(5),
            ))
            .build()?;
        Ok(Probe {
            api,
            opts,
            creds,
            target: opts.target.trim_end_matches('/').to_owned(),
            headers,
            secrets,
            client,
            replays: Mutex::new(Vec::new()),
            tally: Tally::new(api),
            admin_refused: OnceLock::new(),
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

    /// Sends a request with the `-H` headers (replacing any of the same name), reads the
    /// answer up to `--max-response-bytes` within `--request-timeout`, and counts its status
    /// against the operation it routes to.
    pub(crate) async fn send(&self, req: &Request) -> Result<Answer, cartwright_http::Error> {
        let wire = self.wire(req);
        let secs = self.opts.request_timeout_secs;
        let sent = cartwright_http::send_bounded(&self.client, &wire, self.opts.max_response_bytes);
        let answer = match tokio::time::timeout(std::time::Duration::from_secs(secs), sent).await {
            Ok(a) => a,
            Err(_) => Err(cartwright_http::Error::NoAnswer(secs)),
        };
        let status = answer.as_ref().ok().map(|a| a.status);
        self.tally.count(self.api, &self.target, req, status);
        answer
    }

    /// The request as it goes on the wire: with the `-H` headers, each replacing one of
    /// the same name. A call to the mock's admin API goes as it is: `-H` headers are for
    /// the API under test, and one `Authorization` would replace the admin token.
    fn wire(&self, req: &Request) -> Request {
        let mut wire = req.clone();
        if req.url.contains("/__cartwright/") {
            return wire;
        }
        for (k, v) in &self.headers {
            wire.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
            wire.headers.push((k.clone(), v.clone()));
        }
        wire
    }

    /// The curl line of what goes on the wire, so a reader can send it again; every value
    /// given by `--auth`, `-H` or `--secret` is shown as the variable that names it, as in
    /// the written failures, since reports are shared where credentials must not be.
    fn curl(&self, req: &Request) -> String {
        let mut line = cartwright_http::curl(&self.wire(req));
        for (var, value) in &self.secrets {
            line = line.replace(value.as_str(), &format!("{{{{ {var} }}}}"));
        }
        line
    }

    /// Records that the walk obtained a session of `kind` (an `x-cartwright` session kind
    /// or a security scheme's name), so the report does not list it as never obtained.
    pub(crate) fn session_obtained(&self, kind: &str) {
        self.tally.session(kind);
    }

    /// Records that the check `check` found nothing to probe on the spec, and why: the
    /// report lists it, so a check that passed by having nothing to do is not mistaken for
    /// one that held.
    /// Remembers that the mock's admin API refused a call with `status`.
    pub(crate) fn admin_refused(&self, status: u16) {
        let _ = self.admin_refused.set(status);
    }

    /// The status with which the mock's admin API refused a call, if it did.
    pub(crate) fn admin_refusal(&self) -> Option<u16> {
        self.admin_refused.get().copied()
    }

    pub(crate) fn nothing_to_probe(&self, check: &str, why: impl Into<String>) {
        self.tally.nothing(check, why.into());
    }

    /// Requests sent so far that routed to `op`, and how many got a 2xx answer.
    pub(crate) fn sent(&self, op: &Operation) -> (u32, u32) {
        self.tally.sent(self.api, op)
    }

    /// What the requests so far reached, for the operations `ops`.
    pub(crate) fn coverage(&self, ops: &[&Operation]) -> cartwright_outcome::Coverage {
        self.tally.coverage(self.api, ops, &self.creds)
    }

    /// Sends `req` as a report step judged by `judge`; `max_response_time` is added when
    /// set. An unreachable target makes the step errored, an answer over
    /// `--max-response-bytes` failed. The answer is returned for
    /// checks that go on from it.
    pub(crate) async fn exchange(
        &self,
        name: impl Into<String>,
        req: &Request,
        judge: impl FnOnce(&Answer) -> Vec<Check>,
    ) -> (Step, Option<Answer>) {
        let began = Instant::now();
        let mut step = Step::new(name);
        step.curl = Some(self.curl(req));
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
                // The target answered an answer too large to read: the answer is what
                // fails, as in `cartwright run`, not the connection.
                step.status = match e {
                    cartwright_http::Error::TooLarge { .. } => Status::Failed,
                    _ => Status::Errored,
                };
                step.reason = Some(e.to_string());
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

    /// Keeps a failure scenario (for `--write-failures`), with every value given by
    /// `--auth`, `-H` or `--secret` replaced by the variable that stands for it.
    pub(crate) fn keep(&self, mut scenario: Scenario) {
        replay::mask(&mut scenario, &self.headers, &self.secrets);
        if let Ok(mut all) = self.replays.lock() {
            all.push(scenario);
        }
    }

    /// The checks that found nothing to probe, and why, for the report.
    #[cfg(test)]
    pub(crate) fn unprobed(&self) -> Vec<(String, String)> {
        self.tally.unprobed()
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
