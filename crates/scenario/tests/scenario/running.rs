//! Scenarios run over HTTP against a cartwright mock of the Vendo spec, and against a
//! server that is not one.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cartwright_diag::Sources;
use cartwright_mock::{Config, Mock};
use cartwright_outcome::{Run, Status};
use cartwright_scenario::send::Masker;
use cartwright_scenario::snapshot::Mode;
use cartwright_scenario::{Loaded, Options};
use cartwright_source::Reader;
use cartwright_spec::LoadOptions;
use serde_json::Map;

const SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../specs/vendo-storefront.yaml"
);

fn api() -> Arc<cartwright_model::Api> {
    let text = std::fs::read_to_string(SPEC).expect("spec");
    let loaded =
        cartwright_spec::load_str(SPEC, &text, &LoadOptions::default(), &mut Sources::new())
            .expect("loads");
    Arc::new(loaded.api)
}

pub(crate) async fn mock() -> (cartwright_mock::Running, String) {
    let text = std::fs::read_to_string(SPEC).expect("spec");
    let loaded =
        cartwright_spec::load_str(SPEC, &text, &LoadOptions::default(), &mut Sources::new())
            .expect("loads");
    let mock = Arc::new(Mock::new(
        vec![loaded.api],
        Config {
            log_requests: false,
            ..Config::default()
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running = cartwright_mock::serve(mock, listener, std::future::pending()).expect("serve");
    let base = format!("http://{}", running.addr);
    (running, base)
}

/// Writes scenario files into `<dir>/scenarios/vendo-storefront/` and loads them.
pub(crate) fn scenarios(dir: &Path, files: &[(&str, &str)]) -> Vec<Loaded> {
    let folder = dir.join("scenarios/vendo-storefront");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let mut out = Vec::new();
    for (name, text) in files {
        let path = folder.join(name);
        std::fs::write(&path, text).expect("write");
        if name.starts_with('_') {
            continue;
        }
        let loaded =
            cartwright_scenario::load(&path, &Reader::new(), &mut Sources::new()).expect("parses");
        out.push(Loaded {
            api: Some(api()),
            api_name: "vendo-storefront".into(),
            ..loaded
        });
    }
    out
}

pub(crate) fn options(target: &str, dir: &Path, mode: Mode) -> Options {
    Options {
        target: target.into(),
        vars: Map::new(),
        masker: Masker::default(),
        snapshots: mode,
        snapshot_root: dir.join("snapshots"),
        jobs: 2,
        timeout: Duration::from_secs(5),
        admin_token: None,
        max_response_bytes: cartwright_http::MAX_BODY,
    }
}

async fn run(target: &str, dir: &Path, mode: Mode, loaded: Vec<Loaded>) -> Run {
    cartwright_scenario::run(loaded, &options(target, dir, mode), |_| {}).await
}

const CART: &str = r#"
name: cart flow
vars: {variants: ["1", "2"]}
steps:
  - include: {file: _cart.yaml}
  - name: add each variant
    each: "{{ variants }}"
    request:
      method: POST
      path: /cart/add_item
      headers: {X-Vendo-Order-Token: "{{ order }}"}
      json: {variant_id: "{{ item }}", quantity: 2}
    assert: {status: 200}
  - request:
      path: /cart
      headers: {X-Vendo-Order-Token: "{{ order }}"}
    capture:
      count: $.data.attributes.item_count
    assert:
      status: 200
      headers: {content-type: {contains: json}}
      body:
        $.data.attributes.item_count: 4
        $.data.attributes.item_total: "64.98"
        $.included: {length: 2, type: array}
        $.included[*].attributes.name: {contains: Vendo Mug}
        $.data.attributes.state: {one_of: [cart, address]}
      duration: "< 5s"
  - name: a slash in a value stays inside its segment
    request:
      method: DELETE
      path: "/cart/remove_line_item/{{ 'a/../b' }}"
      headers: {X-Vendo-Order-Token: "{{ order }}"}
    assert: {status: 404}
  - name: skipped when the count is right
    skip_if: "count == 4"
    request: {path: /nowhere}
  - mock: {advance: 1m}
"#;

const INCLUDED: &str = r#"
name: a cart
steps:
  - request: {method: POST, path: /cart}
    capture:
      order: {jsonpath: $.data.attributes.token, secret: true}
    assert: {status: 201}
"#;

#[tokio::test]
async fn a_flow_passes_with_captures_each_include_skip_and_mock_steps() {
    let (_mock, base) = mock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = scenarios(dir.path(), &[("_cart.yaml", INCLUDED), ("cart.yaml", CART)]);
    let run = run(&base, dir.path(), Mode::Locked, loaded).await;
    let case = &run.cases[0];
    assert_eq!(case.status(), Status::Passed, "{case:#?}");
    let names: Vec<&str> = case.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("add each variant"))
            .count(),
        2
    );
    let skipped = case
        .steps
        .iter()
        .find(|s| s.status == Status::Skipped)
        .expect("one skipped");
    assert!(
        skipped
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("skip_if"))
    );
    assert!(
        case.steps.iter().any(|s| s
            .checks
            .iter()
            .any(|c| c.name.starts_with("schema getCart") && c.passed)),
        "contract checked"
    );
    let curl = case.steps[1].curl.as_deref().expect("curl");
    assert!(
        curl.contains("X-Vendo-Order-Token: ****"),
        "secret capture masked: {curl}"
    );
    assert!(!case.steps.iter().any(|s| {
        s.response_body
            .as_deref()
            .unwrap_or("")
            .contains("token\":\"")
            && !s.response_body.as_deref().unwrap_or("").contains("****")
    }));
}

