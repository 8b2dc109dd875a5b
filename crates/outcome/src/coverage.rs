//! What a verification actually exercised: for each operation, whether any request reached
//! a 2xx answer, the statuses seen, and when none did, why. A run can pass every check and
//! still have tested nothing (every request refused for want of credentials); this is what
//! makes that visible in every report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The coverage of one verification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// One entry per operation verified, in the spec's order.
    pub operations: Vec<Operation>,
    /// Session kinds the spec declares that no request obtained, with why it matters.
    pub sessions_missing: Vec<Note>,
    /// Checks that found nothing on the spec to probe (no secured operation, say).
    pub nothing_to_probe: Vec<Note>,
}

/// The coverage of one operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Its operationId.
    pub id: String,
    /// `METHOD /path`.
    pub signature: String,
    /// Whether some request got a 2xx answer.
    pub reached: bool,
    /// How many answers of each status (`"200"`), and `"no answer"` for requests that got
    /// none.
    pub statuses: BTreeMap<String, u32>,
    /// Why it was not reached (`None` when it was).
    pub reason: Option<Unreached>,
}

/// Why no request to an operation reached a 2xx answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unreached {
    /// Answers were 401/403: the credentials are missing or wrong.
    Credentials,
    /// Answers were 404: the ids sent name nothing on the target.
    Ids,
    /// Answers were 400/422: the data sent was refused.
    Data,
    /// Answers were 5xx.
    ServerError,
    /// No request got an answer (refused connection, timeout).
    NoAnswer,
    /// No request was sent to it at all.
    NotSent,
    /// Answers of other statuses (3xx, 405, 409…).
    Other,
}

impl Unreached {
    /// The reason in words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Unreached::Credentials => "credentials (answers 401/403)",
            Unreached::Ids => "ids (answers 404)",
            Unreached::Data => "data (answers 400/422)",
            Unreached::ServerError => "server error (answers 5xx)",
            Unreached::NoAnswer => "no answer",
            Unreached::NotSent => "no request sent",
            Unreached::Other => "no 2xx answer",
        }
    }

    /// The reason for a tally of statuses without a 2xx. The first of credentials, ids,
    /// data, server error that any answer shows wins: a server checks credentials before
    /// it looks up an id, and an id before the data, so the earliest gate is the one to fix.
    pub fn of(statuses: &BTreeMap<String, u32>) -> Unreached {
        let any = |f: &dyn Fn(u16) -> bool| statuses.keys().any(|k| k.parse::<u16>().is_ok_and(f));
        if statuses.is_empty() {
            Unreached::NotSent
        } else if any(&|s| s == 401 || s == 403) {
            Unreached::Credentials
        } else if any(&|s| s == 404) {
            Unreached::Ids
        } else if any(&|s| s == 400 || s == 422) {
            Unreached::Data
        } else if any(&|s| s >= 500) {
            Unreached::ServerError
        } else if statuses.keys().all(|k| k.parse::<u16>().is_err()) {
            Unreached::NoAnswer
        } else {
            Unreached::Other
        }
    }
}

/// Something the report points out, with why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// What it is about (a session kind, a check's name).
    pub name: String,
    /// Why.
    pub why: String,
}

impl Coverage {
    /// Operations reached.
    pub fn reached(&self) -> usize {
        self.operations.iter().filter(|o| o.reached).count()
    }

    /// The share of operations reached, in percent (100 when there are none).
    pub fn percent(&self) -> f64 {
        if self.operations.is_empty() {
            return 100.0;
        }
        // Operation counts fit a u32, whose every value an f64 holds exactly.
        let exact = |n: usize| f64::from(u32::try_from(n).unwrap_or(u32::MAX));
        exact(self.reached()) / exact(self.operations.len()) * 100.0
    }

    /// The operations not reached.
    pub fn unreached(&self) -> impl Iterator<Item = &Operation> {
        self.operations.iter().filter(|o| !o.reached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn the_earliest_gate_is_the_reason() {
        assert_eq!(
            Unreached::of(&tally(&[("401", 3), ("422", 9)])),
            Unreached::Credentials
        );
        assert_eq!(
            Unreached::of(&tally(&[("404", 1), ("422", 2)])),
            Unreached::Ids
        );
        assert_eq!(Unreached::of(&tally(&[("422", 2)])), Unreached::Data);
        assert_eq!(Unreached::of(&tally(&[("503", 2)])), Unreached::ServerError);
        assert_eq!(
            Unreached::of(&tally(&[("no answer", 2)])),
            Unreached::NoAnswer
        );
        assert_eq!(Unreached::of(&tally(&[("409", 1)])), Unreached::Other);
        assert_eq!(Unreached::of(&BTreeMap::new()), Unreached::NotSent);
    }

    #[test]
    fn percent_counts_reached_operations() {
        let op = |reached| Operation {
            reached,
            ..Operation::default()
        };
        let c = Coverage {
            operations: vec![op(true), op(false), op(true), op(true)],
            ..Coverage::default()
        };
        assert_eq!(c.reached(), 3);
        assert!((c.percent() - 75.0).abs() < 1e-9);
        assert_eq!(c.unreached().count(), 1);
    }
}
