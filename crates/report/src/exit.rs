//! The process exit code for a run, with the same meanings as hurl's so that scripts and CI
//! jobs written for one read the other:
//!
//! | code | variant            | meaning                                                        |
//! |------|--------------------|----------------------------------------------------------------|
//! | 0    | [`Exit::Passed`]   | every case passed or was skipped                               |
//! | 1    | [`Exit::Failed`]   | a check failed, and nothing errored                            |
//! | 2    | [`Exit::Invalid`]  | input is invalid (spec, scenario, usage); decided pre-run      |
//! | 3    | [`Exit::Runtime`]  | a case could not go on: unreachable target, I/O, or a name undefined at run time |
//!
//! Every command of the binary exits through this type, so a code means one thing everywhere.

use cartwright_outcome::{Run, Status};

/// How a command ended, as a process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Every case passed or was skipped.
    Passed = 0,
    /// A check failed, and no case errored.
    Failed = 1,
    /// The input is invalid: a scenario, a spec, a selection of nothing, a bad argument. A
    /// run never yields it: the caller decides it while loading, before anything is sent.
    Invalid = 2,
    /// A case errored: the target was unreachable, or I/O failed.
    Runtime = 3,
}

impl Exit {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}

/// The exit code for a finished run: [`Exit::Runtime`] if any case errored, else
/// [`Exit::Failed`] if any failed, else [`Exit::Passed`].
///
/// An error outranks a failure because failures found while the target was going away say
/// little about the API; the operator should look at the target first.
pub fn exit_code(run: &Run) -> Exit {
    let mut code = Exit::Passed;
    for c in &run.cases {
        match c.status() {
            Status::Errored => return Exit::Runtime,
            Status::Failed => code = Exit::Failed,
            Status::Passed | Status::Skipped => {}
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, case, step};
    use Exit::{Failed as FAILED, Invalid as INVALID, Passed as PASSED, Runtime as RUNTIME};
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
        assert_eq!(codes.map(Exit::code), [0, 1, 2, 3]);
    }
}