#[tokio::test]
async fn a_failing_assertion_says_what_was_expected_and_found() {
    let (_mock, base) = mock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "name: wrong\nsteps:\n  - request: {method: POST, path: /cart}\n    assert: {status: 200, body: {$.data.type: order}}\n  - request: {path: /never}\n";
    let run = run(
        &base,
        dir.path(),
        Mode::Locked,
        scenarios(dir.path(), &[("wrong.yaml", text)]),
    )
    .await;
    let case = &run.cases[0];
    assert_eq!(case.status(), Status::Failed);
    assert_eq!(case.steps.len(), 1, "stops at the first failure");
    let failed: Vec<_> = case.steps[0].failures().collect();
    assert_eq!(failed.len(), 2);
    assert_eq!(
        (failed[0].expected.as_deref(), failed[0].actual.as_deref()),
        (Some("== 200"), Some("201"))
    );
    assert_eq!(failed[1].actual.as_deref(), Some("\"cart\""));
    let span = case.steps[0].span.as_ref().expect("placed");
    assert_eq!(span.start.line, 3);
}

#[tokio::test]
async fn snapshots_are_pending_then_accepted_then_compared() {
    let (_mock, base) = mock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "name: snap\nsteps:\n  - request: {method: POST, path: /cart}\n    snapshot: {name: created, redact: [$.data.id, $.data.attributes.token, $.data.attributes.number, $..created_at, $..updated_at]}\n";
    let files = [("snap.yaml", text)];
    let snap: PathBuf = dir
        .path()
        .join("snapshots/vendo-storefront/snap__created.snap");
    let first = run(
        &base,
        dir.path(),
        Mode::Review,
        scenarios(dir.path(), &files),
    )
    .await;
    assert_eq!(
        first.cases[0].status(),
        Status::Failed,
        "missing snapshot fails"
    );
    assert!(PathBuf::from(format!("{}.new", snap.display())).exists());
    let second = run(
        &base,
        dir.path(),
        Mode::Update,
        scenarios(dir.path(), &files),
    )
    .await;
    assert_eq!(second.cases[0].status(), Status::Passed);
    let text = std::fs::read_to_string(&snap).expect("written");
    assert!(
        text.starts_with("---\nsource: ") && text.contains("\"token\": \"[redacted string]\""),
        "{text}"
    );
    let third = run(
        &base,
        dir.path(),
        Mode::Locked,
        scenarios(dir.path(), &files),
    )
    .await;
    assert_eq!(
        third.cases[0].status(),
        Status::Passed,
        "{:#?}",
        third.cases[0]
    );
    std::fs::write(&snap, text.replace("\"cart\"", "\"order\"")).expect("edit");
    let fourth = run(
        &base,
        dir.path(),
        Mode::Locked,
        scenarios(dir.path(), &files),
    )
    .await;
    let check = fourth.cases[0].steps[0]
        .failures()
        .next()
        .expect("differs")
        .clone();
    assert!(
        check
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("-      \"type\": \"order\"")),
        "{check:?}"
    );
    assert!(
        !PathBuf::from(format!("{}.new", snap.display())).exists(),
        "nothing written when locked"
    );
}

