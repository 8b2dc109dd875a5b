//! Latency drawn from a seed, chaos answered from the operation's declared errors, and
//! Prism's `Prefer: dynamic=true` and `__code`/`__example`/`__dynamic` query parameters.

use std::time::Duration;

use cartwright_diag::Sources;
use cartwright_mock::{Config, Incoming, Mock};
use cartwright_model::Latency;
use cartwright_spec::LoadOptions;
use http::Method;

use super::faults::PACE;
use crate::start_with;

fn mock(config: Config) -> Mock {
    let loaded = cartwright_spec::load_str(
        "pace.yaml",
        PACE,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("fixture loads");
    Mock::new(
        vec![loaded.api],
        Config {
            log_requests: false,
            stateless: true,
            ..config
        },
    )
}

fn delays(config: Config, path: &str, n: usize) -> Vec<Option<Duration>> {
    let mock = mock(config);
    (0..n)
        .map(|_| mock.handle(Incoming::new(Method::GET, path)).delivery.delay)
        .collect()
}

#[test]
fn drawn_delays_repeat_with_the_seed() {
    for latency in ["lognormal:median=100ms,sigma=0.4", "uniform:100ms..300ms"] {
        let config = |seed| Config {
            seed,
            latency: Some(Latency::parse(latency).expect("latency")),
            ..Config::default()
        };
        let first = delays(config(3), "/items", 12);
        assert_eq!(first, delays(config(3), "/items", 12), "{latency}");
        assert_ne!(first, delays(config(4), "/items", 12), "{latency}");
        assert!(first.iter().all(Option::is_some), "{latency}");
    }
    let uniform = delays(
        Config {
            latency: Latency::parse("uniform:100ms..300ms").ok(),
            ..Config::default()
        },
        "/items",
        30,
    );
    let (lo, hi) = (Duration::from_millis(100), Duration::from_millis(300));
    assert!(uniform.iter().flatten().all(|d| (lo..=hi).contains(d)));
}

#[test]
fn operations_declare_their_latency_and_documented_latency_waits_for_the_flag() {
    let plain = delays(Config::default(), "/plain", 2);
    assert_eq!(plain, vec![Some(Duration::from_millis(250)); 2]);
    // Documented latency only with `--latency documented`; then the rest answer at once.
    assert_eq!(delays(Config::default(), "/slow", 1), vec![None]);
    let documented = Config {
        documented_latency: true,
        ..Config::default()
    };
    let slow = delays(documented.clone(), "/slow", 5);
    let (lo, hi) = (Duration::from_millis(200), Duration::from_millis(260));
    assert!(
        slow.iter()
            .all(|d| d.is_some_and(|d| (lo..=hi).contains(&d)))
    );
    assert_eq!(delays(documented, "/items", 1), vec![None]);
}

#[test]
fn admin_calls_are_never_delayed() {
    let mock = mock(Config {
        latency: Latency::parse("fixed:5s").ok(),
        ..Config::default()
    });
    let mut req = Incoming::new(Method::GET, "/__cartwright/journal");
    req.headers.insert(
        "prefer",
        http::HeaderValue::from_static("delay=500, fault=reset"),
    );
    let out = mock.handle(req);
    assert_eq!(out.delivery, cartwright_mock::Delivery::default());
}

async fn chaos_run(seed: u64, path: &str) -> Vec<(u16, Option<String>)> {
    let s = start_with(
        PACE,
        Config {
            stateless: true,
            chaos: Some(0.5),
            chaos_seed: Some(seed),
            ..Config::default()
        },
    )
    .await;
    let mut seen = Vec::new();
    for _ in 0..24 {
        let res = s
            .client
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .expect("answer");
        let retry = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        seen.push((res.status().as_u16(), retry));
    }
    seen
}

#[tokio::test]
async fn chaos_repeats_with_its_seed_and_answers_only_declared_errors() {
    let first = chaos_run(9, "/items").await;
    assert_eq!(first, chaos_run(9, "/items").await);
    assert_ne!(first, chaos_run(10, "/items").await);
    assert!(first.iter().any(|(s, _)| *s == 200));
    assert!(first.iter().any(|(s, _)| *s == 429));
    for (status, retry) in &first {
        match status {
            200 => assert_eq!(retry, &None),
            // The declared 429, with its declared Retry-After example.
            429 => assert_eq!(retry.as_deref(), Some("3")),
            other => panic!("undeclared status {other}"),
        }
    }
    // An operation that declares neither 429 nor 503: a problem 503 with Retry-After.
    let plain = chaos_run(9, "/plain").await;
    assert!(plain.iter().any(|(s, _)| *s == 503));
    for (status, retry) in &plain {
        assert!(
            *status == 200 || (*status == 503 && retry.is_some()),
            "{status}"
        );
    }
}

#[tokio::test]
async fn dynamic_gives_fresh_valid_data_on_every_call() {
    let s = start_with(
        PACE,
        Config {
            stateless: true,
            ..Config::default()
        },
    )
    .await;
    let api = s.mock.apis()[0].clone();
    let op = api
        .operations
        .iter()
        .find(|o| o.id == "listItems")
        .expect("op");
    let schema = op.responses[0].content[0].schema.as_ref().expect("schema");
    let mut bodies = Vec::new();
    for _ in 0..3 {
        let res = s
            .client
            .get(format!("{}/items", s.base))
            .header("prefer", "dynamic=true")
            .send()
            .await
            .expect("answer");
        let body: serde_json::Value = res.json().await.expect("json");
        assert!(schema.is_valid(&body), "{body}");
        assert!(!bodies.contains(&body), "{body} came twice");
        bodies.push(body);
    }
    // `__dynamic=true` is the same preference for clients that cannot set headers.
    let a: serde_json::Value = reqwest::get(format!("{}/items?__dynamic=true", s.base))
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert!(schema.is_valid(&a) && !bodies.contains(&a), "{a}");
}

#[tokio::test]
async fn query_parameters_stand_for_preferences_and_the_header_wins() {
    let s = start_with(
        PACE,
        Config {
            stateless: true,
            ..Config::default()
        },
    )
    .await;
    let get = |q: &str, prefer: Option<&str>| {
        let mut req = s.client.get(format!("{}/items{q}", s.base));
        if let Some(p) = prefer {
            req = req.header("prefer", p);
        }
        req.send()
    };
    let by_query = get("?__code=404", None).await.expect("answer");
    assert_eq!(by_query.status(), 404);
    let by_query = by_query.text().await.expect("body");
    let by_header = get("", Some("code=404")).await.expect("answer");
    assert_eq!(by_query, by_header.text().await.expect("body"));
    let named = get("?__code=404&__example=gone", None)
        .await
        .expect("answer");
    assert_eq!(named.text().await.expect("body"), r#"{"message":"gone"}"#);
    let header_wins = get("?__code=404", Some("code=429")).await.expect("answer");
    assert_eq!(header_wins.status(), 429);
    let bad = get("?__code=abc", None).await.expect("answer");
    assert_eq!(bad.status(), 400);
}
