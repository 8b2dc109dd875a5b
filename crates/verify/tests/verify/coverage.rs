//! What a verification reached: each operation the server never answers with a 2xx is
//! reported with its reason in every report. The submodules cover what the user gives
//! reaching the server (`credentials`) and answers that never come or never end (`wire`).

mod credentials;
mod wire;

use std::convert::Infallible;

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_outcome::Run;
use cartwright_outcome::coverage::Unreached;
use cartwright_spec::LoadOptions;
use cartwright_verify::{Options, verify};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};

const SPEC: &str = r#"
openapi: 3.1.0
info: {title: gate, version: "1"}
paths:
  /me:
    get:
      operationId: me
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /orders/{order}:
    get:
      operationId: order
      parameters: [{name: order, in: path, required: true, schema: {type: string, example: o-1}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /carts:
    post:
      operationId: cart
      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}
      responses: {"201": {description: created, content: {application/json: {schema: {type: object}}}}}
  /health:
    get:
      operationId: health
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
"#;

pub(super) fn api() -> cartwright_model::Api {
    cartwright_spec::load_str(
        "gate.yaml",
        SPEC,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("loads")
    .api
}

/// Serves every request with the status `answer` gives for its path and headers, and `{}`.
pub(super) async fn serve(answer: fn(&str, &http::HeaderMap) -> u16) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let svc = service_fn(
                    move |req: http::Request<hyper::body::Incoming>| async move {
                        let status = answer(req.uri().path(), req.headers());
                        Ok::<_, Infallible>(
                            http::Response::builder()
                                .status(status)
                                .header("content-type", "application/json")
                                .body(Full::new(Bytes::from_static(b"{}")))
                                .expect("response"),
                        )
                    },
                );
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

pub(super) fn options(target: String) -> Options {
    Options {
        target,
        max_examples: 2,
        ..Options::default()
    }
}

pub(super) fn coverage_of(run: &Run, id: &str) -> cartwright_outcome::coverage::Operation {
    run.coverage
        .as_ref()
        .expect("coverage")
        .operations
        .iter()
        .find(|o| o.id == id)
        .expect("operation")
        .clone()
}

/// The gate: `/me` wants `x-shop-key: k1`, orders are never found, carts refuse the data,
/// health answers.
pub(super) fn gate(path: &str, headers: &http::HeaderMap) -> u16 {
    match path {
        "/me" if headers.get("x-shop-key").is_some_and(|v| v == "k1") => 200,
        "/me" => 401,
        p if p.starts_with("/orders/") => 404,
        "/carts" => 422,
        _ => 200,
    }
}

#[tokio::test]
async fn each_unreached_operation_has_its_reason_in_every_report() {
    let run = verify(&api(), &options(serve(gate).await)).await.run;
    let me = coverage_of(&run, "me");
    assert!(!me.reached);
    assert_eq!(me.reason, Some(Unreached::Credentials));
    assert!(me.statuses.get("401").is_some_and(|n| *n > 0), "{me:?}");
    assert_eq!(coverage_of(&run, "order").reason, Some(Unreached::Ids));
    assert_eq!(coverage_of(&run, "cart").reason, Some(Unreached::Data));
    let health = coverage_of(&run, "health");
    assert!(health.reached && health.reason.is_none());

    let text = cartwright_report::terminal(&run, false);
    assert!(
        text.contains("coverage: 1 of 4 operations reached a 2xx answer (25%)"),
        "{text}"
    );
    assert!(
        text.contains("GET /me (me): credentials (answers 401/403)"),
        "{text}"
    );
    assert!(
        text.contains("GET /orders/{order} (order): ids (answers 404)"),
        "{text}"
    );
    assert!(
        text.contains("POST /carts (cart): data (answers 400/422)"),
        "{text}"
    );

    let xml = cartwright_report::junit(&run);
    assert!(
        xml.contains("<property name=\"reached\" value=\"1\"/>"),
        "{xml}"
    );
    assert!(
        xml.contains("<property name=\"operations\" value=\"4\"/>"),
        "{xml}"
    );
    assert!(
        xml.contains("name=\"operation GET /me (me)\" value=\"not reached: credentials"),
        "{xml}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&cartwright_report::json(&run)).expect("json");
    let ops = &json["run"]["coverage"]["operations"];
    assert_eq!(ops[0]["id"], "me");
    assert_eq!(ops[0]["reached"], false);
    assert_eq!(ops[0]["reason"], "credentials");
    assert_eq!(ops[3]["reached"], true);
}