/// A server that answers every request with `200 {}`: not a cartwright mock.
async fn plain() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}").await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn mock_steps_are_skipped_against_another_server_and_an_unreachable_target_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "name: both\nsteps:\n  - mock: reset\n  - request: {path: /cart}\n    assert: {status: 200, schema: false}\n";
    let files = [("both.yaml", text)];
    let target = plain().await;
    let run1 = run(
        &target,
        dir.path(),
        Mode::Locked,
        scenarios(dir.path(), &files),
    )
    .await;
    let case = &run1.cases[0];
    assert_eq!(case.status(), Status::Passed, "{case:#?}");
    assert_eq!(case.steps[0].status, Status::Skipped);
    assert!(
        case.steps[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("not a cartwright mock"))
    );
    let run2 = run(
        "http://127.0.0.1:9",
        dir.path(),
        Mode::Locked,
        scenarios(dir.path(), &files),
    )
    .await;
    assert_eq!(run2.cases[0].status(), Status::Errored);
    assert!(
        run2.cases[0].steps[1]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("unreachable"))
    );
}

#[tokio::test]
async fn secrets_are_masked_in_failed_checks_too() {
    let (_mock, base) = mock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "name: leak\nsteps:\n  - request: {method: POST, path: /cart, headers: {Authorization: 'Bearer {{ key }}'}}\n    assert: {body: {$.data.type: '{{ key }}'}}\n";
    let mut opts = options(&base, dir.path(), Mode::Locked);
    opts.vars.insert("key".into(), "hunter2-very-secret".into());
    opts.masker.add("hunter2-very-secret");
    let run =
        cartwright_scenario::run(scenarios(dir.path(), &[("leak.yaml", text)]), &opts, |_| {})
            .await;
    let json = serde_json::to_string(&run).expect("serialises");
    assert_eq!(run.cases[0].status(), Status::Failed);
    assert!(!json.contains("hunter2"), "{json}");
    assert!(json.contains("== \\\"****\\\""), "{json}");
}

#[tokio::test]
async fn retry_sends_again_until_the_assertions_hold_or_attempts_run_out() {
    let (_mock, base) = mock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = |count: u32| {
        format!(
            "name: retry {count}\nsteps:\n  - request: {{method: POST, path: /cart}}\n    capture: {{order: $.data.attributes.token}}\n  - request:\n      method: POST\n      path: /cart/add_item\n      headers: {{X-Vendo-Order-Token: '{{{{ order }}}}'}}\n      json: {{variant_id: '1'}}\n    retry: {{count: {count}, interval: 1ms}}\n    assert:\n      body:\n        $.data.attributes.item_count: {{'>=': 3}}\n"
        )
    };
    let enough = text(4);
    let short = text(1);
    let run = run(
        &base,
        dir.path(),
        Mode::Locked,
        scenarios(
            dir.path(),
            &[("enough.yaml", &enough), ("short.yaml", &short)],
        ),
    )
    .await;
    assert_eq!(run.cases[0].status(), Status::Passed, "{:#?}", run.cases[0]);
    assert_eq!(
        run.cases[1].status(),
        Status::Failed,
        "two attempts reach only 2 items"
    );
    let failed = run.cases[1].steps[1]
        .failures()
        .next()
        .expect("a failure")
        .clone();
    assert_eq!(failed.actual.as_deref(), Some("2"));
}
