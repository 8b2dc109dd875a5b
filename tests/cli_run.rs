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
