//! The report files of `run` and `verify` (`--report-junit`, `--report-json`), written for
//! every ending, an invalid input included: a CI dashboard that reads the JUnit file must show
//! why nothing ran, not an empty page.

use std::path::PathBuf;

use cartwright_outcome::{Case, Run};
use cartwright_report::Exit;

/// Writes the requested report files of a run; an unwritable path is a runtime error.
pub(crate) fn write(
    junit: Option<&PathBuf>,
    json: Option<&PathBuf>,
    run: &Run,
) -> Result<(), Exit> {
    for (path, text) in [
        (junit, cartwright_report::junit(run)),
        (json, cartwright_report::json(run)),
    ] {
        if let Some(p) = path
            && let Err(e) = std::fs::write(p, text)
        {
            eprintln!("error: cannot write {}: {e}", p.display());
            return Err(Exit::Runtime);
        }
    }
    Ok(())
}

/// A run of one errored case saying why the input could not be used: `what` names it (the
/// spec or scenario files), `why` is the plain-text diagnostics.
pub(crate) fn invalid(what: &str, why: &str) -> Run {
    Run {
        name: "cartwright".into(),
        cases: vec![Case {
            name: format!("load {what}"),
            suite: "invalid input".into(),
            error: Some(why.to_owned()),
            ..Case::default()
        }],
        ..Run::default()
    }
}
