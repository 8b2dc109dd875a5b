//! The `cartwright` binary end to end: lint output and exit codes, the mock's start-up,
//! hot reload with `--watch`, and graceful shutdown on Ctrl-C.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "cli/closed_stdout.rs"]
mod closed_stdout;
#[path = "cli/request_log.rs"]
mod request_log;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cartwright"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    c
}

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli")
        .join(name)
}

#[test]
fn lint_reports_place_line_caret_and_suggestion_with_exit_2() {
    let out = bin()
        .args(["lint", "tests/cli/broken-ref.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = std::fs::read_to_string(case("broken-ref.stderr")).expect("expected output");
    assert_eq!(stderr.trim_end(), expected.trim_end());
}

#[test]
fn lint_passes_a_sound_spec_with_exit_0() {
    let out = bin()
        .args(["lint", "tests/cli/sound.yaml"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "tests/cli/sound.yaml: ok"
    );
}

#[test]
fn mock_refuses_a_broken_spec_unless_lenient() {
    let out = bin()
        .args(["mock", "tests/cli/broken-ref.yaml", "--port", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ref-not-found"));
}

/// A running `cartwright mock` and the URL it printed.
struct Running {
    child: Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Running {
    let child = bin()
        .arg("mock")
        .args(args)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    // Owned by `Running` at once, so it is killed and waited for on every path.
    let mut running = Running {
        child,
        url: String::new(),
    };
    let stdout = running.child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        if let Some(rest) = line.strip_prefix("listening on ") {
            running.url = rest.split_whitespace().next().unwrap_or("").to_owned();
            std::thread::spawn(move || lines.for_each(drop));
            return running;
        }
        printed.push(line);
    }
    panic!("no URL printed; stdout was:\n{}", printed.join("\n"));
}

fn get(url: &str) -> (u16, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let res = reqwest::get(url).await.expect("request");
        let status = res.status().as_u16();
        (status, res.text().await.unwrap_or_default())
    })
}

#[test]
fn mock_serves_lenient_specs_and_lists_what_it_skipped() {
    let r = start(&["tests/cli/broken-ref.yaml", "--lenient"]);
    let (status, body) = get(&format!("{}/__cartwright/health", r.url));
    assert_eq!(status, 200);
    assert!(
        body.contains("\"skipped\":[{\"operation\":\"GET /broken\""),
        "{body}"
    );
    assert_eq!(get(&format!("{}/fine", r.url)).0, 200);
    assert_eq!(get(&format!("{}/broken", r.url)).0, 404);
}

#[test]
fn watch_reloads_good_edits_and_keeps_serving_through_bad_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("shop.yaml");
    let sound = std::fs::read_to_string(case("sound.yaml")).expect("fixture");
    std::fs::write(&spec, &sound).expect("write");
    let r = start(&[spec.to_str().expect("utf-8"), "--watch", "--quiet"]);
    let url = format!("{}/fine", r.url);
    assert_eq!(get(&url).0, 200);

    std::fs::write(&spec, "openapi: 3.0.3\npaths: [broken").expect("write");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(get(&url).0, 200, "a broken edit keeps the running version");

    std::fs::write(&spec, sound.replace("/fine", "/renamed")).expect("write");
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(&format!("{}/renamed", r.url)).0 != 200 {
        assert!(Instant::now() < deadline, "reload did not happen");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(&url).0, 404);
}

#[test]
fn ctrl_c_shuts_down_gracefully() {
    let mut r = start(&["tests/cli/sound.yaml"]);
    assert_eq!(get(&format!("{}/fine", r.url)).0, 200);
    let pid = r.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = r.child.try_wait().expect("wait") {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn help_is_complete() {
    let out = bin().arg("--help").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("mock") && text.contains("lint"), "{text}");
    let out = bin().args(["mock", "--help"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--host",
        "--overlay",
        "--seed",
        "--lenient",
        "--watch",
        "--quiet",
        "--allow-origin",
        "--correlation-header",
        "--errors",
        "--proxy",
        "--proxy-strict",
        "--proxy-only",
        "--mock-only",
        "--record",
    ] {
        assert!(text.contains(flag), "mock --help lacks {flag}");
    }
}

#[test]
fn overlays_apply_explicitly_or_beside_the_spec() {
    let r = start(&["tests/cli/sound.yaml", "--overlay", "tests/cli/flip.yaml"]);
    assert_eq!(get(&format!("{}/fine", r.url)).1, r#"{"ok":false}"#);
    drop(r);

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(case("sound.yaml"), dir.path().join("shop.yaml")).expect("copy");
    std::fs::copy(case("flip.yaml"), dir.path().join("shop.overlay.yaml")).expect("copy");
    let r = start(&[dir.path().join("shop.yaml").to_str().expect("utf-8")]);
    assert_eq!(get(&format!("{}/fine", r.url)).1, r#"{"ok":false}"#);
}

#[test]
fn a_broken_overlay_is_refused_with_its_place() {
    let out = bin()
        .args([
            "lint",
            "tests/cli/sound.yaml",
            "--overlay",
            "tests/cli/bad-overlay.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[overlay]: `$.paths[?` is not a JSONPath expression"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> tests/cli/bad-overlay.yaml:6:5"),
        "{stderr}"
    );
}

#[test]
fn lint_of_a_folder_reads_specs_as_specs_and_graphql_as_graphql() {
    let out = bin()
        .args(["lint", "specs/", "specs/centra-storefront.graphql"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stderr.contains("unknown key"), "{stderr}");
    for spec in [
        "specs/centra-checkout.yaml: ok",
        "specs/vendo-storefront.yaml: ok",
        "specs/centra-storefront.graphql: ok",
    ] {
        assert!(stdout.contains(spec), "{spec} missing:\n{stdout}");
    }
    let nothing = bin()
        .args(["lint", "specs/overlays/"])
        .output()
        .expect("runs");
    assert_eq!(
        nothing.status.code(),
        Some(2),
        "a folder of overlays alone lints nothing"
    );
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.graphql");
    std::fs::write(&bad, "type Query { a: Nope }\n").expect("written");
    let out = bin().arg("lint").arg(&bad).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("\"Nope\" not found"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn proxy_flags_name_unknown_operations_and_need_a_proxy() {
    let out = bin()
        .args([
            "mock",
            "tests/cli/sound.yaml",
            "--port",
            "0",
            "--proxy",
            "http://127.0.0.1:9",
        ])
        .args(["--proxy-only", "nosuchOperation"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no operation `nosuchOperation`"),
        "{stderr}"
    );
    let out = bin()
        .args([
            "mock",
            "tests/cli/sound.yaml",
            "--port",
            "0",
            "--record",
            "x",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--proxy"));
}
