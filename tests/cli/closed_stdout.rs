//! A reader that closes stdout early (`cartwright lint specs/ | head -1`) ends every
//! subcommand quietly: nothing on stderr, no panic. The commands whose exit code is a
//! verdict (`verify`, `run`, `lint`) keep it: a failing run is not a passing one because its
//! report went unread.

use std::process::{Command, Stdio};

/// Runs `args` with stdout a pipe whose reading end is already closed, and returns the exit
/// code and stderr.
fn with_closed_stdout(mut cmd: Command) -> (Option<i32>, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // Closing the reading end before the first write makes every write fail with EPIPE.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn lint_of_the_specs_ends_quietly_when_stdout_closes() {
    let mut cmd = super::bin();
    cmd.args(["lint", "specs/"]);
    let (code, stderr) = with_closed_stdout(cmd);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_resource_maps_end_quietly_when_stdout_closes() {
    for sub in ["lint", "mock"] {
        let mut cmd = super::bin();
        cmd.args([sub, "--resources", "specs/vendo-storefront.yaml"]);
        let (code, stderr) = with_closed_stdout(cmd);
        assert_eq!(code, Some(0), "{sub}: {stderr}");
        assert!(!stderr.contains("panicked"), "{sub}: {stderr}");
    }
}

#[test]
fn verify_ends_quietly_when_stdout_closes() {
    let mock = super::start(&["specs/vendo-storefront.yaml"]);
    let mut verify = super::bin();
    verify.args([
        "verify",
        "specs/vendo-storefront.yaml",
        "--target",
        &mock.url,
    ]);
    let (code, stderr) = with_closed_stdout(verify);
    assert_eq!(code, Some(0), "verify: {stderr}");
    assert!(!stderr.contains("panicked"), "verify: {stderr}");
}

#[test]
fn verify_run_and_lint_keep_their_verdict_when_stdout_closes() {
    // An implementation one version behind its contract fails verify by name.
    let behind = super::start(&["tests/cli/verify/shop-v1.yaml"]);
    let mut verify = super::bin();
    verify.args([
        "verify",
        "tests/cli/verify/shop.yaml",
        "--target",
        &behind.url,
        "--seed",
        "7",
    ]);
    let (code, stderr) = with_closed_stdout(verify);
    assert_eq!(code, Some(1), "verify: {stderr}");
    assert!(!stderr.contains("panicked"), "verify: {stderr}");

    let vendo = super::start(&["specs/vendo-storefront.yaml"]);
    let mut run = super::bin();
    run.args([
        "run",
        "tests/cli/run/failing",
        "--spec",
        "specs/vendo-storefront.yaml",
        "--target",
        &vendo.url,
    ]);
    let (code, stderr) = with_closed_stdout(run);
    assert_eq!(code, Some(1), "run: {stderr}");
    assert!(!stderr.contains("panicked"), "run: {stderr}");

    // One sound spec (whose "ok" line meets the closed pipe) and one broken.
    let mut lint = super::bin();
    lint.args(["lint", "tests/cli/sound.yaml", "tests/cli/broken-ref.yaml"]);
    let (code, stderr) = with_closed_stdout(lint);
    assert_eq!(code, Some(2), "lint: {stderr}");
    assert!(!stderr.contains("panicked"), "lint: {stderr}");
}
