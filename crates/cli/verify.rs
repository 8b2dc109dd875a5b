//! `cartwright verify`: requests built from the spec against an implementation, judged by
//! named checks; reports and exit codes as `cartwright run`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use cartwright_report::Exit;

use crate::SpecArgs;
use crate::load::load_all;

/// Arguments of `cartwright verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    spec: SpecArgs,
    /// The implementation to verify (`http://127.0.0.1:8080`); the spec's base path is added.
    #[arg(long, env = "CARTWRIGHT_TARGET", value_name = "URL", value_parser = crate::load::target_url)]
    target: String,
    /// Checks to run, by name, or `all`; the default leaves out `positive_data_acceptance`.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "default",
        value_name = "CHECKS"
    )]
    checks: Vec<String>,
    /// Only these operations: operationId, tag or path (repeatable).
    #[arg(long, value_name = "OPERATION")]
    include: Vec<String>,
    /// Seed of generated values: the same seed sends the same requests.
    #[arg(long, default_value_t = 0, value_name = "N")]
    seed: u64,
    /// Generated requests per operation, in each of the valid and invalid runs.
    #[arg(long, default_value_t = 25, value_name = "N")]
    max_examples: u32,
    /// Credentials: `SCHEME=VALUE` for a security scheme of the spec, or `bearer=TOKEN`,
    /// `basic=USER:PASSWORD`, `header=NAME:VALUE` (repeatable; a header no scheme declares
    /// is sent on every request).
    #[arg(long, value_name = "NAME=VALUE")]
    auth: Vec<String>,
    /// A header sent on every request, `'Name: value'` as curl takes it (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// A value never written to a failure scenario (repeatable); `--auth` and `-H` values
    /// never are either.
    #[arg(long = "secret", value_name = "VALUE")]
    secrets: Vec<String>,
    /// The cartwright mock's admin token, sent on its admin calls (`/__cartwright/*`) as
    /// `Authorization: Bearer`; never shown.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "CARTWRIGHT_ADMIN_TOKEN",
        hide_env_values = true
    )]
    admin_token: Option<String>,
    /// Seconds to wait for a whole answer before the request counts as unanswered.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    request_timeout: u64,
    /// The most bytes of an answer's body read; a longer body is an error.
    #[arg(long, default_value_t = 10 * 1024 * 1024, value_name = "BYTES")]
    max_response_bytes: usize,
    /// Fail (exit 1) when fewer than this share of the operations got a 2xx answer.
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    require_reached: Option<f64>,
    /// Operations verified at once.
    #[arg(long, default_value_t = 2, value_name = "N")]
    jobs: usize,
    /// Answers slower than this fail `max_response_time` (milliseconds).
    #[arg(long, value_name = "MS")]
    max_response_time: Option<u64>,
    /// How long the target's tokens live (`90s`, `15m`): `token_expiry` waits this long
    /// against a server other than the mock, which moves its clock instead. No seed gives a
    /// lifetime, so without it the check has nothing to probe there.
    #[arg(long, value_name = "DURATION", value_parser = seconds)]
    token_lifetime: Option<u64>,
    /// The longest `token_expiry` waits for a token to expire for real; a longer
    /// `--token-lifetime` is reported as nothing to probe instead of waited for.
    #[arg(long, default_value = "60s", value_name = "DURATION", value_parser = seconds)]
    max_wait: u64,
    /// Write each failure as a scenario that `cartwright run` replays.
    #[arg(long, value_name = "DIR")]
    write_failures: Option<PathBuf>,
    /// Write a JUnit XML report.
    #[arg(long, value_name = "FILE")]
    report_junit: Option<PathBuf>,
    /// Write a JSON report.
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
}

