//! The real Spree storefront v2 spec, untouched, made stateful by
//! specs/overlays/spree-storefront-v2.overlay.yaml.

use std::path::PathBuf;
use std::sync::Arc;

use cartwright_diag::Sources;
use cartwright_mock::Config;
use cartwright_spec::LoadOptions;
use serde_json::json;

use crate::{Stateful, start_api};

/// Creating a cart, adding an item and reading the cart with `X-Spree-Order-Token` keeps state.
#[tokio::test]
async fn the_overlay_makes_spree_carts_keep_their_items() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let options = LoadOptions {
        overlay: Some(root.join("specs/overlays/spree-storefront-v2.overlay.yaml")),
        lenient: true,
        ..LoadOptions::default()
    };
    let loaded = cartwright_spec::load(
        &root.join("tests/corpus/spree-storefront-v2.yaml"),
        &options,
        &mut Sources::new(),
    )
    .expect("loads leniently with the overlay");
    let server = start_api(loaded.api, Config::default()).await;
    let api: Arc<_> = server.mock.apis()[0].clone();
    let s = Stateful {
        base: format!("{}/api/v2/storefront", server.base),
        server,
        api,
    };
    let created = s.send(s.req("POST", "/cart")).await;
    assert_eq!(created.status, 201);
    let token = created.body["data"]["attributes"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let add = s
        .send(
            s.req("POST", "/cart/add_item")
                .header("X-Spree-Order-Token", &token)
                .header("content-type", "application/vnd.api+json")
                .body(json!({"variant_id": "1", "quantity": 2}).to_string()),
        )
        .await;
    assert_eq!(add.status, 200, "{}", add.body);
    let read = s
        .send(s.req("GET", "/cart").header("X-Spree-Order-Token", &token))
        .await;
    assert_eq!(read.body["data"]["attributes"]["item_count"], 2);
    assert_eq!(read.body["data"]["attributes"]["item_total"], "39.98");
    let other = s
        .send(
            s.req("GET", "/cart")
                .header("X-Spree-Order-Token", "someone-else"),
        )
        .await;
    assert_eq!(other.status, 404);
}
