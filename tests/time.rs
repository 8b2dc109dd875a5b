//! One duration grammar and one timestamp format wherever cartwright reads or writes time:
//! behaviours' lifetimes, scenario timings and clock steps, and the clock endpoints of both
//! the REST and the GraphQL mock.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const GOOD: [&str; 6] = ["500ms", "1.5s", "90s", "10m", "1.5h", "31d"];
const BAD: &str = "3 weeks";
const GRAMMAR: &str = "ms, s, m, h, d";

fn spec_with_ttl(dir: &Path, ttl: &str) -> std::path::PathBuf {
    let text =
        std::fs::read_to_string(root().join("specs/centra-checkout.yaml")).expect("seed spec");
    assert!(text.contains("ttl: 1h"), "the spec has a session lifetime");
    let path = dir.join("centra-checkout.yaml");
    std::fs::write(&path, text.replacen("ttl: 1h", &format!("ttl: {ttl}"), 1)).expect("write");
    path
}

#[test]
fn behaviours_read_the_grammar() {
    let dir = tempfile::tempdir().expect("tmp");
    for ttl in GOOD {
        let mut sources = cartwright_diag::Sources::new();
        let loaded = cartwright_spec::load(
            &spec_with_ttl(dir.path(), ttl),
            &Default::default(),
            &mut sources,
        );
        assert!(loaded.is_ok(), "ttl {ttl} loads");
    }
    let mut sources = cartwright_diag::Sources::new();
    let errs = cartwright_spec::load(
        &spec_with_ttl(dir.path(), BAD),
        &Default::default(),
        &mut sources,
    )
    .expect_err("a bad ttl does not load");
    let text = cartwright_diag::render_all(&errs, &sources, false);
    assert!(text.contains("`3 weeks` is not a duration"), "{text}");
    assert!(text.contains("ms, s, m, h or d"), "{text}");
}

fn lint_scenario(dir: &Path, advance: &str, interval: &str) -> (i32, String) {
    let path = dir.join("timing.yaml");
    std::fs::write(
        &path,
        format!(
            "name: timing\nsteps:\n  - mock: {{advance: {advance}}}\n  - request: {{path: /selection}}\n    retry: {{count: 1, interval: {interval}}}\n    assert: {{status: 200}}\n"
        ),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_cartwright"))
        .arg("lint")
        .arg(&path)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout),
    )
}

#[test]
fn scenarios_read_the_grammar() {
    let dir = tempfile::tempdir().expect("tmp");
    for d in GOOD {
        let (code, out) = lint_scenario(dir.path(), d, d);
        assert_eq!(code, 0, "{d}: {out}");
    }
    let (code, out) = lint_scenario(dir.path(), BAD, "1s");
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("`3 weeks` is not a duration") && out.contains(GRAMMAR),
        "{out}"
    );
    let (code, out) = lint_scenario(dir.path(), "1s", BAD);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("`3 weeks` is not a duration") && out.contains(GRAMMAR),
        "{out}"
    );
}

async fn post(client: &reqwest::Client, url: &str, body: Value) -> (u16, Value) {
    let r = client.post(url).json(&body).send().await.expect("send");
    (r.status().as_u16(), r.json().await.expect("json"))
}

#[tokio::test]
async fn both_clock_endpoints_read_the_grammar_and_answer_the_same_format() {
    let rest = support::serve(support::load_lenient(
        &root().join("specs/centra-checkout.yaml"),
    ))
    .await;
    let (_gql, gql) = support::serve_graphql("centra-storefront").await;
    let client = reqwest::Client::new();
    for base in [rest.base.as_str(), gql.as_str()] {
        let url = format!("{base}/__cartwright/clock");
        let mut offset = 0;
        for (d, ms) in GOOD
            .iter()
            .zip([500, 1_500, 90_000, 600_000, 5_400_000, 2_678_400_000i64])
        {
            let (status, v) = post(&client, &url, json!({"advance": d})).await;
            assert_eq!(status, 200, "{base} {d}: {v}");
            offset += ms;
            assert_eq!(v["offset_ms"], json!(offset), "{base} {d}");
        }
        let (_, v) = post(&client, &url, json!({"advance": 90})).await;
        assert_eq!(
            v["offset_ms"],
            json!(offset + 90_000),
            "bare numbers are seconds"
        );
        let got: Value = client
            .get(&url)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        let keys: Vec<&String> = got.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["now", "now_ms", "offset_ms"], "{base}");
        let now = got["now"].as_str().expect("now");
        let expect = cartwright_model::iso(got["now_ms"].as_i64().expect("ms").div_euclid(1000));
        assert_eq!(now, expect, "{base}: RFC 3339 UTC with Z");
        assert!(now.ends_with('Z'), "{now}");
        let (status, v) = post(&client, &url, json!({"advance": BAD})).await;
        assert_eq!(status, 400, "{base}");
        let text = v.to_string();
        assert!(
            text.contains("`3 weeks` is not a duration") && text.contains(GRAMMAR),
            "{text}"
        );
    }
}
