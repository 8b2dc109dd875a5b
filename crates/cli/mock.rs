//! `cartwright mock`: serve specs on a port, with a route table, request logs and `--watch`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use cartwright_report::Exit;

use cartwright_mock::{Config, ErrorStyle, Mock};
use cartwright_model::Api;

use crate::SpecArgs;
use crate::load::load_all;

/// Arguments of `cartwright mock`.
#[derive(Debug, clap::Args)]
pub(crate) struct MockArgs {
    #[command(flatten)]
    spec: SpecArgs,
    /// Port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 4010)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Seed for generated values: the same seed gives the same data (tokens and one-time
    /// codes are credentials, and stay random).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Reload the specs when their content changes (once per save); a broken edit keeps the
    /// running version.
    #[arg(long)]
    watch: bool,
    /// Print neither the route table nor a line per request.
    #[arg(long, short)]
    quiet: bool,
    /// Allowed browser origins (repeatable); others get 401. Without it, origins are not checked.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origins: Vec<String>,
    /// The correlation header echoed on every response.
    #[arg(long, default_value = "X-Correlation-ID", value_name = "NAME")]
    correlation_header: String,
    /// Render errors as problem+json, or in the API's own declared error shape where it has one.
    #[arg(long, value_enum, default_value_t = ErrorsArg::Problem)]
    errors: ErrorsArg,
    /// Largest accepted request body, in bytes.
    #[arg(long, default_value_t = 1024 * 1024, value_name = "BYTES")]
    body_limit: usize,
    /// A secret the spec's behaviours declare (a shared secret, a JWT signing key), as
    /// NAME=VALUE (repeatable). Also read from `CARTWRIGHT_SECRET_<NAME>`. Never printed.
    #[arg(long = "secret", value_name = "NAME=VALUE", value_parser = parse_secret)]
    secrets: Vec<(String, String)>,
    /// The only credential a security scheme of the spec accepts, as SCHEME=VALUE (repeatable;
    /// basic as `user:password`): others get 401, as a real server refuses them. Without it, a
    /// scheme takes every well-formed credential. Never printed.
    #[arg(long = "auth", value_name = "SCHEME=VALUE", value_parser = parse_secret)]
    auth: Vec<(String, String)>,
    /// Send this one-time code instead of random ones (for local development).
    #[arg(long, value_name = "CODE", env = "CARTWRIGHT_OTP_CODE")]
    otp_code: Option<String>,
    /// Keep no state for resources inferred from the spec: every answer comes from the
    /// spec's examples or schemas, as Prism answers.
    #[arg(long)]
    stateless: bool,
    /// The token every admin call (`/__cartwright/*`) must carry as
    /// `Authorization: Bearer TOKEN`. Bound to an address other than loopback, one is
    /// generated and printed when not given. Never logged.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "CARTWRIGHT_ADMIN_TOKEN",
        hide_env_values = true
    )]
    admin_token: Option<String>,
    /// Seconds a client may take to send a request head (from its first byte, or from
    /// connecting); a request body that stalls this long is refused as incomplete.
    #[arg(long, default_value_t = 10, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout: u64,
    /// Seconds a keep-alive connection may stay silent between requests before it is closed.
    #[arg(long, default_value_t = 60, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout: u64,
    /// The most connections open at once; further clients wait until one closes.
    #[arg(long, default_value_t = 512, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: u64,
    /// Print the resources inferred from each spec (collections, ids, parent arrays,
    /// carriers) and exit.
    #[arg(long)]
    resources: bool,
    /// Forward every request to this real server and return its answers; both directions
    /// are checked against the spec and violations listed in a `Cartwright-Violations`
    /// header and the journal (Prism's proxy mode).
    #[arg(long, value_name = "URL", value_parser = crate::load::target_url)]
    proxy: Option<String>,
    /// With --proxy: refuse a request that breaks the spec with the mock's own 4xx instead
    /// of forwarding it.
    #[arg(long, requires = "proxy")]
    proxy_strict: bool,
    /// With --proxy: forward only these operations (by operationId); the rest are mocked,
    /// state included.
    #[arg(long, value_name = "OPERATION", num_args = 1.., requires = "proxy", conflicts_with = "mock_only")]
    proxy_only: Vec<String>,
    /// With --proxy: mock these operations (by operationId), state included; forward the rest.
    #[arg(long, value_name = "OPERATION", num_args = 1.., requires = "proxy")]
    mock_only: Vec<String>,
    /// With --proxy: seconds the real server may take to answer whole (then 504).
    #[arg(long, default_value_t = 30, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    proxy_timeout: u64,
    /// With --proxy: record the answers that keep the contract as named examples in
    /// DIR/recorded.overlay.yaml, an overlay `--overlay` serves (secrets redacted).
    #[arg(long, value_name = "DIR", requires = "proxy")]
    record: Option<std::path::PathBuf>,
    #[command(flatten)]
    pace: crate::pace::PaceArgs,
}

