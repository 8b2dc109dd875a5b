//! The stateful walk over HTTP: against the mock of every project spec it reaches every
//! operation with a success; against the store fixture it carries real ids (plain and
//! wrapped) and the bearer token a registration gave, and its resource checks
//! (`ensure_resource_availability`, `use_after_free`) find their bug while the faithful twin
//! passes; a kept walk failure replays failing against the bug and passing once fixed.

mod login;
mod scoped;
mod server;
mod store;

use std::collections::BTreeSet;
use std::sync::Arc;

use cartwright_diag::Sources;
use cartwright_outcome::{Case, Run, Status, Step};
use cartwright_verify::{Options, Verified, verify};

use server::{Bug, server};
use store::store;

/// Every operation of each project spec, as the walk must reach it.
const REACHED: &[(&str, &[&str])] = &[
    (
        "centra-checkout",
        &[
            "DELETE /lines/{line}",
            "DELETE /vouchers/{voucher}",
            "GET /countries",
            "GET /products/{product}",
            "GET /selection",
            "POST /items/{item}",
            "POST /login/{email}",
            "POST /logout",
            "POST /payment",
            "POST /payment-result",
            "POST /products",
            "POST /register",
            "POST /uri",
            "POST /vouchers",
            "PUT /countries/{country}",
        ],
    ),
    (
        "vendo-storefront",
        &[
            "DELETE /auth/{token}",
            "DELETE /cart/remove_line_item/{line_item_id}",
            "GET /account",
            "GET /cart",
            "PATCH /checkout",
            "PATCH /checkout/complete",
            "PATCH /checkout/next",
            "POST /auth",
            "POST /cart",
            "POST /cart/add_item",
        ],
    ),
    (
        "storefront-v2-jwt",
        &[
            "GET /basket",
            "GET /catalog/categories",
            "GET /catalog/products",
            "GET /catalog/products/{productId}",
            "GET /customer/profile",
            "GET /orders",
            "GET /payment/methods",
            "GET /payments",
            "POST /basket/items",
            "POST /customer/login",
            "POST /customer/refresh-token",
            "POST /customer/register",
            "POST /orders",
            "POST /orders/guest",
            "POST /payment/requests",
            "POST /payment/requests/{paymentId}/cancel",
            "POST /payment/requests/{paymentId}/otp",
        ],
    ),
    (
        "websale-storefront",
        &["POST /session/create", "POST /session/prepareRedirect"],
    ),
];

fn options(target: String) -> Options {
    Options {
        target,
        max_examples: 0,
        ..Options::default()
    }
}

/// The walk's case.
fn walk(run: &Run) -> &Case {
    run.cases
        .iter()
        .find(|c| c.name == "stateful walk")
        .expect("a walk")
}

/// The operations (signatures) the walk reached with a success.
fn reached(walk: &Case) -> BTreeSet<String> {
    walk.steps
        .iter()
        .filter(|s| s.response_status.is_some_and(|c| (200..300).contains(&c)))
        .filter_map(|s| s.name.strip_prefix("stateful "))
        .map(|n| n.splitn(3, ' ').take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

/// The walk's steps for one operation: named `name`, or `name (what for)`.
fn steps<'c>(walk: &'c Case, name: &str) -> Vec<&'c Step> {
    walk.steps
        .iter()
        .filter(|s| s.name == name || s.name.starts_with(&format!("{name} (")))
        .collect()
}

async fn verified(bug: Bug) -> (Verified, String) {
    let target = server(bug).await;
    (verify(&store(), &options(target.clone())).await, target)
}

#[tokio::test]
async fn against_the_mock_of_every_spec_the_walk_reaches_every_operation() {
    for (name, expected) in REACHED {
        let running = super::serve_mock(super::load(name)).await;
        let api = super::load(name);
        let run = verify(&api, &options(format!("http://{}", running.addr)))
            .await
            .run;
        let walk = walk(&run);
        let all: BTreeSet<String> = api.operations.iter().map(|o| o.signature()).collect();
        let expected: BTreeSet<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(expected, all, "{name}: the list names every operation");
        let report = cartwright_report::terminal(&run, false);
        assert_eq!(reached(walk), expected, "{name}:\n{report}");
        assert_eq!(walk.status(), Status::Passed, "{name}:\n{report}");
    }
}

