//! Exit codes, as hurl has them.

use cartwright_outcome::{Run, Status};

/// Every case passed or was skipped.
pub const PASSED: i32 = 0;
/// An assertion or check failed.
pub const FAILED: i32 = 1;
/// A scenario or spec is invalid (decided by the caller before anything runs).
pub const INVALID: i32 = 2;
/// The target was unreachable, or I/O failed.
pub const RUNTIME: i32 = 3;

/// The exit code for a finished run: a runtime error outranks a failure.
pub fn exit_code(run: &Run) -> i32 {
    let statuses: Vec<Status> = run.cases.iter().map(|c| c.status()).collect();
    if statuses.contains(&Status::Errored) {
        RUNTIME
    } else if statuses.contains(&Status::Failed) {
        FAILED
    } else {
        PASSED
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwright_outcome::{Case, Step};

    fn run(statuses: &[Status]) -> Run {
        Run {
            cases: statuses
                .iter()
                .map(|s| Case {
                    steps: vec![Step {
                        status: *s,
                        ..Step::new("s")
                    }],
                    ..Case::default()
                })
                .collect(),
            ..Run::default()
        }
    }

    #[test]
    fn codes_for_each_combination() {
        assert_eq!(exit_code(&run(&[])), PASSED);
        assert_eq!(exit_code(&run(&[Status::Passed, Status::Skipped])), PASSED);
        assert_eq!(exit_code(&run(&[Status::Passed, Status::Failed])), FAILED);
        assert_eq!(exit_code(&run(&[Status::Failed, Status::Errored])), RUNTIME);
    }
}
