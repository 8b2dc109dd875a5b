//! The `cartwright` binary for end-to-end tests, and a mock it serves on a free port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The binary, run from the repository root, without colour, as in CI, with no target
/// taken from the environment.
pub(crate) fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cartwright"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .env_remove("CARTWRIGHT_TARGET");
    c
}

/// A `cartwright mock` on a free port, killed on drop; `.1` is its URL.
pub(crate) struct Mock(Child, pub String);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `spec` (a path from the repository root).
pub(crate) fn mock(spec: &str) -> Mock {
    let child = bin()
        .args(["mock", spec, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    // Owned by `Mock` at once, so it is killed and waited for on every path.
    let mut m = Mock(child, String::new());
    let stdout = m.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    while let Some(Ok(line)) = lines.next() {
        if let Some(rest) = line.strip_prefix("listening on ") {
            m.1 = rest.split_whitespace().next().unwrap_or("").to_owned();
            std::thread::spawn(move || lines.for_each(drop));
            return m;
        }
    }
    panic!("the mock printed no URL");
}
