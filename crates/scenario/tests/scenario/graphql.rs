//! `graphql:` steps: sent as a `POST` of `{query, variables, operationName}`, with captures
//! and assertions on the answer like any step, against a server that echoes what it got.

use std::path::PathBuf;
use std::time::Duration;

use cartwright_diag::Sources;
use cartwright_outcome::Status;
use cartwright_scenario::send::Masker;
use cartwright_scenario::snapshot::Mode;
use cartwright_scenario::{Loaded, Options};
use cartwright_source::Reader;
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Answers every request with `{"data": {...the GraphQL body...}, "path", "method", "auth"}`.
pub(crate) async fn echo() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read the head, then as many body bytes as content-length says.
                let (head, body) = loop {
                    let Ok(n) = s.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let len = head
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if body.len() >= len {
                            break (head.to_owned(), body.to_owned());
                        }
                    }
                };
                let mut first = head.lines().next().unwrap_or("").split(' ');
                let method = first.next().unwrap_or("");
                let path = first.next().unwrap_or("");
                let auth = head
                    .lines()
                    .find_map(|l| l.strip_prefix("authorization: "))
                    .unwrap_or("");
                let got: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let answer =
                    json!({"data": got, "path": path, "method": method, "auth": auth}).to_string();
                let _ = s
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                            answer.len()
                        )
                        .as_bytes(),
                    )
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

const FLOW: &str = r#"
name: graphql steps
vars: {sku: "61-1"}
steps:
  - graphql:
      query: "query Product($sku: String!) { product(sku: $sku) { name } }"
      variables: {sku: "{{ sku }}", qty: 2}
      operation: Product
      headers: {Authorization: Bearer abc}
    capture: {echoed: $.data.variables.sku}
    assert:
      body:
        $.data.variables.qty: 2
        $.data.query: "query Product($sku: String!) { product(sku: $sku) { name } }"
        $.data.operationName: Product
        $.path: /graphql
        $.method: POST
        $.auth: Bearer abc
  - name: a captured value in the next operation, at another endpoint
    graphql:
      query: "mutation { addItem(item: $sku) { selection { lines { id } } } }"
      variables: {sku: "{{ echoed }}"}
      path: /api/graphql
    assert:
      body:
        $.data.variables.sku: "61-1"
        $.data.operationName: {exists: false}
        $.path: /api/graphql
"#;

fn load(text: &str) -> Loaded {
    let loaded = cartwright_scenario::load_text(
        &PathBuf::from("graphql.yaml"),
        text,
        &Reader::new(),
        &mut Sources::new(),
    )
    .expect("parses");
    Loaded {
        api_name: "graphql".into(),
        ..loaded
    }
}

#[tokio::test]
async fn graphql_steps_send_query_variables_and_operation_and_read_the_answer() {
    let target = echo().await;
    let dir = tempfile::tempdir().expect("tmp");
    let opts = Options {
        target,
        vars: Map::new(),
        masker: Masker::default(),
        snapshots: Mode::Review,
        snapshot_root: dir.path().join("snapshots"),
        jobs: 1,
        timeout: Duration::from_secs(5),
        admin_token: None,
        max_response_bytes: cartwright_http::MAX_BODY,
    };
    let run = cartwright_scenario::run(vec![load(FLOW)], &opts, |_| {}).await;
    let case = &run.cases[0];
    assert_eq!(case.status(), Status::Passed, "{case:#?}");
    assert_eq!(case.steps[0].name, "graphql Product");
    assert_eq!(case.steps.len(), 2);
}

#[test]
fn a_misspelt_graphql_key_is_placed_with_a_suggestion() {
    let errs = cartwright_scenario::parse(
        "g.yaml",
        "name: g\nsteps:\n  - graphql: {query: \"{ a }\", varables: {}}\n",
        &mut Sources::new(),
    )
    .expect_err("invalid");
    let text = format!("{errs:?}");
    assert!(
        text.contains("varables") && text.contains("variables"),
        "{text}"
    );
}
