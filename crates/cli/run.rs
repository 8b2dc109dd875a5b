//! `cartwright run`: scenarios against a target, with progress, reports and exit codes
//! (0 passed, 1 assertion failures, 2 invalid scenario or spec, 3 target unreachable or I/O).

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use cartwright_report::Exit;

use cartwright_diag::{Diagnostic, Sources};
use cartwright_scenario::send::Masker;
use cartwright_scenario::snapshot::Mode;
use cartwright_scenario::{Options, lint};
use serde_json::{Map, Value};

use crate::load::print;
use crate::scenarios;

/// Arguments of `cartwright run`.
#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Scenario files or folders (`scenarios/` runs everything; `_name.yaml` files are
    /// flows for `include` and are not run on their own).
    #[arg(required = true, value_name = "SCENARIO")]
    files: Vec<PathBuf>,
    /// The server to test (`http://127.0.0.1:4010`); a path in it replaces the spec's base path.
    #[arg(long, env = "CARTWRIGHT_TARGET", value_name = "URL", value_parser = crate::load::target_url)]
    target: Option<String>,
    /// The spec every scenario is checked against (default: `specs/<folder>.yaml`).
    #[arg(long, value_name = "SPEC")]
    spec: Option<PathBuf>,
    /// A YAML file of variables (and optionally `target`).
    #[arg(long, value_name = "FILE")]
    env: Option<PathBuf>,
    /// Run only scenarios with one of these tags; `!TAG` leaves out those that have it.
    #[arg(long, value_delimiter = ',', value_name = "TAG")]
    tags: Vec<String>,
    /// Scenarios run at once.
    #[arg(long, default_value_t = 4, value_name = "N")]
    jobs: usize,
    /// A secret variable, NAME=VALUE (repeatable): usable as `{{ NAME }}`, masked everywhere.
    #[arg(long = "secret", value_name = "NAME=VALUE", value_parser = crate::mock::parse_secret)]
    secrets: Vec<(String, String)>,
    /// Write a JUnit XML report.
    #[arg(long, value_name = "FILE")]
    report_junit: Option<PathBuf>,
    /// Write a JSON report.
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
    /// Accept new and changed snapshots (ignored when CI=true: nothing is written on CI).
    #[arg(long)]
    update_snapshots: bool,
    /// Longest wait for one answer, in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
    /// The cartwright mock's admin token, sent on its admin calls (`/__cartwright/*`) as
    /// `Authorization: Bearer`; never shown.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "CARTWRIGHT_ADMIN_TOKEN",
        hide_env_values = true
    )]
    admin_token: Option<String>,
    /// The most bytes of one answer's body read; a larger answer fails its step.
    #[arg(long, default_value_t = cartwright_http::MAX_BODY, value_name = "BYTES")]
    max_response_bytes: usize,
    #[command(flatten)]
    bounds: ScenarioBounds,
}

/// The bound on scenario files, shared by `run` and `lint`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ScenarioBounds {
    /// The most bytes read from one scenario or included file.
    #[arg(long, default_value_t = cartwright_source::DEFAULT_MAX_FILE_BYTES, value_name = "BYTES")]
    pub(crate) max_scenario_bytes: u64,
}

