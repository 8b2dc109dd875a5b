//! `--watch`: reload the specs when a file changes; a failed reload keeps the running APIs.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use cartwright_mock::Mock;
use notify::{RecursiveMode, Watcher};

use crate::SpecArgs;
use crate::load::{load_all, overlay_for};

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
    let files: Vec<_> = files
        .iter()
        .filter_map(|f| std::fs::canonicalize(f).ok())
        .collect();
    for dir in files.iter().filter_map(|f| f.parent()) {
        let _ = watcher.watch(dir, RecursiveMode::NonRecursive);
    }
    std::thread::spawn(move || {
        while let Ok(event) = rx.recv() {
            let touches = |e: &notify::Event| {
                e.paths.iter().any(|p| {
                    files.iter().any(|f| f == p)
                        || p.extension()
                            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
                })
            };
            if !event.as_ref().is_ok_and(touches) {
                continue;
            }
            // Let the editor finish writing, and fold the burst of events into one reload.
            std::thread::sleep(Duration::from_millis(150));
            while rx.try_recv().is_ok() {}
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
