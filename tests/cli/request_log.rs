//! The mock's request log on stderr: one line per request, with the operation and status,
//! the query left out and secrets in the path masked; none under `--quiet` or a
//! `CARTWRIGHT_LOG` level above info.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use super::bin;

/// Runs the Vendo mock with `args` and `env`, sends two requests, stops it as Ctrl-C does
/// (so the log is written out) and returns its stderr.
fn logged(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut child = bin()
        .args(["mock", "specs/vendo-storefront.yaml", "--port", "0"])
        .args(args)
        .env_remove("CARTWRIGHT_LOG")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = lines
        .find_map(|l| {
            l.ok()?
                .strip_prefix("listening on ")
                .map(|r| r.split_whitespace().next().unwrap_or("").to_owned())
        })
        .expect("the mock printed its URL");
    let base = format!("{url}/api/v2/storefront");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let client = reqwest::Client::new();
        let revoked = client
            .delete(format!("{base}/auth/sekrit-token-123?x=1"))
            .send()
            .await
            .expect("answered");
        assert_eq!(revoked.status(), 204);
        client
            .get(format!("{base}/cart?filter=abc"))
            .send()
            .await
            .expect("answered");
    });
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupted.success());
    std::thread::spawn(move || lines.for_each(drop));
    let stopped = child.wait().expect("the mock stops");
    assert!(stopped.code().is_some(), "ended by a signal: {stopped:?}");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr is text");
    err
}

#[test]
fn every_request_is_one_line_with_its_operation_and_the_token_masked() {
    let err = logged(&[], &[]);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("INFO")).collect();
    assert_eq!(lines.len(), 2, "{err}");
    let shape = |line: &str, start: &str| {
        let rest = line.strip_prefix(start).unwrap_or_else(|| panic!("{line}"));
        let ms = rest.strip_suffix("ms").unwrap_or_else(|| panic!("{line}"));
        assert!(ms.parse::<f64>().is_ok(), "{line}");
    };
    shape(
        lines[0],
        " INFO DELETE /api/v2/storefront/auth/*** revokeToken 204 ",
    );
    assert!(
        lines[1].starts_with(" INFO GET /api/v2/storefront/cart getCart "),
        "{err}"
    );
    assert!(!err.contains("sekrit") && !err.contains("x=1") && !err.contains("filter"));
}

#[test]
fn quiet_or_a_higher_level_logs_no_request() {
    for (args, env) in [
        (&["--quiet"][..], &[][..]),
        (&[][..], &[("CARTWRIGHT_LOG", "warn")][..]),
    ] {
        let err = logged(args, env);
        assert!(!err.contains("INFO"), "{args:?} {env:?}: {err}");
    }
}