/// Runs the verification.
pub(crate) fn run(args: &VerifyArgs) -> ExitCode {
    let checks = match cartwright_verify::checks::select(&args.checks) {
        Ok(c) => c,
        Err(c) => {
            let known = cartwright_verify::checks::ALL.iter().map(|k| k.as_str());
            let near = cartwright_diag::did_you_mean(&c, known.clone());
            eprintln!(
                "error: unknown check `{c}`{}; known: {}",
                near.map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default(),
                known.collect::<Vec<_>>().join(", ")
            );
            return Exit::Invalid.into();
        }
    };
    let apis = match load_all(&args.spec, true) {
        Ok(apis) => apis,
        Err(why) => {
            let what = args.spec.specs.iter().map(|p| p.display().to_string());
            let run = crate::reports::invalid(&what.collect::<Vec<_>>().join(", "), &why);
            let files = (args.report_junit.as_ref(), args.report_json.as_ref());
            return crate::reports::write(files.0, files.1, &run)
                .err()
                .unwrap_or(Exit::Invalid)
                .into();
        }
    };
    // A CI job that verifies nothing must not pass.
    let selected: usize = apis
        .iter()
        .map(|api| {
            api.operations
                .iter()
                .filter(|op| cartwright_verify::included(op, &args.include))
                .count()
        })
        .sum();
    if selected == 0 {
        eprintln!(
            "error: nothing to verify: --include {} matches no operation (by operationId, path or tag)",
            args.include.join(", ")
        );
        return Exit::Invalid.into();
    }
    let opts = cartwright_verify::Options {
        target: args.target.clone(),
        checks,
        include: args.include.clone(),
        seed: args.seed,
        max_examples: args.max_examples,
        auth: args.auth.clone(),
        headers: args.headers.clone(),
        secrets: args.secrets.clone(),
        request_timeout_secs: args.request_timeout,
        max_response_bytes: args.max_response_bytes,
        progress: true,
        jobs: args.jobs,
        max_response_time_ms: args.max_response_time,
        token_lifetime_secs: args.token_lifetime,
        max_wait_secs: args.max_wait,
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
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
    let mut run = cartwright_outcome::Run::default();
    let mut failures = Vec::new();
    for api in &apis {
        let creds = match cartwright_verify::credentials::Credentials::parse(&opts.auth) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Invalid.into();
            }
        };
        if let Some(name) = creds.unknown(api).first() {
            let schemes = api.security_schemes.iter().map(|(n, _)| n.as_str());
            let near = cartwright_diag::did_you_mean(name, schemes);
            eprintln!(
                "error: --auth `{name}` is not a security scheme of {}{}",
                api.source,
                near.map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default()
            );
            return Exit::Invalid.into();
        }
        if let Err(e) = creds.check(api) {
            eprintln!("error: {e}");
            return Exit::Invalid.into();
        }
        if let Some(h) = opts
            .headers
            .iter()
            .find(|h| cartwright_verify::credentials::header(h).is_none())
        {
            eprintln!(
                "error: {}",
                cartwright_verify::VerifyError::Header(h.clone())
            );
            return Exit::Invalid.into();
        }
        let one = runtime.block_on(cartwright_verify::verify(api, &opts));
        run.name = one.run.name;
        run.target = one.run.target;
        run.duration_ms += one.run.duration_ms;
        run.cases.extend(one.run.cases);
        merge(&mut run.coverage, one.run.coverage);
        failures.extend(one.failures);
    }
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    crate::out::outln!("{}", cartwright_report::terminal(&run, colour));
    if let Err(e) =
        crate::reports::write(args.report_junit.as_ref(), args.report_json.as_ref(), &run)
    {
        return e.into();
    }
    if let Some(dir) = &args.write_failures {
        match cartwright_verify::replay::write(dir, &failures) {
            Ok(written) if !written.is_empty() => eprintln!(
                "{} failure scenario(s) in {}; replay with: cartwright run {} --spec {} --target {}",
                written.len(),
                dir.display(),
                dir.display(),
                apis.first().map_or("SPEC", |a| a.source.as_str()),
                args.target
            ),
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: cannot write failures to {}: {e}", dir.display());
                return Exit::Runtime.into();
            }
        }
    }
    let code = cartwright_report::exit_code(&run);
    if let (Some(need), Some(c)) = (args.require_reached, &run.coverage)
        && c.percent() < need
    {
        eprintln!(
            "error: {:.0}% of the operations reached a 2xx answer ({} of {}); --require-reached asks for {need}%",
            c.percent(),
            c.reached(),
            c.operations.len()
        );
        // A run that errored keeps its exit 3; one that passed now fails.
        if code == Exit::Passed {
            return Exit::Failed.into();
        }
    }
    code.into()
}

/// Adds one spec's coverage to the run's.
fn merge(
    into: &mut Option<cartwright_outcome::Coverage>,
    one: Option<cartwright_outcome::Coverage>,
) {
    let Some(one) = one else { return };
    let all = into.get_or_insert_with(Default::default);
    all.operations.extend(one.operations);
    all.sessions_missing.extend(one.sessions_missing);
    all.nothing_to_probe.extend(one.nothing_to_probe);
}

/// A percentage from 0 to 100.
fn percent(s: &str) -> Result<f64, String> {
    let p: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{p} is not between 0 and 100"))
    }
}

/// A duration flag (`90s`, `15m`, `1h`, or bare seconds) in whole seconds.
fn seconds(text: &str) -> Result<u64, String> {
    let ms = cartwright_model::duration_ms(text, cartwright_model::Bare::Seconds)
        .map_err(|e| e.to_string())?;
    u64::try_from(ms / 1000).map_err(|_| format!("`{text}` is negative"))
}
