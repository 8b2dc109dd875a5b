//! `cartwright verify` reports what it reached: progress on stderr, coverage in the terminal
//! report, JUnit and JSON, `--require-reached` failing a run that reached too little, `-H`
//! reaching the server, bad credentials refused before anything is sent, and written
//! failures that replay with the secret given again, never holding it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Output;

use super::spawn::bin;

const SPEC: &str = r#"openapi: 3.1.0
info: {title: gate, version: "1"}
paths:
  /me:
    get:
      operationId: me
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "401": {description: no key, content: {application/json: {schema: {type: object}}}}
  /health:
    get:
      operationId: health
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
"#;

/// A server on a free port: `/me` answers 401 unless `x-shop-key: k1` is sent, anything
/// else answers `other`.
fn server(other: u16) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut head = Vec::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    head.push(line.to_ascii_lowercase());
                    line.clear();
                }
                let length: usize = head
                    .iter()
                    .find_map(|h| h.strip_prefix("content-length:"))
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let me = head.first().is_some_and(|l| l.contains(" /me"));
                let key = head.iter().any(|h| h.trim_end() == "x-shop-key: k1");
                let status = match (me, key) {
                    (true, true) => 200,
                    (true, false) => 401,
                    _ => other,
                };
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
                );
                let _ = (&stream).write_all(answer.as_bytes());
            });
        }
    });
    format!("http://{addr}")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `cartwright verify` of the gate spec (written to `dir`) with `args`.
fn verify(dir: &std::path::Path, target: &str, args: &[&str]) -> Output {
    let spec = dir.join("gate.yaml");
    std::fs::write(&spec, SPEC).expect("spec written");
    bin()
        .arg("verify")
        .arg(&spec)
        .args(["--target", target, "--max-examples", "2"])
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn an_unreached_operation_is_reported_everywhere_and_fails_require_reached() {
    let dir = tempfile::tempdir().expect("tmp");
    let (junit, json) = (dir.path().join("j.xml"), dir.path().join("r.json"));
    let target = server(200);
    let out = verify(
        dir.path(),
        &target,
        &[
            "--require-reached",
            "100",
            "--report-junit",
            junit.to_str().expect("utf-8"),
            "--report-json",
            json.to_str().expect("utf-8"),
        ],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    // Every check holds (401 is documented): only --require-reached fails the run.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stdout.contains("0 failed, 0 skipped, 0 errored"),
        "{stdout}"
    );
    assert!(
        stdout.contains("coverage: 1 of 2 operations reached a 2xx answer (50%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("GET /me (me): credentials (answers 401/403)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("--require-reached asks for 100%"),
        "{stderr}"
    );
    // Progress goes to stderr only, one line per operation with its counts.
    assert!(
        stderr.contains("GET /health (health)") && stderr.contains(" 2xx, 0 failed"),
        "{stderr}"
    );
    assert!(!stdout.contains(" 2xx, 0 failed"), "{stdout}");
    let xml = std::fs::read_to_string(&junit).expect("junit");
    assert!(
        xml.contains("<property name=\"reached\" value=\"1\"/>"),
        "{xml}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parses");
    assert_eq!(
        report["run"]["coverage"]["operations"][0]["reason"],
        "credentials"
    );

    // With the header the server wants, everything is reached and the run passes.
    let out = verify(
        dir.path(),
        &target,
        &["--require-reached", "100", "-H", "x-shop-key: k1"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("coverage: 2 of 2 operations reached"),
        "{}",
        text(&out)
    );
}

#[test]
fn credentials_that_place_nothing_and_malformed_headers_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = verify(
        dir.path(),
        "http://127.0.0.1:9",
        &["--auth", "bearer=s3cret"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("--auth `bearer=…`: the spec declares no bearer scheme"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("s3cret"));
    let out = verify(dir.path(), "http://127.0.0.1:9", &["-H", "x-shop-key=k1"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("expected `Name: value`"),
        "{}",
        text(&out)
    );
}

#[test]
fn written_failures_name_the_secret_and_replay_when_it_is_given() {
    let dir = tempfile::tempdir().expect("tmp");
    let failures = dir.path().join("failures");
    // `/health` is a server error: a failure, written with the header it was sent with.
    let target = server(500);
    let out = verify(
        dir.path(),
        &target,
        &[
            "-H",
            "x-shop-key: k1",
            "--write-failures",
            failures.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let written: Vec<String> = std::fs::read_dir(&failures)
        .expect("written")
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(!written.is_empty());
    for y in &written {
        assert!(!y.contains("k1"), "{y}");
        assert!(y.contains("{{ header_x_shop_key }}"), "{y}");
        assert!(y.contains("--secret header_x_shop_key="), "{y}");
    }
    // Given the secret again, the failures replay (and fail again, as they should).
    let replay = bin()
        .arg("run")
        .arg(&failures)
        .args(["--target", &target, "--secret", "header_x_shop_key=k1"])
        .output()
        .expect("runs");
    assert_eq!(replay.status.code(), Some(1), "{}", text(&replay));
}
