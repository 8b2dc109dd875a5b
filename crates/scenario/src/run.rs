//! The runner: scenarios in parallel (bounded by `jobs`), steps in order, each step sent,
//! captured from, asserted, snapshotted and retried, producing an [`cartwright_outcome::Run`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cartwright_model::Api;
use cartwright_outcome::{Case, Run, Status};
use futures_util::StreamExt;
use serde_json::{Map, Value};

use crate::ast::{MockAction, Scenario};
use crate::load::Flows;
use crate::send::Masker;
use crate::snapshot::Mode;
use crate::step::Exec;

/// A parsed scenario and what it runs against (see [`crate::load::load`]).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// The scenario.
    pub scenario: Scenario,
    /// It and the flows it includes, parsed, with the place of each step.
    pub flows: Arc<Flows>,
    /// The spec its folder names (`scenarios/<api>/` → `specs/<api>.yaml`) or `--spec` gave.
    pub api: Option<Arc<Api>>,
    /// `<api>`: the folder name, for snapshot paths and report suites.
    pub api_name: String,
}

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The target's base URL (`http://127.0.0.1:4010`); a path in it replaces the spec's
    /// base path.
    pub target: String,
    /// Variables from `--env`, `CARTWRIGHT_VAR_*` and `--secret` (over scenario defaults).
    pub vars: Map<String, Value>,
    /// Values to mask everywhere.
    pub masker: Masker,
    /// How snapshot files are written.
    pub snapshots: Mode,
    /// The `snapshots/` folder.
    pub snapshot_root: PathBuf,
    /// Scenarios at once.
    pub jobs: usize,
    /// Longest wait for one answer.
    pub timeout: Duration,
    /// The mock's admin token (`--admin-token`), sent on every admin call as
    /// `Authorization: Bearer`; add it to the masker too, so no report shows it.
    pub admin_token: Option<String>,
    /// The most bytes of one answer's body read (`--max-response-bytes`); a larger answer
    /// fails its step and the run goes on.
    pub max_response_bytes: usize,
}

/// Runs scenarios, calling `progress` as each finishes; cases come back in input order.
pub async fn run(scenarios: Vec<Loaded>, opts: &Options, progress: impl Fn(&Case)) -> Run {
    let start = Instant::now();
    let client = reqwest::Client::builder()
        .timeout(opts.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    let is_mock = is_cartwright(&client, &opts.target, opts.admin_token.as_deref()).await;
    // A scenario that moves the mock's clock or resets it would expire or wipe the sessions
    // of flows running beside it (a stub would answer them, a journal count would count
    // them), so those run after the others, one at a time.
    let (alone, together): (Vec<_>, Vec<_>) = scenarios
        .into_iter()
        .enumerate()
        .partition(|(_, s)| is_mock && moves_the_world(&s.scenario));
    let mut cases: Vec<(usize, Case)> = Vec::new();
    for (batch, jobs) in [(together, opts.jobs.max(1)), (alone, 1)] {
        let exec = Exec {
            client: client.clone(),
            opts,
            is_mock,
        };
        cases.extend(batch_of(batch, jobs, &exec, &progress).await);
    }
    cases.sort_by_key(|(i, _)| *i);
    Run {
        name: "cartwright run".into(),
        target: opts.target.clone(),
        cases: cases.into_iter().map(|(_, c)| c).collect(),
        duration_ms: ms(start.elapsed()),
        coverage: None,
    }
}

/// Whether a scenario resets the mock, moves its clock, stubs its answers or counts its
/// journal: each changes or reads what flows running beside it share.
fn moves_the_world(s: &Scenario) -> bool {
    s.steps.iter().any(|st| {
        matches!(
            st.mock(),
            Some(
                MockAction::Reset
                    | MockAction::Advance(_)
                    | MockAction::Stub(_)
                    | MockAction::Expect(_)
            )
        )
    })
}

/// Runs scenarios `jobs` at a time, numbered so the caller can restore their order.
async fn batch_of(
    batch: Vec<(usize, Loaded)>,
    jobs: usize,
    exec: &Exec<'_>,
    progress: &impl Fn(&Case),
) -> Vec<(usize, Case)> {
    futures_util::stream::iter(batch)
        .map(|(i, s)| async move {
            let case = exec.scenario(&s).await;
            progress(&case);
            (i, case)
        })
        .buffer_unordered(jobs)
        .collect()
        .await
}

/// Whether the target is a cartwright mock: its admin API answers health, or asks for the
/// admin token (so a missing token fails the `mock:` steps instead of skipping them).
async fn is_cartwright(client: &reqwest::Client, target: &str, token: Option<&str>) -> bool {
    let url = format!("{}/__cartwright/health", origin(target));
    let mut req = client.get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    match req.send().await {
        Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED => asks_admin_token(r.headers()),
        Ok(r) if r.status().is_success() => r
            .json::<Value>()
            .await
            .is_ok_and(|v| v["status"] == "ok" && v["apis"].is_array()),
        _ => false,
    }
}

/// Whether a 401 is the cartwright admin API's own (its `WWW-Authenticate` realm).
fn asks_admin_token(headers: &reqwest::header::HeaderMap) -> bool {
    headers
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("cartwright admin"))
}

/// `scheme://host:port` of a URL.
pub(crate) fn origin(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    match url[after..].find('/') {
        Some(i) => &url[..after + i],
        None => url.trim_end_matches('/'),
    }
}

/// The base requests go to: the target, plus the spec's base path when the target has none.
pub(crate) fn base_for(target: &str, api: Option<&Api>) -> String {
    let target = target.trim_end_matches('/');
    if origin(target) != target {
        return target.to_owned();
    }
    let base = api
        .and_then(|a| a.base_paths.first())
        .map_or("", |b| b.trim_end_matches('/'));
    format!("{target}{base}")
}

/// Milliseconds, saturating.
pub(crate) fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Whether a case's steps so far all passed or were skipped.
pub(crate) fn going(case: &Case) -> bool {
    case.error.is_none()
        && case
            .steps
            .iter()
            .all(|s| matches!(s.status, Status::Passed | Status::Skipped))
}

/// A path relative to a file's folder.
pub(crate) fn beside(file: &Path, rel: &str) -> PathBuf {
    file.parent().unwrap_or(Path::new(".")).join(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_bases() {
        assert_eq!(origin("http://127.0.0.1:4010"), "http://127.0.0.1:4010");
        assert_eq!(origin("http://h:1/api/x"), "http://h:1");
        assert_eq!(base_for("http://h:1/", None), "http://h:1");
        assert_eq!(base_for("http://h:1/shop", None), "http://h:1/shop");
    }
}
