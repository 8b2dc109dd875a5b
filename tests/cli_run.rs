//! `cartwright run`, `lint` of scenarios and `snapshots` end to end: outputs, reports and
//! exit codes (0 passed, 1 failed, 2 invalid, 3 unreachable).

use std::path::Path;
use std::process::Output;

#[path = "cli/spawn.rs"]
mod spawn;

use spawn::{bin, mock};

fn run(args: &[&str]) -> Output {
    bin().arg("run").args(args).output().expect("runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn passing_scenarios_exit_0_and_write_junit_and_json() {
    let m = mock("specs/vendo-storefront.yaml");
    let dir = tempfile::tempdir().expect("tempdir");
    let junit = dir.path().join("junit.xml");
    let json = dir.path().join("run.json");
    let out = run(&[
        "tests/cli/run/scenarios",
        "--spec",
        "specs/vendo-storefront.yaml",
        "--target",
        &m.1,
        "--env",
        "tests/cli/run/env.yaml",
        "--report-junit",
        junit.to_str().expect("utf-8"),
        "--report-json",
        json.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("1 scenarios: 1 passed"),
        "{}",
        text(&out)
    );
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(
        xml.contains(
            "<testcase classname=\"vendo-storefront\" name=\"a cart remembers its items\""
        ),
        "{xml}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("JSON");
    assert_eq!(report["totals"]["steps"], 4);
    assert!(
        !std::fs::read_to_string(&json)
            .expect("json")
            .contains(&m.1.replace("http://", "token\":\""))
    );
}

#[test]
fn an_unmet_assertion_exits_1_with_the_request_and_expectation() {
    let m = mock("specs/vendo-storefront.yaml");
    let out = run(&[
        "tests/cli/run/failing",
        "--spec",
        "specs/vendo-storefront.yaml",
        "--target",
        &m.1,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("--> tests/cli/run/failing/vendo-storefront/wrong.yaml:3:5"),
        "{t}"
    );
    assert!(t.contains("request:  curl -X POST '"), "{t}");
    assert!(
        t.contains("expected: == \"address\"") && t.contains("actual:   \"cart\""),
        "{t}"
    );
}

#[test]
fn a_broken_scenario_exits_2_with_its_place_before_anything_is_sent() {
    let out = run(&["tests/cli/run/broken", "--target", "http://127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("tests/cli/run/broken/vendo-storefront/typo.yaml:4:5"),
        "{t}"
    );
    assert!(t.contains("did you mean `assert`?"), "{t}");
    let lint = bin()
        .args(["lint", "tests/cli/run/broken"])
        .output()
        .expect("runs");
    assert_eq!(lint.status.code(), Some(2));
}

#[test]
fn an_unreachable_target_exits_3() {
    let out = run(&["tests/cli/run/failing", "--target", "http://127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("unreachable"));
}

#[test]
fn pending_snapshots_are_reviewed_accepted_and_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snaps = dir.path().join("api");
    std::fs::create_dir_all(&snaps).expect("mkdir");
    std::fs::write(
        snaps.join("a__x.snap"),
        "---\nsource: a\nexpression: GET /\n---\n{\n  \"status\": 200\n}\n",
    )
    .expect("write");
    std::fs::write(
        snaps.join("a__x.snap.new"),
        "---\nsource: a\nexpression: GET /\n---\n{\n  \"status\": 404\n}\n",
    )
    .expect("write");
    std::fs::write(
        snaps.join("b__y.snap.new"),
        "---\nsource: b\nexpression: GET /\n---\n{}\n",
    )
    .expect("write");
    let dir_s = dir.path().to_str().expect("utf-8");
    let review = bin()
        .args(["snapshots", "review", dir_s])
        .output()
        .expect("runs");
    assert_eq!(
        review.status.code(),
        Some(1),
        "pending snapshots fail review"
    );
    let t = text(&review);
    assert!(
        t.contains("-  \"status\": 200") && t.contains("+  \"status\": 404"),
        "{t}"
    );
    std::fs::rename(snaps.join("b__y.snap.new"), dir.path().join("keep")).expect("move aside");
    let accept = bin()
        .args(["snapshots", "accept", dir_s])
        .output()
        .expect("runs");
    assert_eq!(accept.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(snaps.join("a__x.snap"))
            .expect("read")
            .contains("404")
    );
    std::fs::rename(dir.path().join("keep"), snaps.join("b__y.snap.new")).expect("move back");
    let reject = bin()
        .args(["snapshots", "reject", dir_s])
        .output()
        .expect("runs");
    assert_eq!(reject.status.code(), Some(0));
    assert!(!Path::new(&snaps.join("b__y.snap.new")).exists());
}

#[test]
fn tags_that_select_no_scenario_are_a_usage_error_not_a_pass() {
    let out = run(&[
        "tests/cli/run/scenarios",
        "--spec",
        "specs/vendo-storefront.yaml",
        "--target",
        "http://127.0.0.1:9",
        "--env",
        "tests/cli/run/env.yaml",
        "--tags",
        "no-such-tag",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains(
            "--tags no-such-tag matches none of the scenarios in tests/cli/run/scenarios"
        ),
        "{}",
        text(&out)
    );
}

#[test]
fn an_invalid_input_still_writes_the_reports_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (junit, json) = (dir.path().join("junit.xml"), dir.path().join("run.json"));
    let out = run(&[
        "tests/cli/run/broken",
        "--target",
        "http://127.0.0.1:9",
        "--report-junit",
        junit.to_str().expect("utf-8"),
        "--report-json",
        json.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let xml = std::fs::read_to_string(&junit).expect("junit written for an invalid input");
    assert!(xml.contains("errors=\"1\""), "{xml}");
    assert!(xml.contains("load tests/cli/run/broken"), "{xml}");
    assert!(xml.contains("<error message="), "{xml}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("JSON");
    assert_eq!(report["totals"]["errored"], 1, "{report}");
}

#[test]
fn a_terminal_shows_each_scenario_once() {
    let m = mock("specs/vendo-storefront.yaml");
    let cmd = format!(
        "{} run tests/cli/run/scenarios --spec specs/vendo-storefront.yaml --target {} --env tests/cli/run/env.yaml",
        env!("CARGO_BIN_EXE_cartwright"),
        m.1
    );
    // `script` runs the command on a pseudo-terminal, so stdout and stderr are one screen.
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("script (util-linux) runs");
    let t = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("1 scenarios: 1 passed"), "{t}");
    assert_eq!(t.matches("a cart remembers its items").count(), 1, "{t}");
    // Piped, the report keeps its line per case (a CI log shows it once too: on stdout).
    let piped = run(&[
        "tests/cli/run/scenarios",
        "--spec",
        "specs/vendo-storefront.yaml",
        "--target",
        &m.1,
        "--env",
        "tests/cli/run/env.yaml",
    ]);
    let stdout = String::from_utf8_lossy(&piped.stdout);
    assert_eq!(
        stdout.matches("a cart remembers its items").count(),
        1,
        "{stdout}"
    );
}

fn pending(dir: &Path, name: &str, old: Option<&str>, new: &str) {
    let snap = |body: &str| format!("---\nsource: {name}\nexpression: GET /\n---\n{body}\n");
    if let Some(o) = old {
        std::fs::write(dir.join(format!("{name}.snap")), snap(o)).expect("write");
    }
    std::fs::write(dir.join(format!("{name}.snap.new")), snap(new)).expect("write");
}

#[test]
fn one_snapshot_is_accepted_by_name_or_told_why_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    pending(
        dir.path(),
        "a__x",
        Some("{\"status\": 200}"),
        "{\"status\": 404}",
    );
    pending(dir.path(), "b__y", None, "{}");
    let a = dir.path().join("a__x.snap");
    let accept = bin()
        .args(["snapshots", "accept", a.to_str().expect("utf-8")])
        .output()
        .expect("runs");
    assert_eq!(accept.status.code(), Some(0), "{}", text(&accept));
    assert!(std::fs::read_to_string(&a).expect("read").contains("404"));
    assert!(
        dir.path().join("b__y.snap.new").exists(),
        "only the named one"
    );
    let again = bin()
        .args(["snapshots", "accept", a.to_str().expect("utf-8")])
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("a__x.snap has no pending change")
            && text(&again).contains("it matches its last run"),
        "{}",
        text(&again)
    );
}

#[test]
fn review_decides_one_snapshot_at_a_time() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().expect("tempdir");
    for n in ["a__1", "b__2", "c__3"] {
        pending(dir.path(), n, Some("{\"v\": 1}"), "{\"v\": 2}");
    }
    let mut child = bin()
        .args(["snapshots", "review", "--interactive"])
        .arg(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a\nwhat\nr\ns\n")
        .expect("answers");
    let out = child.wait_with_output().expect("ends");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "one stays pending: {t}");
    assert!(t.contains("`what` is not one of a, r, s"), "{t}");
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).ok();
    assert!(
        read("a__1.snap").is_some_and(|s| s.contains("\"v\": 2")),
        "accepted"
    );
    assert!(
        read("b__2.snap.new").is_none()
            && read("b__2.snap").is_some_and(|s| s.contains("\"v\": 1")),
        "rejected"
    );
    assert!(read("c__3.snap.new").is_some(), "skipped");
}

fn scenario_file(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p.to_str().expect("utf-8").to_owned()
}

#[test]
fn a_name_undefined_at_run_time_is_named() {
    let m = mock("specs/centra-checkout.yaml");
    let dir = tempfile::tempdir().expect("tempdir");
    let f = scenario_file(
        dir.path(),
        "undefined.yaml",
        "name: undefined at run time\nsteps:\n  - request: {path: /api/checkout/selection}\n    skip_if: \"true\"\n    capture: {token: {jsonpath: $.token}}\n  - request: {path: \"/api/checkout/items/{{ token }}\"}\n",
    );
    let out = run(&[&f, "--target", &m.1]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("`token` is not defined here"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("undefined.yaml:6:5"), "{}", text(&out));
}

#[test]
fn a_failing_secret_capture_does_not_print_the_secret() {
    let m = mock("specs/centra-checkout.yaml");
    let dir = tempfile::tempdir().expect("tempdir");
    let f = scenario_file(
        dir.path(),
        "secret.yaml",
        "name: a secret capture whose regex misses\nsteps:\n  - request: {path: /api/checkout/selection}\n    capture: {token: {jsonpath: $.token, secret: true, regex: \"^zzz(.*)$\"}}\n",
    );
    let json = dir.path().join("run.json");
    let out = run(&[
        &f,
        "--target",
        &m.1,
        "--report-json",
        json.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report = std::fs::read_to_string(&json).expect("json");
    // The token the mock handed out is in the answer the report shows, masked.
    let shown = text(&out);
    assert!(shown.contains("capture token"), "{shown}");
    assert!(shown.contains("{\"token\":\"****\""), "{shown}");
    assert!(
        !regex_like_token(&shown) && !regex_like_token(&report),
        "a 32-hex token leaked: {shown}\n{report}"
    );
}

/// Whether text holds a 32-hex-digit token (the mock's session tokens).
fn regex_like_token(text: &str) -> bool {
    text.as_bytes().windows(32).any(|w| {
        w.iter()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}
