//! What a run found, as plain data: a [`Run`] holds [`Case`]s (a scenario, or an operation
//! under a verification check), each holding [`Step`]s whose [`Check`]s passed or failed.
//!
//! Producers (the scenario runner, the verifier) build these; the `report` crate turns them
//! into a terminal summary, JUnit XML, JSON and an exit code, and knows nothing else. Every
//! text here is already masked: producers replace secrets before they store anything, so no
//! report can leak one.

pub mod coverage;

use cartwright_diag::Span;
use serde::{Deserialize, Serialize};

pub use coverage::Coverage;

/// A whole run: every case, in the order they were defined.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// What was run (`cartwright run`, `cartwright verify`), for report titles.
    pub name: String,
    /// The target's base URL.
    pub target: String,
    /// The cases.
    pub cases: Vec<Case>,
    /// Wall time of the whole run, in milliseconds.
    pub duration_ms: u64,
    /// What a verification exercised, operation by operation (`None` for scenario runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// One scenario (or one check of one operation).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Its name.
    pub name: String,
    /// A group for reports: the scenario's folder, or the check's name.
    pub suite: String,
    /// The file it came from, when it has one.
    pub file: Option<String>,
    /// The steps, in order; a step not reached is absent.
    pub steps: Vec<Step>,
    /// A problem that stopped the case outside any step (a broken include, say).
    pub error: Option<String>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

/// How a step or case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every check held.
    Passed,
    /// A check failed.
    Failed,
    /// Not run, for a reason (`skip_if`, a mock-only step against a real server).
    Skipped,
    /// The request could not be made or the case could not go on (unreachable, I/O).
    Errored,
}

/// One step: a request and what was checked about its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Its name (given, or `METHOD path`).
    pub name: String,
    /// How it ended.
    pub status: Status,
    /// Why it was skipped or errored.
    pub reason: Option<String>,
    /// Where it is defined.
    pub span: Option<Span>,
    /// The request as a curl command, secrets masked.
    pub curl: Option<String>,
    /// The answer's status code.
    pub response_status: Option<u16>,
    /// The answer's body (cut to a readable length), secrets masked.
    pub response_body: Option<String>,
    /// Every check made, passed or not.
    pub checks: Vec<Check>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl Step {
    /// A step with no checks yet.
    pub fn new(name: impl Into<String>) -> Self {
        Step {
            name: name.into(),
            status: Status::Passed,
            reason: None,
            span: None,
            curl: None,
            response_status: None,
            response_body: None,
            checks: Vec::new(),
            duration_ms: 0,
        }
    }

    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.passed)
    }
}

/// One named check: `status == 200`, `$.token exists`, `schema`, `snapshot cart`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// A stable name or the assertion as written.
    pub name: String,
    /// Whether it held.
    pub passed: bool,
    /// What was expected, when the check has a single expectation.
    pub expected: Option<String>,
    /// What was found.
    pub actual: Option<String>,
    /// More detail: a diff, every schema violation.
    pub detail: Option<String>,
    /// Where the check is written.
    pub span: Option<Span>,
}

impl Check {
    /// A check that held.
    pub fn pass(name: impl Into<String>) -> Self {
        Check {
            name: name.into(),
            passed: true,
            expected: None,
            actual: None,
            detail: None,
            span: None,
        }
    }

    /// A check that failed.
    pub fn fail(
        name: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Check {
            passed: false,
            expected: Some(expected.into()),
            actual: Some(actual.into()),
            ..Check::pass(name)
        }
    }

    /// With detail.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// With a place.
    #[must_use]
    pub fn with_span(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }
}

impl Case {
    /// How the case ended: errored if it could not go on, failed if a step failed, skipped
    /// if every step was, else passed.
    pub fn status(&self) -> Status {
        if self.error.is_some() || self.steps.iter().any(|s| s.status == Status::Errored) {
            Status::Errored
        } else if self.steps.iter().any(|s| s.status == Status::Failed) {
            Status::Failed
        } else if !self.steps.is_empty() && self.steps.iter().all(|s| s.status == Status::Skipped) {
            Status::Skipped
        } else {
            Status::Passed
        }
    }
}

/// Counts of cases by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Passed cases.
    pub passed: usize,
    /// Failed cases.
    pub failed: usize,
    /// Skipped cases.
    pub skipped: usize,
    /// Errored cases.
    pub errored: usize,
    /// Steps run (not skipped).
    pub steps: usize,
}

impl Run {
    /// Counts cases by status.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for c in &self.cases {
            match c.status() {
                Status::Passed => t.passed += 1,
                Status::Failed => t.failed += 1,
                Status::Skipped => t.skipped += 1,
                Status::Errored => t.errored += 1,
            }
            t.steps += c
                .steps
                .iter()
                .filter(|s| s.status != Status::Skipped)
                .count();
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(status: Status) -> Step {
        Step {
            status,
            ..Step::new("GET /x")
        }
    }

    #[test]
    fn case_status_orders_errored_failed_skipped_passed() {
        let case = |steps: Vec<Step>| Case {
            steps,
            ..Case::default()
        };
        assert_eq!(
            case(vec![step(Status::Passed), step(Status::Failed)]).status(),
            Status::Failed
        );
        assert_eq!(
            case(vec![step(Status::Failed), step(Status::Errored)]).status(),
            Status::Errored
        );
        assert_eq!(case(vec![step(Status::Skipped)]).status(), Status::Skipped);
        assert_eq!(
            case(vec![step(Status::Skipped), step(Status::Passed)]).status(),
            Status::Passed
        );
        let broken = Case {
            error: Some("include not found".into()),
            ..Case::default()
        };
        assert_eq!(broken.status(), Status::Errored);
    }

    #[test]
    fn totals_count_cases_and_steps_run() {
        let run = Run {
            cases: vec![
                Case {
                    steps: vec![step(Status::Passed), step(Status::Skipped)],
                    ..Case::default()
                },
                Case {
                    steps: vec![step(Status::Failed)],
                    ..Case::default()
                },
            ],
            ..Run::default()
        };
        let t = run.totals();
        assert_eq!((t.passed, t.failed, t.steps), (1, 1, 2));
    }
}
