//! `mock: {stub: …}` and `mock: {expect: …}` steps against a cartwright mock of the Vendo
//! spec: a stub answers, a journal count passes or fails with expected and actual, a stub
//! the mock refuses fails its step with the reason, lint finds a stub of no operation, and
//! against another server both are skipped.

use std::collections::BTreeSet;

use cartwright_diag::Sources;
use cartwright_outcome::{Case, Status};
use cartwright_scenario::snapshot::Mode;

use super::running::{mock, options, scenarios};
use super::serve::without_admin;

async fn one(target: &str, text: &str) -> Case {
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = scenarios(dir.path(), &[("flow.yaml", text)]);
    let opts = options(target, dir.path(), Mode::Locked);
    let mut run = cartwright_scenario::run(loaded, &opts, |_| {}).await;
    run.cases.remove(0)
}

const FAILED_ADD: &str = r#"
name: an item that cannot be added
steps:
  - request: {method: POST, path: /cart}
    capture: {order: {jsonpath: $.data.attributes.token, secret: true}}
  - mock:
      stub:
        match: {operation: addItem, body: [{path: $.variant_id, equals: "{{ variant }}"}]}
        answer: {status: 404}
        times: 1
  - name: the stubbed add
    mock_only: true
    request:
      method: POST
      path: /cart/add_item
      headers: {X-Vendo-Order-Token: "{{ order }}"}
      json: {variant_id: "{{ variant }}"}
    assert: {status: 404}
  - name: the behaviour's add
    request:
      method: POST
      path: /cart/add_item
      headers: {X-Vendo-Order-Token: "{{ order }}"}
      json: {variant_id: "{{ variant }}"}
    assert: {status: 200}
  - mock:
      expect: {operation: addItem, count: COUNT}
vars: {variant: "2"}
"#;

#[tokio::test]
async fn a_stub_answers_and_an_expect_counts_the_journal() {
    let (_mock, base) = mock().await;
    let case = one(&base, &FAILED_ADD.replace("COUNT", "2")).await;
    assert_eq!(case.status(), Status::Passed, "{case:#?}");
    let names: Vec<&str> = case.steps.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"mock stub addItem"), "{names:?}");
    assert!(names.contains(&"mock expect addItem × 2"), "{names:?}");
}

#[tokio::test]
async fn an_expect_that_differs_fails_with_expected_and_actual() {
    let (_mock, base) = mock().await;
    let case = one(&base, &FAILED_ADD.replace("COUNT", "3")).await;
    assert_eq!(case.status(), Status::Failed);
    let last = case.steps.last().expect("steps");
    let failed: Vec<_> = last.failures().collect();
    assert_eq!(
        (failed[0].expected.as_deref(), failed[0].actual.as_deref()),
        (Some("3 requests"), Some("2 requests"))
    );
}

#[tokio::test]
async fn a_stub_the_mock_refuses_fails_its_step_with_the_reason() {
    let (_mock, base) = mock().await;
    let text = "name: refused\nsteps:\n  - mock: {stub: {match: {operation: addItem}, answer: {status: 402}}}\n";
    let case = one(&base, text).await;
    assert_eq!(case.status(), Status::Failed);
    let failed: Vec<_> = case.steps[0].failures().collect();
    let actual = failed[0].actual.as_deref().unwrap_or("");
    assert!(
        actual.starts_with("400") && actual.contains("402"),
        "{actual}"
    );
}

#[tokio::test]
async fn against_another_server_stub_and_expect_steps_are_skipped() {
    let (_mock, base) = mock().await;
    let plain = without_admin(base).await;
    let case = one(&plain, &FAILED_ADD.replace("COUNT", "2")).await;
    assert_eq!(case.status(), Status::Passed, "{case:#?}");
    let skipped: Vec<&str> = case
        .steps
        .iter()
        .filter(|s| s.status == Status::Skipped)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        skipped,
        [
            "mock stub addItem",
            "the stubbed add",
            "mock expect addItem × 2"
        ]
    );
}

#[test]
fn lint_finds_a_stub_or_expect_of_no_operation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "name: typo\nsteps:\n  - mock: {stub: {match: {operation: addItme}}}\n  - mock: {stub: {match: {method: POST, path: /nowhere}}}\n  - mock: {expect: {operation: getCrat, count: 1}}\n  - mock: {stub: {match: {method: POST, path: /api/v2/storefront/cart/add_item}}}\n";
    let loaded = scenarios(dir.path(), &[("typo.yaml", text)]);
    let found = cartwright_scenario::lint(&loaded[0], &BTreeSet::new(), &Sources::new());
    let at: Vec<_> = found
        .iter()
        .map(|d| d.pointer.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        at,
        [
            "/steps/0/mock/stub/match/operation",
            "/steps/1/mock/stub/match/path",
            "/steps/2/mock/expect/operation"
        ],
        "{found:?}"
    );
    assert_eq!(found[0].help.as_deref(), Some("did you mean `addItem`?"));
}

#[test]
fn an_unknown_key_in_an_expect_is_placed() {
    let e = cartwright_scenario::parse(
        "t.yaml",
        "name: t\nsteps:\n  - mock: {expect: {operation: addItem, cuont: 1}}\n",
        &mut Sources::new(),
    )
    .expect_err("invalid");
    assert_eq!(e[0].pointer.as_deref(), Some("/steps/0/mock/expect/cuont"));
}
