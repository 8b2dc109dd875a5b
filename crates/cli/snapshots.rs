//! `cartwright snapshots review|accept|reject`: pending `.snap.new` files, as insta's
//! `cargo insta` manages them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cartwright_scenario::snapshot::{content, diff, pending_under};

/// Arguments of `cartwright snapshots`.
#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// What to do with pending snapshots.
    #[arg(value_enum)]
    action: Action,
    /// The snapshots folder.
    #[arg(default_value = "snapshots", value_name = "DIR")]
    dir: PathBuf,
}

/// What to do.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Action {
    /// Show each pending snapshot as a diff against the committed one.
    Review,
    /// Make every pending snapshot the committed one.
    Accept,
    /// Delete every pending snapshot.
    Reject,
}

/// Runs the action; exit 1 from `review` when something is pending, so CI can gate on it.
pub fn run(args: &SnapshotArgs) -> ExitCode {
    let pending = pending_under(&args.dir);
    if pending.is_empty() {
        println!("no pending snapshots under {}", args.dir.display());
        return ExitCode::SUCCESS;
    }
    for new in &pending {
        let committed = committed_of(new);
        let outcome = match args.action {
            Action::Review => {
                review(new, &committed);
                Ok(())
            }
            Action::Accept => std::fs::rename(new, &committed)
                .map(|()| println!("accepted {}", committed.display())),
            Action::Reject => {
                std::fs::remove_file(new).map(|()| println!("rejected {}", new.display()))
            }
        };
        if let Err(e) = outcome {
            eprintln!("error: {}: {e}", new.display());
            return ExitCode::from(3);
        }
    }
    match args.action {
        Action::Review => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

fn committed_of(new: &Path) -> PathBuf {
    let s = new.to_string_lossy();
    PathBuf::from(s.strip_suffix(".new").unwrap_or(&s))
}

fn review(new: &Path, committed: &Path) {
    let new_text = std::fs::read_to_string(new).unwrap_or_default();
    match std::fs::read_to_string(committed) {
        Ok(old) => println!(
            "{}\n{}",
            committed.display(),
            diff(content(&old), content(&new_text))
        ),
        Err(_) => println!("{} (new)\n{}", committed.display(), content(&new_text)),
    }
}
