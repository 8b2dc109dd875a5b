//! A reader that closes stdout early (`cartwright lint specs/ | head -1`) ends every
//! subcommand quietly: exit 0, nothing on stderr, no panic.

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
