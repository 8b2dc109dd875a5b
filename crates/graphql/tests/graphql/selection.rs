//! The selection: "All the mutations affecting the selection will always return the
//! selection and session in the response", and the next query sees the change.

use serde_json::{Value as Json, json};

use super::{Server, start};

/// The id of an item (a size of a display item) that can be bought.
async fn an_item(s: &Server, token: &str) -> String {
    let data = s
        .query(
            token,
            "{ displayItems(where: {onlyAvailable: true}, limit: 1) { list { items { id } } } }",
        )
        .await
        .ok();
    data["displayItems"]["list"][0]["items"][0]["id"]
        .as_str()
        .expect("an item id")
        .to_owned()
}

const SELECTION: &str =
    "{ selection { id lines { id quantity item { id } lineValue { value } unitPrice { value } }
  discounts { ... on CodeVoucher { code } } grandTotal { value }
  checkout { shippingAddress { country { code } } totals { type price { value } } } } }";

async fn selection(s: &Server, token: &str) -> Json {
    s.query(token, SELECTION).await.ok()["selection"].clone()
}

#[tokio::test]
async fn add_item_then_the_next_selection_query_shows_it() {
    let s = start().await;
    let token = s.session().await;
    let item = an_item(&s, &token).await;
    let q = "mutation Add($item: String!) { addItem(item: $item, quantity: 2) {
      line { id quantity } selection { lines { quantity } } userErrors { message } } }";
    let r = s.post(Some(&token), &[], q, json!({"item": item})).await;
    let payload = &r.ok()["addItem"];
    assert_eq!(payload["line"]["quantity"], 2);
    assert_eq!(
        payload["selection"]["lines"][0]["quantity"], 2,
        "the payload carries the selection"
    );

    let sel = selection(&s, &token).await;
    assert_eq!(sel["lines"].as_array().map(Vec::len), Some(1));
    assert_eq!(sel["lines"][0]["item"]["id"], item.as_str());
    let unit = sel["lines"][0]["unitPrice"]["value"]
        .as_f64()
        .expect("unit price");
    assert_eq!(
        sel["lines"][0]["lineValue"]["value"].as_f64(),
        Some(unit * 2.0)
    );
    assert_eq!(sel["grandTotal"]["value"].as_f64(), Some(unit * 2.0));

    // The same item again adds to its line.
    s.post(Some(&token), &[], q, json!({"item": item}))
        .await
        .ok();
    assert_eq!(selection(&s, &token).await["lines"][0]["quantity"], 4);
}

#[tokio::test]
async fn update_line_changes_the_quantity_and_zero_removes_it() {
    let s = start().await;
    let token = s.session().await;
    let item = an_item(&s, &token).await;
    let add = s
        .post(
            Some(&token),
            &[],
            "mutation($i: String!) { addItem(item: $i) { line { id } } }",
            json!({"i": item}),
        )
        .await;
    let line = add.ok()["addItem"]["line"]["id"]
        .as_str()
        .expect("line id")
        .to_owned();
    let update = "mutation($l: String!, $q: Int) { updateLine(lineId: $l, quantity: $q) {
      selection { lines { quantity } } userErrors { message } } }";
    let data = s
        .post(Some(&token), &[], update, json!({"l": line, "q": 5}))
        .await
        .ok();
    assert_eq!(data["updateLine"]["selection"]["lines"][0]["quantity"], 5);
    assert_eq!(selection(&s, &token).await["lines"][0]["quantity"], 5);
    s.post(Some(&token), &[], update, json!({"l": line, "q": 0}))
        .await
        .ok();
    assert_eq!(selection(&s, &token).await["lines"], json!([]));
    let data = s
        .post(Some(&token), &[], update, json!({"l": "nope", "q": 1}))
        .await
        .ok();
    assert_eq!(
        data["updateLine"]["userErrors"][0]["message"],
        "line `nope` is not in the selection"
    );
}

#[tokio::test]
async fn a_voucher_reduces_the_total_until_it_is_removed() {
    let s = start().await;
    let token = s.session().await;
    let item = an_item(&s, &token).await;
    s.post(
        Some(&token),
        &[],
        "mutation($i: String!) { addItem(item: $i) { line { id } } }",
        json!({"i": item}),
    )
    .await
    .ok();
    let full = selection(&s, &token).await["grandTotal"]["value"]
        .as_f64()
        .expect("total");

    let add = "mutation { addVoucher(code: \"SUMMER10\") { __typename selection { grandTotal { value } } userErrors { message } } }";
    let data = s.query(&token, add).await.ok();
    assert_eq!(
        data["addVoucher"]["__typename"],
        "GenericSelectionMutationPayload"
    );
    let reduced = data["addVoucher"]["selection"]["grandTotal"]["value"]
        .as_f64()
        .expect("total");
    assert!((reduced - full * 0.9).abs() < 0.011, "{full} → {reduced}");
    let sel = selection(&s, &token).await;
    assert_eq!(sel["discounts"][0]["code"], "SUMMER10");

    let data = s
        .query(
            &token,
            "mutation { addVoucher(code: \"NOPE\") { userErrors { message path } } }",
        )
        .await
        .ok();
    assert_eq!(data["addVoucher"]["userErrors"][0]["path"], json!(["code"]));

    s.query(
        &token,
        "mutation { removeVoucher(code: \"SUMMER10\") { userErrors { message } } }",
    )
    .await
    .ok();
    assert_eq!(
        selection(&s, &token).await["grandTotal"]["value"].as_f64(),
        Some(full)
    );
}

#[tokio::test]
async fn the_country_moves_the_selection_and_the_session() {
    let s = start().await;
    let token = s.session().await;
    let q = "mutation($c: String!) { setCountryState(countryCode: $c) { selection { checkout { shippingAddress { country { code } } } } userErrors { message } } }";
    let data = s.post(Some(&token), &[], q, json!({"c": "SE"})).await.ok();
    assert_eq!(
        data["setCountryState"]["selection"]["checkout"]["shippingAddress"]["country"]["code"],
        "SE"
    );
    let sel = selection(&s, &token).await;
    assert_eq!(sel["checkout"]["shippingAddress"]["country"]["code"], "SE");
    let data = s.post(Some(&token), &[], q, json!({"c": "XX"})).await.ok();
    assert!(
        !data["setCountryState"]["userErrors"]
            .as_array()
            .expect("errors")
            .is_empty()
    );
}

#[tokio::test]
async fn an_unknown_item_is_a_user_error() {
    let s = start().await;
    let token = s.session().await;
    let data = s
        .query(
            &token,
            "mutation { addItem(item: \"99999-1\") { line { id } userErrors { message path } } }",
        )
        .await
        .ok();
    assert_eq!(data["addItem"]["userErrors"][0]["path"], json!(["item"]));
    assert!(data["addItem"]["line"].is_null());
}