impl MockArgs {
    /// The connection limits the flags set.
    fn limits(&self) -> cartwright_mock::Limits {
        cartwright_mock::Limits {
            header_timeout: std::time::Duration::from_secs(self.header_timeout),
            idle_timeout: std::time::Duration::from_secs(self.idle_timeout),
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
        }
    }
}

pub(crate) fn parse_secret(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((n, v)) if !n.is_empty() => Ok((n.to_owned(), v.to_owned())),
        _ => Err("expected NAME=VALUE".to_owned()),
    }
}

/// Secrets from `CARTWRIGHT_SECRET_<NAME>` for every secret the specs declare, then flags.
fn secrets(apis: &[Api], flags: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for api in apis {
        for def in &api.behaviours.secrets {
            let var = format!(
                "CARTWRIGHT_SECRET_{}",
                def.name.to_ascii_uppercase().replace('-', "_")
            );
            if let Ok(v) = std::env::var(&var) {
                out.push((def.name.clone(), v));
            }
        }
    }
    out.extend(flags.iter().cloned());
    // Later entries win: a flag overrides the environment.
    out.reverse();
    out
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ErrorsArg {
    /// RFC 7807 application/problem+json.
    Problem,
    /// The operation's own declared error schema (e.g. an `errorCode` envelope).
    Api,
}

/// Runs the mock until Ctrl-C.
pub(crate) fn run(args: MockArgs) -> ExitCode {
    let started = Instant::now();
    // Held until the mock stops: dropping it writes out the queued lines and the drop count.
    let (_log, request_log) = init_logging(args.quiet);
    if args
        .spec
        .specs
        .iter()
        .any(|p| cartwright_graphql::is_schema_path(p))
    {
        if args.proxy.is_some() {
            eprintln!(
                "error: --proxy forwards to a REST server described by an OpenAPI spec, not a GraphQL schema"
            );
            return Exit::Invalid.into();
        }
        return graphql::run(args, started, request_log);
    }
    let Ok(apis) = load_all(&args.spec, args.quiet) else {
        return Exit::Invalid.into();
    };
    if args.resources {
        for api in &apis {
            print!("{}", crate::load::resource_map(api));
        }
        return Exit::Passed.into();
    }
    if let Some((name, _)) = args
        .auth
        .iter()
        .find(|(n, _)| !apis.iter().any(|a| a.security_scheme(n).is_some()))
    {
        let declared: Vec<&str> = apis
            .iter()
            .flat_map(|a| a.security_schemes.iter().map(|(n, _)| n.as_str()))
            .collect();
        eprintln!(
            "error: --auth {name}=…: no security scheme `{name}` in the specs (they declare: {})",
            if declared.is_empty() {
                "none".to_owned()
            } else {
                declared.join(", ")
            }
        );
        return Exit::Invalid.into();
    }
    let proxy = match proxy(&args, &apis) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Invalid.into();
        }
    };
    let mut config = Config {
        proxy,
        seed: args.seed,
        allow_origins: (!args.allow_origins.is_empty()).then(|| args.allow_origins.clone()),
        credentials: args.auth.clone(),
        correlation_header: args.correlation_header.to_ascii_lowercase(),
        body_limit: args.body_limit,
        error_style: match args.errors {
            ErrorsArg::Problem => ErrorStyle::Problem,
            ErrorsArg::Api => ErrorStyle::Api,
        },
        log_requests: !args.quiet,
        request_log,
        secrets: secrets(&apis, &args.secrets),
        otp_code: args.otp_code.clone(),
        stateless: args.stateless,
        admin: crate::admin::access(&args.host, args.admin_token.as_deref()),
        connections: args.limits(),
        ..Config::default()
    };
    args.pace.apply(&mut config);
    if !args.quiet {
        print_routes(&apis);
    }
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
    runtime.block_on(serve(args, Arc::new(Mock::new(apis, config)), started))
}

