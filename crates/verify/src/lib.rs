//! Contract verification of any implementation against its spec.
//!
//! For every operation a valid request is built from the spec (documented examples and
//! defaults first, then seeded values that the compiled schema accepts), sent to the target,
//! and its answer judged by named checks ([`checks::ALL`]). The result is a
//! [`cartwright_outcome::Run`] with one case per operation, so the `report` crate prints it,
//! writes JUnit and JSON, and gives the exit code, exactly as for scenarios.
//!
//! This is the examples phase; property-based generation of valid and invalid requests,
//! stateful sequences and the storefront security checks build on the same request builder
//! and check names.

pub mod checks;
pub mod negative;
pub mod request;

use std::time::Instant;

use cartwright_model::Api;
use cartwright_outcome::{Case, Check, Run, Status, Step};
use cartwright_scenario::answer::Answer;

/// How to verify.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The implementation's base URL (the spec's base path is added).
    pub target: String,
    /// Checks to run by name (`None`: all).
    pub checks: Option<Vec<String>>,
    /// Operations to include, by operationId, tag or path (`[]`: all).
    pub include: Vec<String>,
    /// Seed of the generated values.
    pub seed: u64,
}

/// Verifies every included operation of `api` against the target.
pub async fn verify(api: &Api, opts: &Options) -> Run {
    let start = Instant::now();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap_or_default();
    let target = opts.target.trim_end_matches('/');
    let mut cases = Vec::new();
    for op in api
        .operations
        .iter()
        .filter(|op| included(op, &opts.include))
    {
        let began = Instant::now();
        let req = request::build(api, op, target, opts.seed);
        let mut steps = vec![example(&client, op, req.clone(), opts).await];
        if on(opts, "negative_data_rejection") {
            for (what, bad) in negative::variants(op, &req) {
                steps.push(rejected(&client, op, &what, bad, opts).await);
            }
        }
        cases.push(Case {
            name: format!("{} ({})", op.signature(), op.id),
            suite: api.title.clone(),
            file: Some(api.source.clone()),
            steps,
            duration_ms: ms(began),
            error: None,
        });
    }
    Run {
        name: "cartwright verify".into(),
        target: opts.target.clone(),
        cases,
        duration_ms: u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

fn on(opts: &Options, check: &str) -> bool {
    opts.checks
        .as_ref()
        .is_none_or(|c| c.iter().any(|x| x == check))
}

fn ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The valid request, judged by the response checks.
async fn example(
    client: &reqwest::Client,
    op: &cartwright_model::Operation,
    req: request::Req,
    opts: &Options,
) -> Step {
    let began = Instant::now();
    let mut step = Step::new(format!("{} example", op.signature()));
    step.curl = Some(req.curl());
    match send(client, req).await {
        Ok(answer) => {
            step.response_status = Some(answer.status);
            step.response_body = Some(answer.body.chars().take(2000).collect());
            step.checks = checks::run(op, &answer, opts.checks.as_deref());
        }
        Err(e) => {
            step.status = Status::Errored;
            step.reason = Some(format!("target unreachable: {e}"));
        }
    }
    if step.checks.iter().any(|c| !c.passed) {
        step.status = Status::Failed;
    }
    step.duration_ms = ms(began);
    step
}

/// An invalid variant, which must not be accepted (nor crash the server).
async fn rejected(
    client: &reqwest::Client,
    op: &cartwright_model::Operation,
    what: &str,
    req: request::Req,
    opts: &Options,
) -> Step {
    let began = Instant::now();
    let mut step = Step::new(format!("{} {what}", op.signature()));
    step.curl = Some(req.curl());
    match send(client, req).await {
        Ok(a) => {
            step.response_status = Some(a.status);
            step.response_body = Some(a.body.chars().take(2000).collect());
            step.checks.push(if (200..300).contains(&a.status) {
                Check::fail(
                    "negative_data_rejection",
                    format!("a refusal of a request with {what}"),
                    a.status.to_string(),
                )
            } else {
                Check::pass("negative_data_rejection")
            });
            if on(opts, "not_a_server_error") {
                step.checks.push(if a.status >= 500 {
                    Check::fail(
                        "not_a_server_error",
                        "a status below 500",
                        a.status.to_string(),
                    )
                } else {
                    Check::pass("not_a_server_error")
                });
            }
        }
        Err(e) => {
            step.status = Status::Errored;
            step.reason = Some(format!("target unreachable: {e}"));
        }
    }
    if step.checks.iter().any(|c| !c.passed) {
        step.status = Status::Failed;
    }
    step.duration_ms = ms(began);
    step
}

fn included(op: &cartwright_model::Operation, include: &[String]) -> bool {
    include.is_empty()
        || include
            .iter()
            .any(|i| *i == op.id || *i == op.path || op.tags.iter().any(|t| t == i))
}

async fn send(client: &reqwest::Client, req: request::Req) -> Result<Answer, String> {
    let began = Instant::now();
    let r = req.try_into_reqwest(client).map_err(|e| e.to_string())?;
    let res = client.execute(r).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let bytes = res.bytes().await.map_err(|e| e.to_string())?;
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        json: serde_json::from_slice(&bytes).ok(),
        took: began.elapsed(),
    })
}
