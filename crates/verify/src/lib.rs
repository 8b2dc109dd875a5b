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
pub mod request;

use std::time::Instant;

use cartwright_model::Api;
use cartwright_outcome::{Case, Run, Status, Step};
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
        let mut step = Step::new(format!("{} example", op.signature()));
        step.curl = Some(req.curl());
        match send(&client, req).await {
            Ok(answer) => {
                step.response_status = Some(answer.status);
                step.response_body = Some(answer.body.chars().take(2000).collect());
                step.checks = checks::run(op, &answer, opts.checks.as_deref());
                if step.checks.iter().any(|c| !c.passed) {
                    step.status = Status::Failed;
                }
            }
            Err(e) => {
                step.status = Status::Errored;
                step.reason = Some(format!("target unreachable: {e}"));
            }
        }
        step.duration_ms = u64::try_from(began.elapsed().as_millis()).unwrap_or(u64::MAX);
        cases.push(Case {
            name: format!("{} ({})", op.signature(), op.id),
            suite: api.title.clone(),
            file: Some(api.source.clone()),
            steps: vec![step],
            duration_ms: u64::try_from(began.elapsed().as_millis()).unwrap_or(u64::MAX),
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
