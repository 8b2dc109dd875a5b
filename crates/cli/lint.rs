//! `cartwright lint`: every finding of every spec, exit 2 when any is an error.

use std::process::ExitCode;

use cartwright_diag::Sources;
use cartwright_spec::LoadOptions;

use crate::SpecArgs;
use crate::load::{overlay_for, print};

/// Arguments of `cartwright lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    #[command(flatten)]
    spec: SpecArgs,
}

/// Runs the lint.
pub fn run(args: &LintArgs) -> ExitCode {
    let mut errors = 0;
    for (i, spec) in args.spec.specs.iter().enumerate() {
        let mut sources = Sources::new();
        let options = LoadOptions {
            overlay: overlay_for(&args.spec, i, spec),
            lenient: true,
        };
        let diags = cartwright_spec::lint(spec, &options, &mut sources);
        errors += diags.iter().filter(|d| d.is_error()).count();
        if diags.is_empty() {
            println!("{}: ok", spec.display());
        }
        print(&diags, &sources);
    }
    if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
