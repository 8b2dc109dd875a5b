//! `cartwright mock --watch` reloads once per change: five edits of the spec make exactly
//! five reloads, and neither the reload's own reads nor a save without a change make one.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// A running `cartwright mock --watch`, killed and waited for on every path.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A spec with `n` operations (`GET /p0` … `GET /p{n-1}`).
fn spec(n: usize) -> String {
    let mut s = String::from("openapi: 3.0.3\ninfo: {title: Watched, version: \"1\"}\npaths:\n");
    for i in 0..n {
        s += &format!(
            "  /p{i}:\n    get:\n      operationId: p{i}\n      responses:\n        \"200\": {{description: ok}}\n"
        );
    }
    s
}

/// The next line about a reload; the bound only keeps a broken build from hanging.
fn next_reload(lines: &Receiver<String>) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("a reload line");
        if line.starts_with("reload") {
            return line;
        }
    }
}

#[test]
fn five_edits_make_exactly_five_reloads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("watched.yaml");
    std::fs::write(&path, spec(1)).expect("write");
    let child = Command::new(env!("CARGO_BIN_EXE_cartwright"))
        .arg("mock")
        .arg(&path)
        .args(["--watch", "--port", "0"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().expect("stdout");
    let stderr = running.0.stderr.take().expect("stderr");
    let mut out = BufReader::new(stdout).lines();
    // The watcher is on once the server listens.
    assert!(
        out.by_ref()
            .map_while(Result::ok)
            .any(|l| l.starts_with("listening on ")),
        "no URL printed"
    );
    std::thread::spawn(move || out.for_each(drop));
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });

    // Each edit changes the operation count, so each reload line says which edit it read.
    for n in 2..=6 {
        std::fs::write(&path, spec(n)).expect("write");
        assert_eq!(next_reload(&lines), format!("reloaded: {n} operations"));
    }
    // A save without a change, and reads of the file, reload nothing: the next reload line
    // is the next real edit's, so nothing was reloaded between the fifth and it.
    std::fs::write(&path, spec(6)).expect("write");
    for _ in 0..3 {
        std::fs::read(&path).expect("read");
    }
    // Time for a reload that should not happen to show (the old watcher reloaded six times
    // a second); a slow machine can only make this test pass wrongly, never fail wrongly.
    std::thread::sleep(Duration::from_secs(1));
    std::fs::write(&path, spec(7)).expect("write");
    assert_eq!(next_reload(&lines), "reloaded: 7 operations");
}
