//! The GraphQL mock's admin API and GraphiQL against a web page: the same rules as the REST
//! mock's, and the GraphQL endpoint itself still answers browsers.

use std::path::Path;
use std::sync::Arc;

use cartwright_graphql::{Config, GraphqlMock, Running};
use cartwright_mock::AdminAccess;
use reqwest::Response;
use serde_json::{Value, json};

const EVIL: &str = "http://evil.example";

async fn centra(admin: AdminAccess) -> (Running, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/centra-storefront.graphql");
    let sdl = std::fs::read_to_string(&path).expect("schema");
    let config = Config {
        log_requests: false,
        admin,
        ..Config::default()
    };
    let mock = GraphqlMock::new(&path.display().to_string(), &sdl, None, config).expect("schema");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running =
        cartwright_graphql::serve(Arc::new(mock), listener, std::future::pending()).expect("serve");
    let base = format!("http://{}", running.addr);
    (running, base)
}

fn no_cors(r: &Response) {
    assert!(
        !r.headers()
            .keys()
            .any(|k| k.as_str().starts_with("access-control-")),
        "CORS headers: {:?}",
        r.headers()
    );
}

async fn offset(client: &reqwest::Client, base: &str, token: Option<&str>) -> Value {
    let mut req = client.get(format!("{base}/__cartwright/clock"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let clock: Value = req.send().await.expect("clock").json().await.expect("json");
    clock["offset_ms"].clone()
}

#[tokio::test]
async fn no_page_moves_the_clock_or_reads_the_admin_api() {
    let (_running, base) = centra(AdminAccess::default()).await;
    let client = reqwest::Client::new();
    let clock = format!("{base}/__cartwright/clock");
    let plain = client
        .post(&clock)
        .header("content-type", "text/plain")
        .body(r#"{"advance": "31d"}"#)
        .send()
        .await
        .expect("clock");
    assert_eq!(plain.status(), 415);
    no_cors(&plain);
    let cross = client
        .get(format!("{base}/__cartwright/health"))
        .header("origin", EVIL)
        .send()
        .await
        .expect("health");
    assert_eq!(cross.status(), 403);
    no_cors(&cross);
    let port = base.rsplit(':').next().expect("port");
    let rebound = client
        .post(&clock)
        .header("host", format!("evil.example:{port}"))
        .json(&json!({"advance": "31d"}))
        .send()
        .await
        .expect("clock");
    assert_eq!(rebound.status(), 421);
    assert_eq!(
        offset(&client, &base, None).await,
        0,
        "the clock did not move"
    );
    // The GraphQL endpoint still answers a storefront page.
    let query = client
        .post(format!("{base}/graphql"))
        .header("origin", EVIL)
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .expect("query");
    assert_eq!(query.status(), 200);
    assert_eq!(query.headers()["access-control-allow-origin"], EVIL);
    let moved = client
        .post(&clock)
        .json(&json!({"advance": "31d"}))
        .send()
        .await
        .expect("clock");
    assert_eq!(moved.status(), 200);
    assert_eq!(offset(&client, &base, None).await, 31 * 86_400_000_i64);
}

#[tokio::test]
async fn graphiql_answers_no_other_origin_and_no_rebinding_host() {
    let (_running, base) = centra(AdminAccess::default()).await;
    let client = reqwest::Client::new();
    let port = base.rsplit(':').next().expect("port");
    let page = |host: Option<String>| {
        let mut req = client
            .get(format!("{base}/graphql"))
            .header("accept", "text/html");
        if let Some(h) = host {
            req = req.header("host", h);
        }
        req.send()
    };
    let rebound = page(Some(format!("evil.example:{port}")))
        .await
        .expect("page");
    assert_eq!(rebound.status(), 421);
    let own = page(None).await.expect("page");
    assert_eq!(own.status(), 200);
    no_cors(&own);
    let asset = client
        .get(format!("{base}/graphiql/graphiql@3.8.3/graphiql.min.js"))
        .header("origin", EVIL)
        .send()
        .await
        .expect("asset");
    assert_eq!(asset.status(), 403);
    no_cors(&asset);
}

#[tokio::test]
async fn the_admin_token_is_asked_for_when_set() {
    let (_running, base) = centra(AdminAccess {
        token: Some("gql-admin-t0k3n".into()),
        ..AdminAccess::default()
    })
    .await;
    let client = reqwest::Client::new();
    for auth in [None, Some("Bearer nope")] {
        let mut req = client
            .post(format!("{base}/__cartwright/clock"))
            .json(&json!({"advance": "31d"}));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let r = req.send().await.expect("clock");
        assert_eq!(r.status(), 401, "{auth:?}");
        assert!(r.headers().contains_key("www-authenticate"));
    }
    let t = Some("gql-admin-t0k3n");
    assert_eq!(offset(&client, &base, t).await, 0, "the clock did not move");
    let moved = client
        .post(format!("{base}/__cartwright/clock"))
        .bearer_auth("gql-admin-t0k3n")
        .json(&json!({"advance": "1d"}))
        .send()
        .await
        .expect("clock");
    assert_eq!(moved.status(), 200);
    assert_eq!(offset(&client, &base, t).await, 86_400_000_i64);
}