#[tokio::test]
async fn the_walk_reads_and_changes_a_product_by_its_issued_id_never_a_placeholder() {
    let (faithful, _) = verified(Bug::None).await;
    let walk = walk(&faithful.run);
    for name in ["stateful GET /products/{id}", "stateful PUT /products/{id}"] {
        let step = steps(walk, name);
        assert!(
            step.iter().any(|s| s.response_status == Some(200)),
            "{name}: {step:?}"
        );
    }
    for s in &walk.steps {
        let curl = s.curl.as_deref().unwrap_or("");
        for placeholder in ["/string", "/prd_0", "/products/x", "/carts/x"] {
            assert!(!curl.contains(&format!("{placeholder}'")), "{curl}");
        }
        if let Some(at) = curl.find("/products/") {
            assert!(curl[at..].starts_with("/products/prd_"), "{curl}");
        }
    }
    // The bug only a real id reaches: the walk's read fails its schema.
    let (broken, _) = verified(Bug::Unnamed).await;
    let failed: Vec<String> = steps(walk_of(&broken), "stateful GET /products/{id}")
        .iter()
        .flat_map(|s| s.failures().map(|c| c.name.clone()))
        .collect();
    assert!(
        failed.contains(&"response_schema_conformance".to_owned()),
        "{failed:?}"
    );
}

fn walk_of(v: &Verified) -> &Case {
    walk(&v.run)
}

#[tokio::test]
async fn the_walk_reads_a_cart_by_the_id_of_a_wrapped_answer() {
    let (faithful, _) = verified(Bug::None).await;
    let read = steps(walk_of(&faithful), "stateful GET /carts/{cart_id}");
    let first = read.first().expect("the cart read");
    assert_eq!(first.response_status, Some(200), "{first:?}");
    assert!(
        first.curl.as_deref().unwrap_or("").contains("/carts/cart_"),
        "{first:?}"
    );
}

#[tokio::test]
async fn the_walk_sends_the_registration_token_as_the_declared_bearer() {
    let (faithful, _) = verified(Bug::None).await;
    let me = steps(walk_of(&faithful), "stateful GET /customers/me");
    let first = me.first().expect("the customer read");
    assert_eq!(first.response_status, Some(200), "{first:?}");
    let curl = first.curl.as_deref().unwrap_or("");
    assert!(curl.contains("authorization: Bearer tok_"), "{curl}");
    assert!(!curl.contains("cookie"), "{curl}");
}

/// The statuses of the walk's steps that ran `check`.
fn ran(walk: &Case, check: &str) -> Vec<(String, Status)> {
    walk.steps
        .iter()
        .filter(|s| s.checks.iter().any(|k| k.name == check))
        .map(|s| (s.name.clone(), s.status))
        .collect()
}

#[tokio::test]
async fn a_created_product_that_cannot_be_read_fails_ensure_resource_availability() {
    let check = "ensure_resource_availability";
    let (faithful, _) = verified(Bug::None).await;
    let passed = ran(walk_of(&faithful), check);
    assert!(
        !passed.is_empty() && passed.iter().all(|(_, s)| *s == Status::Passed),
        "{passed:?}"
    );
    let (broken, _) = verified(Bug::Lost).await;
    let failed = ran(walk_of(&broken), check);
    assert!(
        failed
            .iter()
            .any(|(n, s)| n.contains("GET /products/{id}") && *s == Status::Failed),
        "{failed:?}"
    );
}

#[tokio::test]
async fn a_deleted_product_still_readable_fails_use_after_free() {
    let check = "use_after_free";
    let (faithful, _) = verified(Bug::None).await;
    let passed = ran(walk_of(&faithful), check);
    assert!(
        !passed.is_empty() && passed.iter().all(|(_, s)| *s == Status::Passed),
        "{passed:?}"
    );
    let (broken, _) = verified(Bug::Undead).await;
    let failed = ran(walk_of(&broken), check);
    assert!(
        failed
            .iter()
            .any(|(n, s)| n.contains("GET /products/{id}") && *s == Status::Failed),
        "{failed:?}"
    );
}

#[tokio::test]
async fn a_kept_walk_failure_replays_failing_against_the_bug_and_passing_once_fixed() {
    for (bug, check) in [
        (Bug::Lost, "ensure_resource_availability"),
        (Bug::Undead, "use_after_free"),
        (Bug::Unnamed, "response_schema_conformance"),
    ] {
        let (broken, target) = verified(bug).await;
        let kept: Vec<_> = broken
            .failures
            .iter()
            .filter(|s| s.name.starts_with("stateful walk") && s.tags.iter().any(|t| t == check))
            .cloned()
            .collect();
        assert!(!kept.is_empty(), "{check}: nothing kept");
        // Ids are captures: none is written literally.
        let text = serde_saphyr::to_string(&kept[0]).expect("printed");
        assert!(!text.contains("/products/prd_"), "{text}");
        for (name, status, report) in replay(&kept, &target).await {
            assert_eq!(status, Status::Failed, "{name} against the bug:\n{report}");
        }
        let fixed = server(Bug::None).await;
        for (name, status, report) in replay(&kept, &fixed).await {
            assert_eq!(status, Status::Passed, "{name} once fixed:\n{report}");
        }
    }
}

