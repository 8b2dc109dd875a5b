//! The official Medusa JS SDK (`@medusajs/js-sdk`, pinned in `tests/medusa-sdk/package.json`)
//! drives a storefront's cart flow against the mock of the unmodified Medusa store spec:
//! `tests/medusa-sdk/cart-flow.mjs` runs eight steps (regions, products, a cart, a line item
//! added, read back, changed and kept, an email set, shipping options) and every one must pass.
//!
//! Needs Node.js: without `node` on PATH the test says it was skipped and passes. Without
//! `tests/medusa-sdk/node_modules` it first installs the locked packages with `npm ci`.

// Only serving is used here, not the shared request builders that `support` re-exports.
#[allow(unused_imports)]
mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long the SDK's cart flow may take before it is killed.
const FLOW_TIMEOUT: Duration = Duration::from_secs(60);

/// How long `npm ci` may take before it is killed.
const INSTALL_TIMEOUT: Duration = Duration::from_secs(300);

/// The line the script closes with when all eight steps pass.
const ALL_PASSED: &str = "8 passed, 0 failed";

/// The folder of the Node harness.
fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/medusa-sdk")
}

/// What a bounded child process left: its status (`None` when it was killed on timeout) and
/// everything it printed.
struct Finished {
    /// The exit status, or `None` when the timeout killed it.
    status: Option<ExitStatus>,
    /// All of its standard output.
    stdout: String,
    /// All of its standard error.
    stderr: String,
}

impl Finished {
    /// Whether it ran to the end and exited with success.
    fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// Its status and output, for a panic message.
    fn describe(&self) -> String {
        let status = match self.status {
            Some(s) => s.to_string(),
            None => "killed on timeout".to_owned(),
        };
        format!(
            "status: {status}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        )
    }
}

/// Reads all of `pipe` on its own thread, so a chatty child never blocks on a full pipe.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            // A read error only shortens what is shown on failure.
            let _ = p.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Runs `cmd` to its end or until `timeout`, when it is killed; collects what it printed.
fn run_bounded(mut cmd: Command, timeout: Duration) -> Finished {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait().expect("the child's status can be read") {
            Some(s) => break Some(s),
            None if Instant::now() >= deadline => {
                // It may have ended just now; either way it is reaped below.
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    Finished {
        status,
        stdout: out.join().expect("the stdout reader ends"),
        stderr: err.join().expect("the stderr reader ends"),
    }
}

/// Whether `node` can be started.
fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs the locked packages with `npm ci` unless the SDK is already installed.
fn ensure_installed(dir: &Path) {
    if dir
        .join("node_modules/@medusajs/js-sdk/package.json")
        .is_file()
    {
        return;
    }
    let mut npm = Command::new("npm");
    npm.args(["ci", "--no-audit", "--no-fund"]).current_dir(dir);
    let done = run_bounded(npm, INSTALL_TIMEOUT);
    assert!(
        done.success(),
        "`npm ci` in {} failed:\n{}",
        dir.display(),
        done.describe()
    );
}

/// The SDK's cart flow passes all eight steps against the mock of the Medusa store spec.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn medusa_js_sdk_cart_flow() {
    if !node_available() {
        println!("skipped: node is not installed");
        return;
    }
    let dir = harness();
    let install_dir = dir.clone();
    tokio::task::spawn_blocking(move || ensure_installed(&install_dir))
        .await
        .expect("the install task ends");

    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/medusa-store-v2.full.yaml");
    let served = support::serve(support::load_lenient(&spec)).await;
    let base = served.base.clone();

    // Node runs on a blocking thread so the mock's tasks keep serving it meanwhile.
    let done = tokio::task::spawn_blocking(move || {
        let mut node = Command::new("node");
        node.arg("cart-flow.mjs").arg(&base).current_dir(&dir);
        run_bounded(node, FLOW_TIMEOUT)
    })
    .await
    .expect("the node task ends");

    assert!(
        done.success() && done.stdout.lines().any(|l| l.trim() == ALL_PASSED),
        "the Medusa JS SDK cart flow did not pass against the mock:\n{}",
        done.describe()
    );
    print!("{}", done.stdout);
    drop(served);
}