/// Runs the scenarios.
pub(crate) fn run(args: RunArgs) -> ExitCode {
    let mut sources = Sources::new();
    let mut errs: Vec<Diagnostic> = Vec::new();
    let (mut vars, env_target) = match environment(args.env.as_ref()) {
        Ok(v) => v,
        Err(d) => {
            print(&[d], &sources);
            return Exit::Invalid.into();
        }
    };
    let mut masker = Masker::default();
    if let Some(t) = &args.admin_token {
        masker.add(t);
    }
    for (k, v) in &args.secrets {
        masker.add(v);
        vars.insert(k.clone(), Value::from(v.as_str()));
    }
    let files = scenarios::files(&args.files);
    let inputs = scenarios::Inputs {
        given: &args.files,
        max_bytes: args.bounds.max_scenario_bytes,
    };
    let mut loaded = scenarios::load(
        &files,
        &inputs,
        args.spec.as_deref(),
        &mut sources,
        &mut errs,
    );
    let known: BTreeSet<String> = vars.keys().cloned().collect();
    for l in &loaded {
        errs.extend(lint(l, &known, &sources));
    }
    if errs.iter().any(Diagnostic::is_error) {
        print(&errs, &sources);
        let why = cartwright_diag::render_all(&errs, &sources, false);
        let run = crate::reports::invalid(&shown(&args.files), &why);
        return crate::reports::write(args.report_junit.as_ref(), args.report_json.as_ref(), &run)
            .err()
            .unwrap_or(Exit::Invalid)
            .into();
    }
    let (without, with): (Vec<&str>, Vec<&str>) = args
        .tags
        .iter()
        .map(String::as_str)
        .partition(|t| t.starts_with('!'));
    loaded.retain(|l| {
        let has = |t: &str| l.scenario.tags.iter().any(|x| x == t);
        (with.is_empty() || with.iter().any(|t| has(t))) && !without.iter().any(|t| has(&t[1..]))
    });
    if loaded.is_empty() {
        // A CI job that tests nothing must not pass.
        if args.tags.is_empty() {
            eprintln!("error: no scenario to run in {}", shown(&args.files));
        } else {
            eprintln!(
                "error: no scenario to run: --tags {} matches none of the scenarios in {}",
                args.tags.join(", "),
                shown(&args.files)
            );
        }
        return Exit::Invalid.into();
    }
    let Some(target) = args.target.or(env_target) else {
        eprintln!("error: no target: give --target URL, CARTWRIGHT_TARGET, or `target:` in --env");
        return Exit::Invalid.into();
    };
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let opts = Options {
        target,
        vars,
        masker,
        snapshots: match (ci, args.update_snapshots) {
            (true, _) => Mode::Locked,
            (false, true) => Mode::Update,
            (false, false) => Mode::Review,
        },
        snapshot_root: scenarios::snapshot_root(&files),
        jobs: args.jobs,
        timeout: Duration::from_secs(args.timeout),
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
        max_response_bytes: args.max_response_bytes,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return Exit::Runtime.into();
        }
    };
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Progress goes to stderr as cases end. When stdout shows on the same screen, the report
    // leaves out its line per case rather than print each scenario twice.
    let one_screen = std::io::stderr().is_terminal() && std::io::stdout().is_terminal();
    let result = runtime.block_on(cartwright_scenario::run(loaded, &opts, |case| {
        eprintln!(
            "{}",
            cartwright_report::case_line(case, colour && one_screen)
        );
    }));
    if one_screen {
        crate::out::outln!("{}", cartwright_report::details(&result, colour));
    } else {
        crate::out::outln!("{}", cartwright_report::terminal(&result, colour));
    }
    if let Err(e) = crate::reports::write(
        args.report_junit.as_ref(),
        args.report_json.as_ref(),
        &result,
    ) {
        return e.into();
    }
    cartwright_report::exit_code(&result).into()
}

/// Variables from an `--env` file, then `CARTWRIGHT_VAR_<name>`; and the file's `target`.
fn environment(file: Option<&PathBuf>) -> Result<(Map<String, Value>, Option<String>), Diagnostic> {
    let mut vars = Map::new();
    let mut target = None;
    if let Some(f) = file {
        let mut sources = Sources::new();
        // Bounded and regular files only, as scenarios are.
        let text = cartwright_source::Reader::new()
            .text(f)
            .map_err(|e| e.to_diagnostic())?;
        let doc = cartwright_source::parse(&f.display().to_string(), text, &mut sources)?;
        let Value::Object(m) = doc.value else {
            return Err(Diagnostic::error(
                "env-shape",
                format!("{}: an environment is a mapping of variables", f.display()),
            ));
        };
        for (k, v) in m {
            if k == "target" {
                target = v.as_str().map(str::to_owned);
            } else {
                vars.insert(k, v);
            }
        }
    }
    for (k, v) in std::env::vars() {
        if let Some(name) = k.strip_prefix("CARTWRIGHT_VAR_") {
            vars.insert(name.to_owned(), Value::from(v));
        }
    }
    Ok((vars, target))
}

/// Lints scenario files (for `cartwright lint`): the number of errors.
pub(crate) fn lint_scenarios(
    files: &[PathBuf],
    inputs: &scenarios::Inputs<'_>,
    spec: Option<&std::path::Path>,
) -> usize {
    let mut sources = Sources::new();
    let mut errs = Vec::new();
    let loaded = scenarios::load(files, inputs, spec, &mut sources, &mut errs);
    let known: BTreeSet<String> = std::env::vars()
        .filter_map(|(k, _)| k.strip_prefix("CARTWRIGHT_VAR_").map(str::to_owned))
        .collect();
    for l in &loaded {
        let found = lint(l, &known, &sources);
        if found.is_empty() {
            crate::out::outln!("{}: ok", l.file.display());
        }
        errs.extend(found);
    }
    print(&errs, &sources);
    errs.iter().filter(|d| d.is_error()).count()
}

/// The paths given, for a message.
fn shown(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
