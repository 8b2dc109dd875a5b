//! `cartwright snapshots review|accept|reject [PATH...]`: pending `.snap.new` files, as insta's
//! `cargo insta` manages them. A path is a folder (every pending snapshot under it) or one
//! snapshot (`x.snap` or `x.snap.new`); `review --interactive` decides one at a time.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cartwright_report::Exit;

use cartwright_scenario::snapshot::{content, diff, pending_under};

/// Arguments of `cartwright snapshots`.
#[derive(Debug, clap::Args)]
pub(crate) struct SnapshotArgs {
    /// What to do with pending snapshots.
    #[arg(value_enum)]
    action: Action,
    /// Snapshot folders, or single snapshots (`x.snap` or `x.snap.new`) [default: snapshots].
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// With `review`: ask for each pending snapshot whether to accept, reject or skip it (the
    /// default when stdin is a terminal).
    #[arg(long, short)]
    interactive: bool,
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, clap::ValueEnum)]
enum Action {
    /// Show each pending snapshot as a diff against the committed one.
    Review,
    /// Make each pending snapshot the committed one.
    Accept,
    /// Delete each pending snapshot.
    Reject,
}

/// Runs the action; exit 1 from `review` while something stays pending, so CI can gate on it,
/// and exit 2 for a named snapshot that has nothing pending.
pub(crate) fn run(args: &SnapshotArgs) -> ExitCode {
    let default = [PathBuf::from("snapshots")];
    let paths = if args.paths.is_empty() {
        // The default folder may not exist yet: then nothing is pending.
        &default[..]
    } else {
        &args.paths[..]
    };
    let given = !args.paths.is_empty();
    let pending = match pending_in(paths, given) {
        Ok(p) => p,
        Err(why) => {
            eprintln!("error: {why}");
            return Exit::Invalid.into();
        }
    };
    if pending.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        println!("no pending snapshots under {}", shown.join(", "));
        return Exit::Passed.into();
    }
    let ask = args.action == Action::Review && (args.interactive || std::io::stdin().is_terminal());
    let mut answers = std::io::stdin().lock().lines();
    let mut left = 0;
    for new in &pending {
        let committed = committed_of(new);
        let action = match args.action {
            Action::Review => {
                review(new, &committed);
                if ask { decide(&mut answers) } else { None }
            }
            a => Some(a),
        };
        let outcome = match action {
            Some(Action::Accept) => std::fs::rename(new, &committed)
                .map(|()| println!("accepted {}", committed.display())),
            Some(Action::Reject) => {
                std::fs::remove_file(new).map(|()| println!("rejected {}", new.display()))
            }
            Some(Action::Review) | None => {
                left += 1;
                Ok(())
            }
        };
        if let Err(e) = outcome {
            eprintln!("error: {}: {e}", new.display());
            return Exit::Runtime.into();
        }
    }
    if left > 0 {
        Exit::Failed.into()
    } else {
        Exit::Passed.into()
    }
}

/// The pending snapshots the paths name; a single snapshot with nothing pending is an error
/// that says so, since the user asked about that very file.
fn pending_in(paths: &[PathBuf], given: bool) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() || (!given && !p.exists()) {
            out.extend(pending_under(p));
            continue;
        }
        let text = p.to_string_lossy();
        let new = if text.ends_with(".snap.new") {
            p.clone()
        } else if text.ends_with(".snap") {
            PathBuf::from(format!("{text}.new"))
        } else if p.exists() {
            return Err(format!(
                "{} is not a snapshot: give a folder, a .snap or a .snap.new file",
                p.display()
            ));
        } else {
            return Err(format!("{} does not exist", p.display()));
        };
        if !new.is_file() {
            let why = if committed_of(&new).is_file() {
                "it matches its last run"
            } else {
                "no run has written it"
            };
            return Err(format!(
                "{} has no pending change ({} does not exist: {why})",
                committed_of(&new).display(),
                new.display()
            ));
        }
        out.push(new);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Asks what to do with the snapshot just shown: accept, reject or skip (the default, also at
/// the end of input).
fn decide(answers: &mut impl Iterator<Item = std::io::Result<String>>) -> Option<Action> {
    loop {
        print!("accept (a), reject (r) or skip (s)? ");
        let _ = std::io::stdout().flush();
        let line = answers.next()?.ok()?;
        match line.trim() {
            "a" | "accept" => return Some(Action::Accept),
            "r" | "reject" => return Some(Action::Reject),
            "s" | "skip" | "" => return None,
            other => println!("`{other}` is not one of a, r, s"),
        }
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
