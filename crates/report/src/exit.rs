//! The process exit code for a run, with the same meanings as hurl's so that scripts and CI
//! jobs written for one read the other:
//!
//! | code | constant    | meaning                                                        |
//! |------|-------------|----------------------------------------------------------------|
//! | 0    | [`PASSED`]  | every case passed or was skipped                               |
//! | 1    | [`FAILED`]  | a check failed, and nothing errored                            |
//! | 2    | [`INVALID`] | a scenario or spec is invalid; decided by the caller, pre-run  |
//! | 3    | [`RUNTIME`] | a case could not go on: the target was unreachable, or I/O     |

use cartwright_outcome::{Run, Status};

/// Every case passed or was skipped.
pub const PASSED: i32 = 0;
/// A check failed, and no case errored.
pub const FAILED: i32 = 1;
/// A scenario or spec is invalid. A run never yields it: the caller decides it while
/// loading, before anything is sent.
pub const INVALID: i32 = 2;
/// A case errored: the target was unreachable, or I/O failed.
pub const RUNTIME: i32 = 3;

/// The exit code for a finished run: [`RUNTIME`] if any case errored, else [`FAILED`] if any
/// failed, else [`PASSED`].
///
/// An error outranks a failure because failures found while the target was going away say
/// little about the API; the operator should look at the target first.
pub fn exit_code(run: &Run) -> i32 {
    let mut code = PASSED;
    for c in &run.cases {
        match c.status() {
            Status::Errored => return RUNTIME,
            Status::Failed => code = FAILED,
            Status::Passed | Status::Skipped => {}
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, case, step};
    use cartwright_outcome::Case;

    /// A run with one single-step case per status.
    fn run(statuses: &[Status]) -> Run {
        Run {
            cases: statuses
                .iter()
                .map(|s| case("s", "c", None, vec![step("GET /", *s, 1)]))
                .collect(),
            ..Run::default()
        }
    }

    #[test]
    fn nothing_run_is_not_a_failure() {
        assert_eq!(exit_code(&run(&[])), PASSED);
    }

    #[test]
    fn passed_and_skipped_exit_0() {
        assert_eq!(exit_code(&run(&[Status::Passed])), PASSED);
        assert_eq!(exit_code(&run(&[Status::Skipped])), PASSED);
        assert_eq!(exit_code(&run(&[Status::Passed, Status::Skipped])), PASSED);
    }

    #[test]
    fn a_failure_exits_1() {
        assert_eq!(exit_code(&run(&[Status::Failed])), FAILED);
        assert_eq!(
            exit_code(&run(&[Status::Passed, Status::Failed, Status::Skipped])),
            FAILED
        );
    }

    #[test]
    fn an_error_exits_3_whatever_else_happened() {
        assert_eq!(exit_code(&run(&[Status::Errored])), RUNTIME);
        assert_eq!(exit_code(&run(&[Status::Failed, Status::Errored])), RUNTIME);
        assert_eq!(exit_code(&run(&[Status::Errored, Status::Failed])), RUNTIME);
        assert_eq!(
            exit_code(&run(&[Status::Passed, Status::Skipped, Status::Errored])),
            RUNTIME
        );
        assert_eq!(exit_code(&fixture::run()), RUNTIME);
    }

    #[test]
    fn a_case_that_could_not_start_is_an_error() {
        let broken = Run {
            cases: vec![Case {
                error: Some("include not found".into()),
                ..Case::default()
            }],
            ..Run::default()
        };
        assert_eq!(exit_code(&broken), RUNTIME);
    }

    #[test]
    fn codes_are_distinct_and_fit_a_process_status() {
        let codes = [PASSED, FAILED, INVALID, RUNTIME];
        assert_eq!(codes, [0, 1, 2, 3]);
        assert!(codes.iter().all(|c| u8::try_from(*c).is_ok()));
    }
}
