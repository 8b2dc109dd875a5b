//! Values verify sends and judges: the spec's own `example` of a path parameter before any
//! generated placeholder, and timestamps that seed 004 says are UTC
//! ("Timestamps are UTC, ISO-8601 (yyyy-MM-ddTHH:mm:ssZ)"), which the JWT spec carries as
//! `pattern: "Z$"` on its date-time so that `response_schema_conformance` refuses a valid
//! date-time with another offset.

use cartwright_verify::checks::Check;
use cartwright_verify::{Options, verify};
use serde_json::json;

use crate::serve::{Answer, Asked, failed, serve};
use crate::{load, serve_mock};

/// The examples phase sends the documented `example` of a path parameter (`/products/61`,
/// `/countries/CA`), not a value drawn from the schema (`/products/string`, `/countries/AA`).
#[tokio::test]
async fn path_parameters_take_the_spec_example_before_a_placeholder() {
    let running = serve_mock(load("centra-checkout")).await;
    let run = verify(
        &load("centra-checkout"),
        &Options {
            target: format!("http://{}", running.addr),
            include: vec!["getProduct".into(), "setCountry".into()],
            max_examples: 0,
            ..Options::default()
        },
    )
    .await
    .run;
    for (op, path) in [
        ("getProduct", "/products/61"),
        ("setCountry", "/countries/CA"),
    ] {
        let case = run
            .cases
            .iter()
            .find(|c| c.name.contains(&format!("({op})")))
            .expect("case");
        let step = &case.steps[0];
        let curl = step.curl.as_deref().unwrap_or("");
        assert!(curl.contains(&format!("{path}'")), "{op}: {curl}");
        assert_eq!(step.response_status, Some(200), "{op}: {curl}");
    }
}

/// A guest order whose `createdAt` carries `offset` (`Z` for the faithful twin).
fn guest_orders(offset: &'static str) -> impl Fn(&Asked) -> Answer {
    move |a: &Asked| {
        if a.path != "/api/v2/orders/guest" || a.method != http::Method::POST {
            return (
                404,
                vec![],
                r#"{"errorCode": "NOT_FOUND", "message": "no"}"#.into(),
            );
        }
        let reference = a.body.as_ref().and_then(|b| b["reference"].as_str());
        let Some(reference) = reference else {
            return (
                422,
                vec![],
                r#"{"errorCode": "INVALID", "message": "no"}"#.into(),
            );
        };
        let order = json!({
            "orderId": "O-00000001",
            "reference": reference,
            "status": "CREATED",
            "total": 0,
            "createdAt": format!("2026-01-01T12:00:00{offset}"),
        });
        (201, vec![], order.to_string())
    }
}

#[tokio::test]
async fn a_timestamp_that_is_not_utc_fails_response_schema_conformance() {
    let api = load("storefront-v2-jwt");
    let opts = |target: String| Options {
        target,
        include: vec!["placeGuestOrder".into()],
        checks: Some(vec![Check::ResponseSchemaConformance]),
        max_examples: 3,
        ..Options::default()
    };
    let faithful = verify(&api, &opts(serve(guest_orders("Z")).await))
        .await
        .run;
    let report = cartwright_report::terminal(&faithful, false);
    assert!(failed(&faithful).is_empty(), "{report}");
    let broken = verify(&api, &opts(serve(guest_orders("+02:00")).await))
        .await
        .run;
    let report = cartwright_report::terminal(&broken, false);
    assert_eq!(
        failed(&broken).into_iter().collect::<Vec<_>>(),
        ["response_schema_conformance"],
        "{report}"
    );
    assert!(report.contains("createdAt"), "{report}");
}

/// WEBSALE's `prepareRedirect` needs a live `x-session` from `POST /session/create`: the
/// examples phase obtains one and sends it, instead of the documented example that names
/// no session, and gets the link.
#[tokio::test]
async fn the_examples_phase_carries_a_live_session_in_a_required_header() {
    let running = serve_mock(load("websale-storefront")).await;
    let run = verify(
        &load("websale-storefront"),
        &Options {
            target: format!("http://{}", running.addr),
            include: vec!["prepareRedirect".into()],
            max_examples: 0,
            ..Options::default()
        },
    )
    .await
    .run;
    let report = cartwright_report::terminal(&run, false);
    let case = &run.cases[0];
    let statuses: Vec<(&str, Option<u16>)> = case
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.response_status))
        .collect();
    // The documented request is the first body example (`checkout`); the other one follows.
    for name in [
        "POST /session/prepareRedirect example",
        "POST /session/prepareRedirect example withParameters",
    ] {
        assert!(
            statuses.contains(&(name, Some(200))),
            "{statuses:?}\n{report}"
        );
    }
    let curl = case.steps[0].curl.as_deref().unwrap_or("");
    assert!(
        !curl.contains("bc37dffbf7a3d067a1b0a3040143c5a8d1a1d8651f79159f59d81705c9733c49"),
        "{curl}"
    );
    assert!(failed(&run).is_empty(), "{report}");
}
