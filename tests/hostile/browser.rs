//! A real browser against both mocks: headless Chromium loads a page of another origin (a
//! port of its own) whose script tries to read the REST mock's outbox, reset it and move
//! its clock, and the same against the GraphQL mock's admin API and GraphiQL. The page reads
//! no one-time code and changes nothing, while the same page reads what it may (its own
//! origin, and both storefront APIs that allow it), so a browser that never ran cannot pass.

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use cartwright_mock::{Config, Mock};
use serde_json::{Value, json};

use super::browser_page::{Page, dump_dom, outcome};
use crate::support::load_lenient;

const REST: &str = "/api/v2/storefront";
const EMAIL: &str = "shopper@example.com";
const SESSION: &str = "browser-base-session";

/// The Vendo mock on 127.0.0.1:0, letting `origin` call the storefront API.
async fn vendo(origin: &str) -> cartwright_mock::Running {
    let api =
        load_lenient(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/vendo-storefront.yaml"));
    let config = Config {
        log_requests: false,
        allow_origins: Some(vec![origin.to_owned()]),
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let mock = Arc::new(Mock::new(vec![api], config));
    cartwright_mock::serve(mock, listener, std::future::pending()).expect("serve")
}

/// The Centra GraphQL mock on 127.0.0.1:0, with a base session token of the test's.
async fn centra() -> cartwright_graphql::Running {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/centra-storefront.graphql");
    let sdl = std::fs::read_to_string(&path).expect("schema");
    let config = cartwright_graphql::Config {
        log_requests: false,
        secrets: vec![("storefront_session".into(), SESSION.into())],
        ..cartwright_graphql::Config::default()
    };
    let mock =
        cartwright_graphql::GraphqlMock::new(&path.display().to_string(), &sdl, None, config)
            .expect("schema");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    cartwright_graphql::serve(Arc::new(mock), listener, std::future::pending()).expect("serve")
}

async fn get(client: &reqwest::Client, url: String) -> Value {
    client
        .get(url)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json")
}

async fn graphql(client: &reqwest::Client, base: &str, token: &str, query: &str) -> Value {
    client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("graphql")
        .json()
        .await
        .expect("json")
}

/// What the test can see of both mocks' state over HTTP: the codes in the outbox, whether
/// the cart of `cart` exists, both clocks, and the country of the GraphQL session.
async fn state(
    client: &reqwest::Client,
    rest: &str,
    gql: &str,
    cart: &str,
    session: &str,
) -> Value {
    let outbox = get(client, format!("{rest}/__cartwright/outbox?to={EMAIL}")).await;
    let codes: Vec<Value> = outbox["messages"]
        .as_array()
        .map(|m| m.iter().map(|m| m["code"].clone()).collect())
        .unwrap_or_default();
    let cart = client
        .get(format!("{rest}{REST}/cart"))
        .header("X-Vendo-Order-Token", cart)
        .send()
        .await
        .expect("cart")
        .status()
        .as_u16();
    let country = graphql(client, gql, session, "{ session { country { code } } }").await;
    json!({
        "codes": codes,
        "cart": cart,
        "rest_clock": get(client, format!("{rest}/__cartwright/clock")).await["offset_ms"],
        "gql_clock": get(client, format!("{gql}/__cartwright/clock")).await["offset_ms"],
        "gql_country": country["data"]["session"]["country"]["code"],
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_in_chromium_reads_no_code_and_changes_nothing() {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let nonce = format!("control-{}-{nanos}", std::process::id());
    let page = Page::serve(&nonce);
    let rest_running = vendo(&page.origin).await;
    let rest = format!("http://{}", rest_running.addr);
    let gql_running = centra().await;
    let gql = format!("http://{}", gql_running.addr);
    let client = reqwest::Client::new();

    // State the page could steal or destroy: a code in the outbox, a cart, a session.
    let sent = client
        .post(format!("{rest}{REST}/auth"))
        .json(&json!({"user": {"email": EMAIL, "first_name": "Vendo"}}))
        .send()
        .await
        .expect("auth");
    assert_eq!(sent.status(), 200);
    let cart: Value = client
        .post(format!("{rest}{REST}/cart"))
        .send()
        .await
        .expect("cart")
        .json()
        .await
        .expect("json");
    let cart = cart["data"]["attributes"]["token"]
        .as_str()
        .expect("an order token")
        .to_owned();
    let first = graphql(&client, &gql, SESSION, "{ session { country { code } } }").await;
    let session = first["extensions"]["token"]
        .as_str()
        .expect("a session token")
        .to_owned();
    let moved = graphql(
        &client,
        &gql,
        &session,
        "mutation { setCountryState(countryCode: \"US\") { userErrors { message } } }",
    )
    .await;
    assert!(moved.get("errors").is_none(), "{moved}");
    let before = state(&client, &rest, &gql, &cart, &session).await;
    let code = before["codes"][0]
        .as_str()
        .expect("a code in the outbox")
        .to_owned();
    assert_eq!(before["cart"], 200);
    assert_eq!(before["gql_country"], "US");

    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("{}/?rest={rest}&gql={gql}", page.origin);
    let dom = tokio::task::spawn_blocking(move || dump_dom(&url, profile.path()))
        .await
        .expect("chromium ran");
    let seen = |name: &str| outcome(&dom, name).unwrap_or_else(|| panic!("no {name} in:\n{dom}"));

    // The harness works: the script ran to its end and read what it may read.
    assert_eq!(seen("done"), "done");
    assert!(seen("control").contains(&nonce), "{}", seen("control"));
    assert!(
        seen("rest-api").starts_with("read 201 cors"),
        "{}",
        seen("rest-api")
    );
    assert!(
        seen("rest-api").contains("\"token\""),
        "{}",
        seen("rest-api")
    );
    assert!(
        seen("gql-api").starts_with("read 200 cors"),
        "{}",
        seen("gql-api")
    );
    assert!(
        seen("gql-api").contains("__typename"),
        "{}",
        seen("gql-api")
    );
    // Nothing of the admin APIs or GraphiQL could be read.
    assert!(!dom.contains(&code), "the page read the code:\n{dom}");
    for name in [
        "rest-outbox",
        "rest-outbox-cred",
        "rest-journal",
        "rest-reset-json",
        "rest-clock-json",
        "gql-health",
        "gql-reset-json",
        "gql-clock-json",
        "gql-graphiql",
    ] {
        assert!(
            seen(name).starts_with("error "),
            "{name} was read: {}",
            seen(name)
        );
    }
    // Without a preflight, the browser sends the text/plain POSTs but hides their answers.
    for name in [
        "rest-reset-text",
        "rest-clock-text",
        "gql-reset-text",
        "gql-clock-text",
    ] {
        assert!(
            seen(name).starts_with("read 0 opaque"),
            "{name}: {}",
            seen(name)
        );
    }

    // And none of them changed anything.
    let after = state(&client, &rest, &gql, &cart, &session).await;
    assert_eq!(after, before, "the page changed the mocks' state");
    assert_eq!(after["rest_clock"], 0);
    assert_eq!(after["gql_clock"], 0);
}
