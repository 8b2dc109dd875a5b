//! The binary against hostile files and answers: Swagger documents refused by every
//! command, `$ref`s and includes kept inside their folders, and an answer over the bound
//! failing only its own step. Each is bounded in time.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

/// The binary, from the repository root, without colour, as on CI.
fn bin() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cartwright"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .env_remove("CARTWRIGHT_TARGET");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(&path, body).expect("write");
    path.display().to_string()
}

#[test]
fn a_swagger_document_is_refused_by_mock_verify_lint_and_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let sw = write(
        dir.path(),
        "petstore.yaml",
        "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\npaths: {}\n",
    );
    let commands: [&[&str]; 4] = [
        &["mock", &sw, "--port", "0"],
        &["verify", &sw, "--target", "http://127.0.0.1:9"],
        &["lint", &sw],
        &["run", &sw, "--target", "http://127.0.0.1:9"],
    ];
    for args in commands {
        let out = bin().args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        let said = text(&out);
        assert!(
            said.contains("Swagger 2.0 document") || said.contains("not a scenario"),
            "{args:?}: {said}"
        );
        assert!(
            !said.contains("unknown field"),
            "never read as a scenario: {said}"
        );
    }
}

#[test]
fn mock_refuses_a_ref_outside_the_spec_folder_unless_allowed() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), "S.yaml", "type: object\ndescription: hunter2\n");
    let spec = write(
        dir.path(),
        "api/spec.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '../S.yaml'}\n",
    );
    let out = bin().args(["lint", &spec]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("ref-outside"), "{}", text(&out));
    assert!(!text(&out).contains("hunter2"), "{}", text(&out));
    let out = bin()
        .args(["lint", &spec, "--allow-ref-outside"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = bin()
        .args([
            "lint",
            &spec,
            "--allow-ref-outside",
            "--max-spec-bytes",
            "64",
        ])
        .output()
        .expect("runs");
    assert!(
        text(&out).contains("larger than 64 bytes (the bound set by --max-spec-bytes)"),
        "{}",
        text(&out)
    );
}

#[test]
fn lint_flags_escaping_includes_and_snapshot_names_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), "_outside.yaml", "name: o\nsteps: []\n");
    write(
        dir.path(),
        "scenarios/shop/s.yaml",
        "name: s\nsteps:\n  - include: {file: ../../_outside.yaml}\n  - request: {path: /a}\n    snapshot: ../../../x\n",
    );
    let root = dir.path().join("scenarios");
    let out = bin().arg("lint").arg(&root).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("outside the scenario root"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("not a plain name"), "{}", text(&out));
    let big = "x".repeat(100);
    write(
        dir.path(),
        "scenarios/shop/big.yaml",
        &format!("name: b\n# {big}\nsteps: []\n"),
    );
    let out = bin()
        .arg("lint")
        .arg(root.join("shop/big.yaml"))
        .args(["--max-scenario-bytes", "50"])
        .output()
        .expect("runs");
    assert!(
        text(&out).contains("larger than 50 bytes (the bound set by --max-scenario-bytes)"),
        "{}",
        text(&out)
    );
}

/// A server answering `/big` with a body that never ends and anything else with `{}`.
fn endless() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || serve(conn));
        }
    });
    url
}

fn serve(mut conn: std::net::TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    if head.starts_with(b"GET /big") {
        let _ = conn.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        );
        let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
        // Until the client hangs up: the answer has no end.
        while conn.write_all(chunk.as_bytes()).is_ok() {}
    } else {
        let _ = conn.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
        );
    }
}

#[test]
fn run_fails_the_step_of_an_endless_answer_and_goes_on() {
    let target = endless();
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "scenarios/shop/a_big.yaml",
        "name: big\nsteps:\n  - request: {method: GET, path: /big}\n    assert: {status: 200}\n",
    );
    write(
        dir.path(),
        "scenarios/shop/b_small.yaml",
        "name: small\nsteps:\n  - request: {method: GET, path: /small}\n    assert: {status: 200}\n",
    );
    let start = Instant::now();
    let out = bin()
        .arg("run")
        .arg(dir.path().join("scenarios"))
        .args(["--target", &target, "--max-response-bytes", "100000"])
        .output()
        .expect("runs");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("answer larger than 100000 bytes"), "{said}");
    assert!(
        said.contains("1 passed"),
        "the next scenario still runs: {said}"
    );
}

/// An `--env` file and a GraphQL schema given to lint are bounded reads like specs and
/// scenarios: a device is refused at once, naming it, never read until memory runs out.
#[test]
fn a_device_as_env_file_or_graphql_schema_is_refused_at_once() {
    let run = bin()
        .args(["run", "scenarios/websale-storefront", "--target"])
        .args(["http://127.0.0.1:9", "--env", "/dev/zero"])
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(text(&run).contains("/dev/zero"), "{}", text(&run));
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = dir.path().join("zero.graphql");
    std::os::unix::fs::symlink("/dev/zero", &schema).expect("symlink");
    let lint = bin().arg("lint").arg(&schema).output().expect("lint");
    assert_eq!(lint.status.code(), Some(2), "{}", text(&lint));
    assert!(
        text(&lint).contains("not a regular file"),
        "{}",
        text(&lint)
    );
}
