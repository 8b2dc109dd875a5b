//! What a verification reached, and what the user gave reaching the server: `-H` headers
//! and `--auth header=` values arrive, a bad `--auth` item stops the run, each operation the
//! server never answers with a 2xx is reported with its reason in every report, a server
//! that never answers or streams without end is reported as such, and written failure
//! scenarios hold no value the user gave.

use std::convert::Infallible;

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_outcome::coverage::Unreached;
use cartwright_outcome::{Run, Status};
use cartwright_spec::LoadOptions;
use cartwright_verify::{Options, verify};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

fn api() -> cartwright_model::Api {
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
async fn serve(answer: fn(&str, &http::HeaderMap) -> u16) -> String {
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

/// A server that reads each request and then does `then` with the connection: never
/// answer, or stream a body without end.
async fn raw(stream_forever: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                if !stream_forever {
                    tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 65536, "x".repeat(65536));
                while stream.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    format!("http://{addr}")
}

fn options(target: String) -> Options {
    Options {
        target,
        max_examples: 2,
        ..Options::default()
    }
}

fn coverage_of(run: &Run, id: &str) -> cartwright_outcome::coverage::Operation {
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
fn gate(path: &str, headers: &http::HeaderMap) -> u16 {
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

#[tokio::test]
async fn a_header_given_with_h_or_auth_reaches_the_server() {
    let target = serve(gate).await;
    let with_h = Options {
        headers: vec!["X-Shop-Key: k1".into()],
        ..options(target.clone())
    };
    let run = verify(&api(), &with_h).await.run;
    assert!(coverage_of(&run, "me").reached, "-H did not arrive");
    // The spec declares no scheme for `x-shop-key`: the header is sent all the same.
    let with_auth = Options {
        auth: vec!["header=x-shop-key:k1".into()],
        ..options(target)
    };
    let run = verify(&api(), &with_auth).await.run;
    assert!(
        coverage_of(&run, "me").reached,
        "--auth header= was dropped"
    );
}

const SECURED: &str = r#"
openapi: 3.1.0
info: {title: secured, version: "1"}
security: [{jwt: []}]
paths:
  /me:
    get:
      operationId: me
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "401": {description: refused, content: {application/json: {schema: {type: object}}}}
components:
  securitySchemes:
    jwt: {type: http, scheme: bearer}
"#;

/// An `Authorization` given with `-H` is the bearer scheme's credential: it reaches the
/// server, and `ignored_auth` can still send the request without it.
#[tokio::test]
async fn a_credential_header_given_with_h_is_placed_by_its_scheme() {
    let api = cartwright_spec::load_str(
        "s.yaml",
        SECURED,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("loads")
    .api;
    let target = serve(|_, h| {
        if h.get("authorization").is_some_and(|v| v == "Bearer k1") {
            200
        } else {
            401
        }
    })
    .await;
    let opts = Options {
        headers: vec!["Authorization: Bearer k1".into()],
        checks: Some(vec!["ignored_auth".into(), "not_a_server_error".into()]),
        ..options(target)
    };
    let run = verify(&api, &opts).await.run;
    assert!(coverage_of(&run, "me").reached);
    let case = &run.cases[0];
    let bare = case
        .steps
        .iter()
        .find(|s| s.name.ends_with("without credentials"))
        .expect("ignored_auth ran");
    assert_eq!(bare.response_status, Some(401));
    assert!(
        run.cases.iter().all(|c| c.status() == Status::Passed),
        "{}",
        cartwright_report::terminal(&run, false)
    );
}

#[tokio::test]
async fn an_auth_item_that_places_nothing_or_a_bad_header_is_an_error() {
    for (auth, headers, says) in [
        (
            vec!["bearer=t0ken"],
            vec![],
            "--auth `bearer=…`: the spec declares no bearer scheme",
        ),
        (
            vec!["header=no-colon"],
            vec![],
            "expected header=NAME:VALUE",
        ),
        (
            vec!["shopKey=abc"],
            vec![],
            "not a security scheme of the spec",
        ),
        (
            vec![],
            vec!["X-Shop-Key k1"],
            "-H `X-Shop-Key k1`: expected `Name: value`",
        ),
    ] {
        let opts = Options {
            auth: auth.into_iter().map(str::to_owned).collect(),
            headers: headers.into_iter().map(str::to_owned).collect(),
            ..options("http://127.0.0.1:9".into())
        };
        let run = verify(&api(), &opts).await.run;
        let error = run.cases[0].error.clone().unwrap_or_default();
        assert!(error.contains(says), "{error}");
        assert!(!error.contains("t0ken"), "the value is shown: {error}");
    }
}

#[tokio::test]
async fn a_silent_server_is_no_answer_within_the_timeout() {
    let opts = Options {
        include: vec!["health".into()],
        checks: Some(vec!["not_a_server_error".into()]),
        max_examples: 0,
        request_timeout_secs: 1,
        ..options(raw(false).await)
    };
    let run = verify(&api(), &opts).await.run;
    let step = &run.cases[0].steps[0];
    assert_eq!(step.status, Status::Errored);
    assert_eq!(step.reason.as_deref(), Some("no answer within 1 s"));
    assert_eq!(
        coverage_of(&run, "health").reason,
        Some(Unreached::NoAnswer)
    );
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    let opts = Options {
        include: vec!["health".into()],
        max_examples: 0,
        ..options("http://127.0.0.1:9".into())
    };
    let run = verify(&api(), &opts).await.run;
    let reason = run.cases[0].steps[0].reason.clone().unwrap_or_default();
    assert_eq!(reason, "connection refused by 127.0.0.1:9");
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_bound() {
    let opts = Options {
        include: vec!["health".into()],
        checks: Some(vec!["not_a_server_error".into()]),
        max_examples: 0,
        max_response_bytes: 100_000,
        ..options(raw(true).await)
    };
    let run = verify(&api(), &opts).await.run;
    let step = &run.cases[0].steps[0];
    assert_eq!(step.status, Status::Errored);
    assert_eq!(
        step.reason.as_deref(),
        Some("the answer's body is over 100000 bytes (the bound set by --max-response-bytes)")
    );
}

#[tokio::test]
async fn written_failures_hold_no_value_the_user_gave() {
    // Every answer is a server error, so every request becomes a failure scenario.
    let opts = Options {
        headers: vec!["X-Shop-Key: k1-header-secret".into()],
        auth: vec!["header=x-tenant:tenant-secret".into()],
        secrets: vec!["o-1".into()],
        ..options(serve(|_, _| 500).await)
    };
    let found = verify(&api(), &opts).await;
    assert!(!found.failures.is_empty());
    for s in &found.failures {
        let text = serde_saphyr::to_string(s).expect("yaml");
        for secret in ["k1-header-secret", "tenant-secret", "o-1"] {
            assert!(!text.contains(secret), "{secret} written:\n{text}");
        }
        assert!(text.contains("{{ header_x_shop_key }}"), "{text}");
        assert!(text.contains("{{ auth_header_x_tenant }}"), "{text}");
        let about = s.description.clone().unwrap_or_default();
        assert!(about.contains("--secret header_x_shop_key="), "{about}");
    }
}
