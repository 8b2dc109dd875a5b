//! `cartwright verify` end to end: an implementation one version behind its contract (the
//! mock of `shop-v1.yaml` verified against `shop.yaml`) is caught by named checks, the
//! failures written with `--write-failures` replay to the same failures with `cartwright
//! run`, and pass against an implementation that keeps the contract.

#[path = "cli/verify_coverage.rs"]
mod coverage;
#[path = "cli/spawn.rs"]
mod spawn;
#[path = "cli/verify_memory.rs"]
mod verify_memory;

use std::process::Output;

use spawn::{bin, mock};

const SPEC: &str = "tests/cli/verify/shop.yaml";

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn verify(target: &str, failures: &std::path::Path) -> Output {
    bin()
        .args([
            "verify",
            SPEC,
            "--target",
            target,
            "--seed",
            "7",
            "--write-failures",
        ])
        .arg(failures)
        .output()
        .expect("runs")
}

fn files(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn a_lagging_implementation_fails_by_name_and_its_failures_replay() {
    let behind = mock("tests/cli/verify/shop-v1.yaml");
    let tmp = tempfile::tempdir().expect("tmp");
    let out = verify(&behind.1, &tmp.path().join("a"));
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("response_schema_conformance"), "{report}");
    // Up to 1000 accepted where the contract says 10: found by a generated request and
    // shrunk to the first value past the boundary.
    assert!(report.contains("negative_data_rejection"), "{report}");
    assert!(
        report.contains("\"quantity\":11"),
        "not shrunk to the boundary:\n{report}"
    );

    let written = files(&tmp.path().join("a"));
    assert!(written.len() >= 2, "{written:?}");
    assert!(
        written.iter().any(|(_, y)| y.contains("quantity: 11")),
        "{written:?}"
    );
    let replay = bin()
        .args(["run"])
        .arg(tmp.path().join("a"))
        .args(["--spec", SPEC, "--target", &behind.1])
        .output()
        .expect("runs");
    let replayed = text(&replay);
    assert_eq!(replay.status.code(), Some(1), "{replayed}");
    let n = written.len();
    assert!(
        replayed.contains(&format!("{n} scenarios: 0 passed, {n} failed")),
        "every written failure fails again:\n{replayed}"
    );

    // The same seed sends the same requests: the same failures, byte for byte.
    let again = verify(&behind.1, &tmp.path().join("b"));
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(files(&tmp.path().join("b")), written);

    let keeps = mock(SPEC);
    let fixed = bin()
        .args(["run"])
        .arg(tmp.path().join("a"))
        .args(["--spec", SPEC, "--target", &keeps.1])
        .output()
        .expect("runs");
    assert_eq!(fixed.status.code(), Some(0), "{}", text(&fixed));
    let clean = verify(&keeps.1, &tmp.path().join("c"));
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    assert!(files(&tmp.path().join("c")).is_empty());
}

#[test]
fn unknown_checks_and_auth_schemes_are_usage_errors() {
    let out = bin()
        .args([
            "verify",
            SPEC,
            "--target",
            "http://127.0.0.1:9",
            "--checks",
            "not_a_servr_error",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("did you mean `not_a_server_error`"),
        "{}",
        text(&out)
    );
    let out = bin()
        .args([
            "verify",
            SPEC,
            "--target",
            "http://127.0.0.1:9",
            "--auth",
            "oops",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("NAME=VALUE"), "{}", text(&out));
}

#[test]
fn an_include_that_selects_nothing_is_a_usage_error_not_a_pass() {
    let out = bin()
        .args([
            "verify",
            SPEC,
            "--target",
            "http://127.0.0.1:9",
            "--include",
            "noSuchOperation",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("--include noSuchOperation matches no operation"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_target_that_is_not_a_url_is_a_one_line_usage_error() {
    let out = bin()
        .args(["verify", SPEC, "--target", "not-a-url"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`not-a-url` is not an http:// or https:// URL"),
        "{err}"
    );
    assert!(err.lines().count() <= 4, "{err}");
}

#[test]
fn a_spec_that_does_not_load_still_writes_a_junit_file_with_the_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junit = dir.path().join("junit.xml");
    let out = bin()
        .args([
            "verify",
            "tests/cli/broken-ref.yaml",
            "--target",
            "http://127.0.0.1:9",
        ])
        .arg("--report-junit")
        .arg(&junit)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(xml.contains("load tests/cli/broken-ref.yaml"), "{xml}");
    assert!(xml.contains("errors=\"1\""), "{xml}");
    assert!(
        xml.contains("broken-ref.yaml:"),
        "the error says where: {xml}"
    );
}

#[test]
fn a_token_lifetime_or_max_wait_that_is_no_duration_is_a_usage_error() {
    for flag in ["--token-lifetime", "--max-wait"] {
        let out = bin()
            .args([
                "verify",
                SPEC,
                "--target",
                "http://127.0.0.1:9",
                flag,
                "soon",
            ])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag) && err.contains("soon"), "{err}");
    }
}
