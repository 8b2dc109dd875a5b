//! `verify` over HTTP: the mock of every project spec keeps its contract, and each bug of a
//! deliberately broken server is found by its named check, while its faithful twin passes.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_mock::{Config, Mock};
use cartwright_outcome::Status;
use cartwright_spec::LoadOptions;
use cartwright_verify::checks::Check;
use cartwright_verify::{Options, verify};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};

mod admin_token;
mod coverage;
mod decoding;
mod forgery;
mod isolation;
mod orders;
mod read_only;
mod security;
mod serve;
mod sibling;
mod together;
mod unsupported;
mod values;
mod walk;

const SPECS: &[&str] = &[
    "centra-checkout",
    "vendo-storefront",
    "websale-storefront",
    "storefront-v2-jwt",
];

/// A spec of the project, by name.
pub fn load(name: &str) -> cartwright_model::Api {
    let path = format!("{}/../../specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    cartwright_spec::load(
        std::path::Path::new(&path),
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("spec loads")
    .api
}

/// The mock of `api`, with the secrets the project's specs need, on a free port.
pub async fn serve_mock(api: cartwright_model::Api) -> cartwright_mock::Running {
    let config = Config {
        log_requests: false,
        secrets: vec![
            ("shared".into(), "SharedSecretExample1234".into()),
            ("jwt".into(), "verify-key-0123456789abcdef".into()),
        ],
        ..Config::default()
    };
    let mock = Arc::new(Mock::new(vec![api], config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    cartwright_mock::serve(mock, listener, std::future::pending()).expect("serve")
}

#[tokio::test]
async fn the_mock_of_every_spec_keeps_its_contract() {
    for name in SPECS {
        let running = serve_mock(load(name)).await;
        let api = load(name);
        let run = verify(
            &api,
            &Options {
                target: format!("http://{}", running.addr),
                ..Options::default()
            },
        )
        .await
        .run;
        // One case per operation, and the stateful walk.
        assert_eq!(run.cases.len(), api.operations.len() + 1);
        let report = cartwright_report::terminal(&run, false);
        assert!(
            run.cases.iter().all(|c| c.status() == Status::Passed),
            "{name}:\n{report}"
        );
    }
}

const SPEC: &str = r#"
openapi: 3.1.0
info: {title: shop, version: "1"}
paths:
  /boundary:
    get:
      operationId: boundary
      parameters: [{name: n, in: query, required: true, schema: {type: integer, minimum: 0, maximum: 10, example: 10}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "422": {description: invalid, content: {application/json: {schema: {type: object}}}}
  /product:
    get:
      operationId: product
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, required: [id, name], properties: {id: {type: integer}, name: {type: string}}}}}
  /page:
    get:
      operationId: page
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /order:
    post:
      operationId: order
      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}
      responses:
        "201": {description: created, headers: {Location: {required: true, schema: {type: string}}}}
        "400": {description: malformed, content: {application/json: {schema: {type: object}}}}
        "415": {description: unsupported, content: {application/json: {schema: {type: object}}}}
"#;

/// Serves the fixture: `broken` puts one bug on each route.
async fn server(broken: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let svc = service_fn(
                    move |req: http::Request<hyper::body::Incoming>| async move {
                        let path = req.uri().path().to_owned();
                        let declared = if path == "/order" { "POST" } else { "GET" };
                        if req.method().as_str() != declared {
                            let res = http::Response::builder()
                                .status(405)
                                .header("allow", declared)
                                .body(Full::new(Bytes::new()))
                                .expect("response");
                            return Ok::<_, Infallible>(res);
                        }
                        let query = req.uri().query().unwrap_or("").to_owned();
                        let json_body = req
                            .headers()
                            .get("content-type")
                            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
                        let bytes = req
                            .into_body()
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let parses = serde_json::from_slice::<serde_json::Value>(&bytes)
                            .is_ok_and(|v| v.is_object());
                        let (status, ct, body, location) = match (path.as_str(), broken) {
                            ("/boundary", true) if query == "n=10" => {
                                (500, "text/plain", "boom", false)
                            }
                            ("/boundary", false)
                                if !query
                                    .strip_prefix("n=")
                                    .and_then(|n| n.parse::<i64>().ok())
                                    .is_some_and(|n| (0..=10).contains(&n)) =>
                            {
                                (422, "application/json", "{}", false)
                            }
                            ("/product", true) => (200, "application/json", r#"{"id": 1}"#, false),
                            ("/page", true) => (200, "text/html", "<html></html>", false),
                            ("/order", true) => (201, "", "", false),
                            ("/product", false) => (
                                200,
                                "application/json",
                                r#"{"id": 1, "name": "Tee"}"#,
                                false,
                            ),
                            ("/order", false) if !json_body => {
                                (415, "application/json", "{}", false)
                            }
                            ("/order", false) if !parses => (400, "application/json", "{}", false),
                            ("/order", false) => (201, "", "", true),
                            _ => (200, "application/json", "{}", false),
                        };
                        let mut res = http::Response::builder().status(status);
                        if !ct.is_empty() {
                            res = res.header("content-type", ct);
                        }
                        if location {
                            res = res.header("location", "/order/1");
                        }
                        Ok::<_, Infallible>(
                            res.body(Full::new(Bytes::from(body))).expect("response"),
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

fn fixture() -> cartwright_model::Api {
    cartwright_spec::load_str(
        "shop.yaml",
        SPEC,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("loads")
    .api
}

#[tokio::test]
async fn each_bug_is_found_by_its_named_check_and_the_faithful_twin_passes() {
    let api = fixture();
    let faithful = verify(
        &api,
        &Options {
            target: server(false).await,
            ..Options::default()
        },
    )
    .await
    .run;
    assert!(
        faithful.cases.iter().all(|c| c.status() == Status::Passed),
        "{}",
        cartwright_report::terminal(&faithful, false)
    );
    let broken = verify(
        &api,
        &Options {
            target: server(true).await,
            ..Options::default()
        },
    )
    .await
    .run;
    let failed = |op: &str| -> Vec<String> {
        broken
            .cases
            .iter()
            .find(|c| c.name.contains(&format!("({op})")))
            .expect("case")
            .steps
            .iter()
            .flat_map(|s| s.failures())
            .map(|c| c.name.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert!(
        failed("boundary").contains(&"not_a_server_error".to_owned()),
        "{:?}",
        failed("boundary")
    );
    assert_eq!(failed("product"), ["response_schema_conformance"]);
    assert_eq!(failed("page"), ["content_type_conformance"]);
    let order = failed("order");
    assert!(
        order.contains(&"response_headers_conformance".to_owned()),
        "{order:?}"
    );
    assert!(
        order.contains(&"negative_data_rejection".to_owned()),
        "invalid bodies accepted: {order:?}"
    );
    assert_eq!(
        cartwright_report::exit_code(&broken),
        cartwright_report::Exit::Failed
    );
}

#[tokio::test]
async fn checks_can_be_chosen_and_an_unreachable_target_is_a_runtime_error() {
    let api = fixture();
    let only = verify(
        &api,
        &Options {
            target: server(true).await,
            checks: Some(vec![Check::ContentTypeConformance]),
            ..Options::default()
        },
    )
    .await
    .run;
    let names: Vec<String> = only
        .cases
        .iter()
        .flat_map(|c| c.steps[0].failures().map(|k| k.name.clone()))
        .collect();
    assert_eq!(names, ["content_type_conformance"]);
    let down = verify(
        &api,
        &Options {
            target: "http://127.0.0.1:9".into(),
            include: vec!["page".into()],
            ..Options::default()
        },
    )
    .await
    .run;
    assert_eq!(down.cases.len(), 1);
    assert_eq!(
        cartwright_report::exit_code(&down),
        cartwright_report::Exit::Runtime
    );
}

const LINKED: &str = r##"
openapi: 3.1.0
info: {title: linked, version: "1"}
paths:
  /carts:
    post:
      operationId: createCart
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, required: [ref], properties: {ref: {type: string}}}
              example: {ref: c-42}
          links:
            GetCart: {$ref: "#/components/links/GetCart"}
  /carts/{cartRef}:
    get:
      operationId: getCart
      parameters:
        - {name: cartRef, in: path, required: true, schema: {type: string, example: unknown}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
components:
  links:
    GetCart:
      operationId: getCart
      parameters: {path.cartRef: "$response.body#/ref"}
"##;

/// The stateful walk follows an OpenAPI link (here through `components/links`): the cart
/// is read by the reference the creation answered with, not by the documented example.
#[tokio::test]
async fn the_stateful_walk_follows_openapi_links() {
    let load = || {
        cartwright_spec::load_str(
            "linked.yaml",
            LINKED,
            &LoadOptions::default(),
            &mut Sources::new(),
        )
        .expect("loads")
        .api
    };
    let api = load();
    let running = serve_mock(load()).await;
    let run = verify(
        &api,
        &Options {
            target: format!("http://{}", running.addr),
            max_examples: 0,
            ..Options::default()
        },
    )
    .await
    .run;
    let walk = run
        .cases
        .iter()
        .find(|c| c.name == "stateful walk")
        .expect("a walk");
    let read = walk
        .steps
        .iter()
        .find(|s| s.name.contains("GET /carts/{cartRef}"))
        .expect("the read");
    let curl = read.curl.as_deref().unwrap_or("");
    assert!(curl.contains("/carts/c-42"), "{curl}");
    assert_eq!(read.response_status, Some(200));
}
