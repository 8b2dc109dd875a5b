//! `cartwright`: a validating, stateful mock server and contract tester for storefront APIs.
//!
//! The binary is glue: argument parsing here, the work in the library crates. Exit codes
//! follow hurl's: 0 success, 1 check failures, 2 invalid spec or usage, 3 runtime or I/O.

mod admin;
mod lint;
mod load;
mod log_writer;
mod mock;
mod out;
mod pace;
mod reports;
mod run;
mod scenarios;
mod snapshots;
mod verify;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc rather than the system allocator: a mock answer is built from many small JSON
/// values that live for one request, and glibc's malloc spent a fifth of a stateful
/// request's instructions on them (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Contract testing and a validating mock server for storefront (e-commerce) APIs.
#[derive(Debug, Parser)]
#[command(name = "cartwright", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve a validating mock of one or more OpenAPI documents, or of a GraphQL schema.
    Mock(mock::MockArgs),
    /// Check OpenAPI documents and scenarios and print every finding with file:line:col
    /// (exit 2 on errors).
    Lint(lint::LintArgs),
    /// Run YAML scenarios against a server, with snapshots and reports.
    Run(run::RunArgs),
    /// Review, accept or reject pending snapshots.
    Snapshots(snapshots::SnapshotArgs),
    /// Verify an implementation against its spec with named checks.
    Verify(verify::VerifyArgs),
}

/// Options shared by everything that loads specs.
#[derive(Debug, Clone, clap::Args)]
pub struct SpecArgs {
    /// OpenAPI 3.0 or 3.1 documents, YAML or JSON; or one GraphQL schema (`.graphql`).
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// OpenAPI Overlay 1.0 files, applied to the specs in order (the first to the first spec).
    /// Without it, `NAME.overlay.yaml` beside `NAME.yaml` is applied when present.
    #[arg(long, value_name = "FILE")]
    pub overlay: Vec<PathBuf>,
    /// Serve every sound operation of a spec with errors, and list what was skipped.
    #[arg(long)]
    pub lenient: bool,
    /// Follow `$ref`s to files outside the spec's folder (refused by default).
    #[arg(long)]
    pub allow_ref_outside: bool,
    /// The most bytes read from a spec, its overlay or any `$ref`'d file.
    #[arg(long, default_value_t = cartwright_source::DEFAULT_MAX_FILE_BYTES, value_name = "BYTES")]
    pub max_spec_bytes: u64,
}

impl SpecArgs {
    /// How to load the i-th spec.
    pub(crate) fn options(&self, index: usize, lenient: bool) -> cartwright_spec::LoadOptions {
        cartwright_spec::LoadOptions {
            overlay: load::overlay_for(self, index, &self.specs[index]),
            lenient,
            allow_ref_outside: self.allow_ref_outside,
            max_file_bytes: Some(self.max_spec_bytes),
        }
    }
}

fn main() -> ExitCode {
    end_quietly_on_closed_stdout();
    let cli = Cli::parse();
    match cli.command {
        Command::Mock(args) => mock::run(args),
        Command::Lint(args) => lint::run(&args),
        Command::Run(args) => run::run(args),
        Command::Snapshots(args) => snapshots::run(&args),
        Command::Verify(args) => verify::run(&args),
    }
}

/// A reader that stops early (`cartwright mock --resources SPEC | head -1`) closes stdout;
/// the next `println!` then panics. That is the reader's choice, not a failure: the process
/// ends at once with 0 and no message. Every other panic keeps the default report. The
/// commands whose exit code is a verdict (`verify`, `run`, `lint`) write through
/// [`out`], which never panics, so they end with their verdict's code instead.
fn end_quietly_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if closed_stdout(message) {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// Whether a panic message is `print!`'s report of a write to a closed pipe (EPIPE).
fn closed_stdout(message: &str) -> bool {
    message.starts_with("failed printing to stdout")
        && (message.contains("os error 32)") || message.contains("Broken pipe"))
}
