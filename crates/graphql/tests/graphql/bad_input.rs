//! Bad input is answered in the GraphQL `errors` format, with a location where there is
//! one, and never takes the server down.

use serde_json::{Value as Json, json};

use super::{SESSION, Server, start};

async fn raw(s: &Server, content_type: &str, body: Vec<u8>) -> (u16, Json) {
    let res = s
        .client
        .post(format!("{}/graphql", s.base))
        .bearer_auth(SESSION)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the mock answers");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Json::Null))
}

async fn still_up(s: &Server) {
    let data = s.query(SESSION, "{ languages { code } }").await.ok();
    assert!(data["languages"].is_array());
}

#[tokio::test]
async fn malformed_json_is_a_400_with_line_and_column() {
    let s = start().await;
    let (status, body) = raw(
        &s,
        "application/json",
        b"{\"query\": \"{ languages { code } }\",\n  \"variables\": {,}}".to_vec(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["locations"],
        json!([{"line": 2, "column": 17}])
    );
    let (status, body) = raw(&s, "application/json", vec![0xff, 0xfe, b'{']).await;
    assert_eq!(status, 400);
    assert!(body["errors"][0]["message"].is_string());
    let (status, _) = raw(
        &s,
        "application/json",
        b"[{\"query\": \"{ languages { code } }\"}]".to_vec(),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = raw(&s, "text/plain", b"{ languages { code } }".to_vec()).await;
    assert_eq!(status, 415);
    still_up(&s).await;
}

#[tokio::test]
async fn a_query_as_application_graphql_is_run() {
    let s = start().await;
    let (status, body) = raw(
        &s,
        "application/graphql",
        b"{ languages { code } }".to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{body:#}");
    assert!(body["data"]["languages"].is_array());
}

#[tokio::test]
async fn deep_and_huge_queries_are_refused_and_the_server_lives_on() {
    let s = start().await;
    // 40 levels of selection: over the depth limit, under the parser's recursion limit.
    let deep = format!(
        "{{ displayItems {{ list {}{}{} }} }}",
        "{ primaryVariant ".repeat(40),
        "{ id }",
        " }".repeat(40)
    );
    let r = s.query(SESSION, &deep).await;
    assert!(
        r.error().to_lowercase().contains("nested too deep"),
        "{:#}",
        r.body
    );
    // 10,000 levels: the parser refuses before it recurses that far.
    let deeper = format!("{}{}", "{ a ".repeat(10_000), "}".repeat(10_000));
    let r = s.query(SESSION, &deeper).await;
    assert!(!r.error().is_empty(), "{:#}", r.body);
    // 6,000 aliased fields: over the complexity limit.
    let wide: String = (0..6000)
        .map(|i| format!("a{i}: languages {{ code }} "))
        .collect();
    let r = s.query(SESSION, &format!("{{ {wide} }}")).await;
    assert!(r.error().to_lowercase().contains("complex"), "{:#}", r.body);
    // A body over the limit.
    let (status, _) = raw(&s, "application/json", vec![b' '; 2 * 1024 * 1024]).await;
    assert_eq!(status, 413);
    still_up(&s).await;
}

#[tokio::test]
async fn an_unknown_argument_and_a_missing_variable_are_validation_errors() {
    let s = start().await;
    let r = s
        .query(SESSION, "{ displayItems(nosuch: 1) { list { id } } }")
        .await;
    assert!(r.error().contains("nosuch"), "{:#}", r.body);
    assert!(r.body["errors"][0]["locations"].is_array());
    let r = s
        .post(
            Some(SESSION),
            &[],
            "query($n: Int!) { displayItem(id: $n) { id } }",
            json!({}),
        )
        .await;
    assert!(
        r.error().contains("$n") || r.error().contains("n"),
        "{:#}",
        r.body
    );
    assert!(r.body["errors"][0]["locations"].is_array());
}