/// The proxy settings the flags ask for: unknown operation ids and an unreadable
/// recording are usage errors, found before anything listens.
fn proxy(args: &MockArgs, apis: &[Api]) -> Result<Option<cartwright_mock::Proxy>, String> {
    let Some(url) = &args.proxy else {
        return Ok(None);
    };
    let mut proxy = cartwright_mock::Proxy::new(url)?;
    proxy.strict = args.proxy_strict;
    proxy.timeout = std::time::Duration::from_secs(args.proxy_timeout);
    let named = [&args.proxy_only, &args.mock_only];
    for ids in named {
        cartwright_mock::unknown_operations(apis, ids)?;
    }
    if !args.proxy_only.is_empty() {
        proxy.hybrid = cartwright_mock::Hybrid::Only(args.proxy_only.clone());
    } else if !args.mock_only.is_empty() {
        proxy.hybrid = cartwright_mock::Hybrid::Except(args.mock_only.clone());
    }
    if let Some(dir) = &args.record {
        let recorder = cartwright_mock::Recorder::open(dir)?;
        if !args.quiet {
            println!("recording to {}", recorder.file().display());
        }
        proxy.record = Some(Arc::new(recorder));
    }
    if !args.quiet {
        println!(
            "proxying to {} (violations in the {} header and the journal)",
            proxy.upstream,
            cartwright_mock::VIOLATIONS_HEADER
        );
    }
    Ok(Some(proxy))
}

async fn serve(args: MockArgs, mock: Arc<Mock>, started: Instant) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", args.host, args.port);
            return Exit::Runtime.into();
        }
    };
    let signal = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let running = match cartwright_mock::serve(mock.clone(), listener, signal) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Runtime.into();
        }
    };
    let _watcher = if args.watch {
        crate::watch::start(args.spec.clone(), mock.clone())
    } else {
        None
    };
    println!(
        "listening on http://{} (ready in {} ms; admin at /__cartwright/health)",
        running.addr,
        started.elapsed().as_millis()
    );
    running.wait().await;
    if !args.quiet {
        eprintln!("stopped");
    }
    Exit::Passed.into()
}

