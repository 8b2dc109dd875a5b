//! WEBSALE session handling, bound in specs/websale-storefront.yaml, over HTTP.

use cartwright_mock::Config;
use serde_json::json;

use crate::start_spec;

/// `session/create` returns a 64-hex id; `prepareRedirect` needs it, knows its configured
/// `viewIdentifier`s and answers `redirectNotFound` for others.
#[tokio::test]
async fn sessions_carry_over_into_redirect_links() {
    let w = start_spec("websale-storefront", Config::default()).await;
    let created = w.send(w.req("POST", "/session/create")).await;
    let id = created.body["id"].as_str().expect("id").to_owned();
    assert!(
        id.len() == 64 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    let other = w.send(w.req("POST", "/session/create")).await;
    assert_ne!(other.body["id"], created.body["id"]);
    let link = |session: &str, body: serde_json::Value| {
        w.req("POST", "/session/prepareRedirect")
            .header("x-session", session)
            .json(&body)
    };
    let r = w
        .send(link(&id, json!({"viewIdentifier": "checkout"})))
        .await;
    assert_eq!(r.status, 200);
    let url = r.body["storeFrontLink"].as_str().expect("link").to_owned();
    assert!(
        url.starts_with("https://demo.shop.websale.biz/checkout?sessionKey="),
        "{url}"
    );
    let again = w
        .send(link(&id, json!({"viewIdentifier": "checkout"})))
        .await;
    assert_eq!(
        again.body["storeFrontLink"],
        url.as_str(),
        "the same session carries the same key"
    );
    let theirs = w
        .send(link(
            other.body["id"].as_str().expect("id"),
            json!({"viewIdentifier": "checkout"}),
        ))
        .await;
    assert_ne!(
        theirs.body["storeFrontLink"],
        url.as_str(),
        "each session has its own key"
    );
    let with = w
        .send(link(
            &id,
            json!({"viewIdentifier": "checkout", "parameters": {"step": "address"}}),
        ))
        .await;
    assert!(
        with.body["storeFrontLink"]
            .as_str()
            .expect("l")
            .ends_with("&step=address")
    );
    let unknown_view = w
        .send(link(&id, json!({"viewIdentifier": "wishlist"})))
        .await;
    assert_eq!(unknown_view.status, 404);
    assert_eq!(unknown_view.body["errors"][0]["code"], "redirectNotFound");
    let unknown_session = w
        .send(link(&"0".repeat(64), json!({"viewIdentifier": "checkout"})))
        .await;
    assert_eq!(unknown_session.status, 401);
    assert_eq!(unknown_session.body["errors"][0]["code"], "sessionNotFound");
    let missing = w
        .send(
            w.req("POST", "/session/prepareRedirect")
                .json(&json!({"viewIdentifier": "checkout"})),
        )
        .await;
    assert_eq!(missing.status, 400, "x-session is required");
}
