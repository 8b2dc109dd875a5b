//! What the user gives reaches the server: `-H` headers and `--auth header=` values arrive,
//! a credential header is placed by its scheme, a bad `--auth` item stops the run, and
//! written failure scenarios hold no value the user gave.

use cartwright_diag::Sources;
use cartwright_outcome::Status;
use cartwright_spec::LoadOptions;
use cartwright_verify::checks::Check;
use cartwright_verify::{Options, verify};

use super::{api, coverage_of, gate, options, serve};

#[tokio::test]
async fn a_header_given_with_h_or_auth_reaches_the_server() {
    let target = serve(gate).await;
    let with_h = Options {
        headers: vec!["X-Shop-Key: k1".into()],
        ..options(target.clone())
    };
    let run = verify(&api(), &with_h).await.run;
    assert!(coverage_of(&run, "me").reached, "-H did not arrive");
    // The report's curl lines show the header as sent, its value as the variable naming it.
    let curls: Vec<&str> = run
        .cases
        .iter()
        .flat_map(|c| &c.steps)
        .filter_map(|s| s.curl.as_deref())
        .collect();
    assert!(!curls.is_empty());
    assert!(
        curls
            .iter()
            .all(|c| c.contains("X-Shop-Key: {{ header_x_shop_key }}") && !c.contains("k1")),
        "{curls:#?}"
    );
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
        checks: Some(vec![Check::IgnoredAuth, Check::NotAServerError]),
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