/// Logging to stderr through a writer thread of its own (`log_writer`), so a request never
/// waits for the log. Request lines skip `tracing` and go to that thread as finished bytes,
/// unless `CARTWRIGHT_LOG` filters them out.
fn init_logging(quiet: bool) -> (crate::log_writer::LogGuard, cartwright_mock::RequestLog) {
    let (writer, guard) =
        crate::log_writer::non_blocking(std::io::stderr(), crate::log_writer::CAPACITY);
    let level = if quiet { "warn" } else { "info" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("CARTWRIGHT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .without_time()
        .with_writer(writer.clone())
        .try_init();
    let request_log = if tracing::enabled!(target: "cartwright::request", tracing::Level::INFO) {
        cartwright_mock::RequestLog::to(std::sync::Arc::new(writer), ansi)
    } else {
        cartwright_mock::RequestLog::default()
    };
    (guard, request_log)
}

/// The route table printed on start.
fn print_routes(apis: &[Api]) {
    for api in apis {
        println!(
            "{} {} ({}): {} operations",
            api.title,
            api.version,
            api.source,
            api.operations.len()
        );
        let base = api.base_paths.first().map_or("", String::as_str);
        for op in &api.operations {
            println!(
                "  {:<7} {base}{:<48} {}",
                op.method.as_str(),
                op.path,
                op.id
            );
        }
        for s in &api.skipped {
            println!("  skipped {}: {}", s.operation, s.reason);
        }
    }
}

/// `cartwright mock schema.graphql`: a GraphQL schema is served by `cartwright-graphql`, with
/// the same port, seed, secrets, correlation header and body limit flags.
mod graphql {
    use cartwright_report::Exit;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;
    use std::sync::Arc;
    use std::time::Instant;

    use cartwright_graphql::{Config, Fixtures, GraphqlMock, TOKENS};

    use super::MockArgs;

    /// Serves the one GraphQL schema in `args` until Ctrl-C.
    pub(super) fn run(
        args: MockArgs,
        started: Instant,
        request_log: cartwright_mock::RequestLog,
    ) -> ExitCode {
        let [schema] = &args.spec.specs[..] else {
            eprintln!("error: a GraphQL schema is served on its own: give one .graphql file");
            return Exit::Invalid.into();
        };
        let mock = match load(&args, schema, request_log) {
            Ok(mock) => mock,
            Err(message) => {
                eprintln!("error: {message}");
                return Exit::Invalid.into();
            }
        };
        if args.watch {
            eprintln!("note: --watch does not reload GraphQL schemas yet");
        }
        if !args.quiet {
            print_tokens(&mock, &args.secrets);
        }
        match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime.block_on(serve(&args, Arc::new(mock), started)),
            Err(e) => {
                eprintln!("error: cannot start the runtime: {e}");
                Exit::Runtime.into()
            }
        }
    }

    /// Fixtures from `--overlay FILE`, else `NAME.fixtures.yaml` (or `.json`) beside the schema.
    fn fixtures_path(args: &MockArgs, schema: &Path) -> Option<PathBuf> {
        if let Some(p) = args.spec.overlay.first() {
            return Some(p.clone());
        }
        ["yaml", "yml", "json"]
            .iter()
            .map(|ext| schema.with_extension(format!("fixtures.{ext}")))
            .find(|p| p.is_file())
    }

    fn load(
        args: &MockArgs,
        schema: &Path,
        request_log: cartwright_mock::RequestLog,
    ) -> Result<GraphqlMock, String> {
        // Bounded and regular files only, as specs are.
        let reader = cartwright_source::Reader::new();
        let read = |p: &Path| reader.text(p).map_err(|e| e.to_string());
        let fixtures = match fixtures_path(args, schema) {
            Some(p) => Some(
                Fixtures::from_str(&p.display().to_string(), &read(&p)?)
                    .map_err(|e| e.to_string())?,
            ),
            None => None,
        };
        // The environment first, then flags, which win.
        let mut secrets: Vec<(String, String)> = TOKENS
            .iter()
            .filter_map(|(name, _)| {
                let var = format!("CARTWRIGHT_SECRET_{}", name.to_ascii_uppercase());
                std::env::var(var).ok().map(|v| ((*name).to_owned(), v))
            })
            .collect();
        secrets.extend(args.secrets.iter().cloned());
        secrets.reverse();
        let config = Config {
            seed: args.seed,
            secrets,
            correlation_header: args.correlation_header.to_ascii_lowercase(),
            body_limit: args.body_limit,
            log_requests: !args.quiet,
            request_log,
            allow_origins: (!args.allow_origins.is_empty()).then(|| args.allow_origins.clone()),
            admin: crate::admin::access(&args.host, args.admin_token.as_deref()),
            connections: args.limits(),
            ..Config::default()
        };
        GraphqlMock::new(
            &schema.display().to_string(),
            &read(schema)?,
            fixtures,
            config,
        )
        .map_err(|e| e.to_string())
    }

    /// Which tokens to send; defaults are shown, configured values never are.
    fn print_tokens(mock: &GraphqlMock, flags: &[(String, String)]) {
        if !mock.has_modes() {
            return;
        }
        println!("operating modes on: send `Authorization: Bearer <token>`");
        for (name, default) in TOKENS {
            let set = flags.iter().any(|(n, _)| n == name)
                || std::env::var(format!("CARTWRIGHT_SECRET_{}", name.to_ascii_uppercase()))
                    .is_ok();
            let shown = if set {
                "(set)".to_owned()
            } else {
                format!("{default} (default)")
            };
            println!("  {name:<22} {shown}");
        }
    }

    async fn serve(args: &MockArgs, mock: Arc<GraphqlMock>, started: Instant) -> ExitCode {
        let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {}:{}: {e}", args.host, args.port);
                return Exit::Runtime.into();
            }
        };
        let signal = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let running = match cartwright_graphql::serve(mock, listener, signal) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Runtime.into();
            }
        };
        println!(
            "listening on http://{}{} (ready in {} ms; admin at /__cartwright/health)",
            running.addr,
            cartwright_graphql::ENDPOINT,
            started.elapsed().as_millis()
        );
        running.wait().await;
        if !args.quiet {
            eprintln!("stopped");
        }
        Exit::Passed.into()
    }
}
