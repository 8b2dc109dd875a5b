//! `--watch`: reload the specs when a file changes; a failed reload keeps the running APIs.
//!
//! One reload per change: events are gathered until the folder has been quiet for a moment
//! (an editor's save is a burst of them), and a reload happens only when the content of a
//! touched file differs from what it was. Opening and reading a file is no change, so the
//! reload's own reads never start another.

use std::collections::{BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use cartwright_mock::Mock;
use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::SpecArgs;
use crate::load::{load_all, overlay_for};

/// How long the folder must be quiet before the changes are read.
const QUIET: Duration = Duration::from_millis(150);

/// Starts watching the specs and their overlays; the watcher lives as long as the returned value.
pub(crate) fn start(args: SpecArgs, mock: Arc<Mock>) -> Option<notify::RecommendedWatcher> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("warning: --watch is unavailable: {e}");
            return None;
        }
    };
    // Editors replace files by renaming, so watch the folders and filter by name.
    let mut files = Vec::new();
    for (i, spec) in args.specs.iter().enumerate() {
        files.push(spec.clone());
        files.extend(overlay_for(&args, i, spec));
    }
    let files: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| std::fs::canonicalize(f).ok())
        .collect();
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    for dir in &dirs {
        let _ = watcher.watch(dir, RecursiveMode::NonRecursive);
    }
    let mut known = Contents::scan(&files, &dirs);
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut touched = BTreeSet::new();
            note(first, &files, &mut touched);
            loop {
                match rx.recv_timeout(QUIET) {
                    Ok(event) => note(event, &files, &mut touched),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            if !known.changed(&touched) {
                continue;
            }
            match load_all(&args, true) {
                Ok(apis) => {
                    let n: usize = apis.iter().map(|a| a.operations.len()).sum();
                    mock.reload(apis);
                    eprintln!("reloaded: {n} operations");
                }
                Err(_) => eprintln!("reload failed: still serving the previous version"),
            }
        }
    });
    Some(watcher)
}

/// Adds the files an event may have changed: writes, creations, removals and renames of
/// the specs, overlays and the YAML or JSON files beside them (`$ref`s). Opening, reading
/// and metadata (an access time) change no content and are left out.
fn note(event: notify::Result<Event>, files: &[PathBuf], touched: &mut BTreeSet<PathBuf>) {
    let Ok(event) = event else { return };
    let writes = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    };
    if writes {
        touched.extend(event.paths.into_iter().filter(|p| relevant(p, files)));
    }
}

/// Whether a path is a watched file or a YAML or JSON file beside one.
fn relevant(path: &Path, files: &[PathBuf]) -> bool {
    files.iter().any(|f| f == path)
        || path
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
}

/// The content hash of every relevant file as last read (`None`: absent or unreadable).
struct Contents(HashMap<PathBuf, Option<u64>>);

impl Contents {
    /// The files as they are now: the watched ones and the relevant files beside them.
    fn scan(files: &[PathBuf], dirs: &BTreeSet<PathBuf>) -> Contents {
        let beside = dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| relevant(p, files) && p.is_file());
        let all: BTreeSet<PathBuf> = files.iter().cloned().chain(beside).collect();
        Contents(all.into_iter().map(|p| (p.clone(), hash(&p))).collect())
    }

    /// Whether any of `touched` now reads differently; remembers what each now holds.
    fn changed(&mut self, touched: &BTreeSet<PathBuf>) -> bool {
        let mut changed = false;
        for path in touched {
            let now = hash(path);
            let before = self.0.insert(path.clone(), now).flatten();
            changed |= before != now;
        }
        changed
    }
}

/// The content hash of a regular file; `None` when there is none to read (removed,
/// mid-rename, or a device that would never end).
fn hash(path: &Path) -> Option<u64> {
    if !path.is_file() {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let mut h = DefaultHasher::new();
    h.write(&bytes);
    Some(h.finish())
}
