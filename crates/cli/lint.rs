//! `cartwright lint`: every finding of every spec, exit 2 when any is an error.

use std::process::ExitCode;

use cartwright_diag::Sources;
use cartwright_spec::LoadOptions;

use crate::SpecArgs;
use crate::load::{overlay_for, print};

/// Arguments of `cartwright lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// OpenAPI documents, scenario files, or folders of scenarios.
    #[command(flatten)]
    spec: SpecArgs,
    /// The spec scenarios are checked against (default: `specs/<folder>.yaml`).
    #[arg(long = "spec", value_name = "SPEC")]
    against: Option<std::path::PathBuf>,
    /// Also print the resources inferred from each spec: collections, their operations,
    /// id places, parent arrays and session carriers.
    #[arg(long)]
    resources: bool,
}

/// Runs the lint.
pub fn run(args: &LintArgs) -> ExitCode {
    let (specs, others): (Vec<_>, Vec<_>) = args
        .spec
        .specs
        .iter()
        .cloned()
        .partition(|p| p.is_file() && crate::scenarios::is_spec(p));
    let mut errors = 0;
    if !others.is_empty() {
        let files = crate::scenarios::files(&others);
        errors += crate::run::lint_scenarios(&files, args.against.as_deref());
    }
    for (i, spec) in specs.iter().enumerate() {
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
        if args.resources
            && let Ok(loaded) = cartwright_spec::load(spec, &options, &mut Sources::new())
        {
            print!("{}", crate::load::resource_map(&loaded.api));
        }
    }
    if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
