//! `cartwright lint`: every finding of every spec, exit 2 when any is an error.

use std::process::ExitCode;

use cartwright_report::Exit;

use cartwright_diag::Sources;
use cartwright_spec::LoadOptions;

use crate::SpecArgs;
use crate::load::{overlay_for, print};

/// Arguments of `cartwright lint`.
#[derive(Debug, clap::Args)]
pub(crate) struct LintArgs {
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
    #[command(flatten)]
    bounds: crate::run::ScenarioBounds,
}

/// Runs the lint.
pub(crate) fn run(args: &LintArgs) -> ExitCode {
    // Folders are walked first, so `cartwright lint specs/` lints the specs in it as specs
    // and leaves overlays to the spec they are found beside.
    let (schemas, files): (Vec<_>, Vec<_>) = crate::scenarios::files(&args.spec.specs)
        .into_iter()
        .filter(|p| !crate::scenarios::is_overlay(p))
        .partition(|p| cartwright_graphql::is_schema_path(p));
    let (specs, others): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|p| crate::scenarios::is_spec(p));
    if schemas.is_empty() && specs.is_empty() && others.is_empty() {
        eprintln!("error: nothing to lint: no spec, schema or scenario in the paths given");
        return Exit::Invalid.into();
    }
    let mut errors = 0;
    for schema in &schemas {
        errors += usize::from(!lint_graphql(schema));
    }
    if !others.is_empty() {
        let inputs = crate::scenarios::Inputs {
            given: &args.spec.specs,
            max_bytes: args.bounds.max_scenario_bytes,
        };
        errors += crate::run::lint_scenarios(&others, &inputs, args.against.as_deref());
    }
    for (i, spec) in specs.iter().enumerate() {
        let mut sources = Sources::new();
        let options = LoadOptions {
            overlay: overlay_for(&args.spec, i, spec),
            lenient: true,
            allow_ref_outside: args.spec.allow_ref_outside,
            max_file_bytes: Some(args.spec.max_spec_bytes),
        };
        let diags = cartwright_spec::lint(spec, &options, &mut sources);
        errors += diags.iter().filter(|d| d.is_error()).count();
        if diags.is_empty() {
            crate::out::outln!("{}: ok", spec.display());
        }
        print(&diags, &sources);
        if args.resources
            && let Ok(loaded) = cartwright_spec::load(spec, &options, &mut Sources::new())
        {
            crate::out::out!("{}", crate::load::resource_map(&loaded.api));
        }
    }
    if errors > 0 {
        Exit::Invalid.into()
    } else {
        Exit::Passed.into()
    }
}

/// Loads a GraphQL schema as the mock would; whether it loads (the error is printed).
fn lint_graphql(path: &std::path::Path) -> bool {
    let name = path.display().to_string();
    // Bounded like every other file read: a schema path may name a device or a huge file.
    let loaded = cartwright_source::Reader::new()
        .text(path)
        .map_err(|e| e.to_string())
        .and_then(|sdl| {
            cartwright_graphql::GraphqlMock::new(&name, &sdl, None, Default::default())
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
    match loaded {
        Ok(()) => {
            crate::out::outln!("{name}: ok");
            true
        }
        Err(e) => {
            eprintln!("error: {e}");
            false
        }
    }
}