/// Writes the scenarios, reads them back as `cartwright run` does, and runs each against
/// `target`; the cases by scenario name.
async fn replay(
    scenarios: &[cartwright_scenario::Scenario],
    target: &str,
) -> Vec<(String, Status, String)> {
    let dir = std::env::temp_dir().join(format!(
        "cartwright-verify-walk-{}-{}",
        std::process::id(),
        target.rsplit(':').next().unwrap_or("0")
    ));
    let written = cartwright_verify::replay::write(&dir, scenarios).expect("written");
    let api = Arc::new(store());
    let loaded: Vec<cartwright_scenario::Loaded> = written
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read back");
            let loaded = cartwright_scenario::load_text(
                std::path::Path::new(path),
                &text,
                &cartwright_source::Reader::new(),
                &mut Sources::new(),
            )
            .unwrap_or_else(|e| panic!("{path} parses: {e:?}\n{text}"));
            cartwright_scenario::Loaded {
                api: Some(api.clone()),
                api_name: "store".into(),
                ..loaded
            }
        })
        .collect();
    let opts = cartwright_scenario::Options {
        target: target.into(),
        vars: serde_json::Map::new(),
        masker: cartwright_scenario::send::Masker::default(),
        snapshots: cartwright_scenario::snapshot::Mode::Locked,
        snapshot_root: dir.join("snapshots"),
        jobs: 2,
        timeout: std::time::Duration::from_secs(5),
        admin_token: None,
        max_response_bytes: cartwright_http::MAX_BODY,
    };
    let run = cartwright_scenario::run(loaded, &opts, |_| {}).await;
    let _ = std::fs::remove_dir_all(&dir);
    let report = cartwright_report::terminal(&run, false);
    run.cases
        .iter()
        .map(|c| (c.name.clone(), c.status(), report.clone()))
        .collect()
}

#[tokio::test]
async fn the_walk_logs_in_with_the_registered_credentials_to_reach_the_account() {
    let target = login::server().await;
    let run = verify(&login::spec(), &options(target)).await.run;
    let walk = walk(&run);
    let report = cartwright_report::terminal(&run, false);
    let me = steps(walk, "stateful GET /accounts/me");
    assert!(
        me.iter().any(|s| s.response_status == Some(200)),
        "{report}"
    );
    let login = steps(walk, "stateful POST /auth/{provider}");
    let first = login.first().expect("a login");
    let curl = first.curl.as_deref().unwrap_or("");
    // The registration's path value and credentials, not the free-form default.
    assert!(curl.contains("/auth/emailpass'"), "{curl}");
    assert!(curl.contains("\"password\":\"secret\""), "{curl}");
    assert_eq!(first.response_status, Some(200), "{report}");
    // The account was created with the registration's token, before the login.
    let created = steps(walk, "stateful POST /accounts");
    assert!(
        created.iter().any(|s| s.response_status == Some(201)),
        "{report}"
    );
}

#[tokio::test]
async fn the_walk_asks_a_scoped_list_for_its_cart_and_sends_the_option_it_answered() {
    let target = scoped::server().await;
    let run = verify(&scoped::spec(), &options(target)).await.run;
    let walk = walk(&run);
    let report = cartwright_report::terminal(&run, false);
    let listed = steps(walk, "stateful GET /shipping-options");
    let ok = listed
        .iter()
        .find(|s| s.response_status == Some(200))
        .unwrap_or_else(|| panic!("the scoped list:\n{report}"));
    let curl = ok.curl.as_deref().unwrap_or("");
    assert!(curl.contains("?cart_id=cart_"), "{curl}");
    let added = steps(walk, "stateful POST /carts/{id}/shipping-methods");
    let sent = added
        .iter()
        .find(|s| s.response_status == Some(200))
        .unwrap_or_else(|| panic!("the shipping method:\n{report}"));
    let curl = sent.curl.as_deref().unwrap_or("");
    assert!(curl.contains("\"option_id\":\"so_cart_"), "{curl}");
}

#[tokio::test]
async fn a_refusal_naming_a_reached_change_sends_it_again_then_completes() {
    let target = scoped::server().await;
    let run = verify(&scoped::spec(), &options(target)).await.run;
    let walk = walk(&run);
    let report = cartwright_report::terminal(&run, false);
    let completed = steps(walk, "stateful POST /carts/{id}/complete");
    let sent: Vec<(&str, Option<u16>)> = walk
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.response_status))
        .collect();
    assert_eq!(
        completed.last().and_then(|s| s.response_status),
        Some(200),
        "{sent:?}\n{report}"
    );
    // The payment session was sent again after the shipping method dropped it.
    let names: Vec<&str> = walk.steps.iter().map(|s| s.name.as_str()).collect();
    let shipped = names
        .iter()
        .rposition(|n| *n == "stateful POST /carts/{id}/shipping-methods")
        .expect("a shipping method");
    let paid = names
        .iter()
        .rposition(|n| *n == "stateful POST /carts/{id}/payment-sessions")
        .expect("a payment session");
    assert!(paid > shipped, "{names:?}");
}
