//! GraphQL's `Int` is "a signed 32-bit integer": a value outside -2^31..2^31-1 is an input
//! coercion error, so the request runs nothing, whether the value is a literal, a variable,
//! or nested in an input object or a list.

use serde_json::{Value as Json, json};

use super::{Server, start};

/// An available item's id.
async fn an_item(s: &Server, token: &str) -> Json {
    let q = "{ displayItems(where: {onlyAvailable: true}, limit: 1) { list { items { id } } } }";
    let data = s.query(token, q).await.ok();
    data["displayItems"]["list"][0]["items"][0]["id"].clone()
}

async fn lines(s: &Server, token: &str) -> Json {
    let q = "{ selection { lines { quantity item { id } } } }";
    s.query(token, q).await.ok()["selection"]["lines"].clone()
}

/// Asserts a refusal of an out-of-range `Int`: the GraphQL errors shape, no data.
fn assert_refused(body: &Json, status: u16) {
    assert_eq!(status, 200, "{body:#}");
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("32-bit"), "{body:#}");
    assert!(message.contains("2147483648"), "{body:#}");
    assert!(
        body["errors"][0]["locations"][0]["line"].is_u64(),
        "{body:#}"
    );
    assert!(body.get("data").is_none_or(Json::is_null), "{body:#}");
}

#[tokio::test]
async fn a_quantity_above_2_pow_31_minus_1_is_refused_and_adds_nothing() {
    let s = start().await;
    let token = s.session().await;
    let item = an_item(&s, &token).await;
    let item = item.as_str().expect("an item id");

    let literal = format!(
        "mutation {{ addItem(item: \"{item}\", quantity: 2147483648) {{ userErrors {{ message }} }} }}"
    );
    let r = s.post(Some(&token), &[], &literal, json!({})).await;
    assert_refused(&r.body, r.status);
    assert_eq!(r.body["errors"][0]["path"], json!(["addItem"]));

    let q = "mutation($i: String!, $q: Int!) { addItem(item: $i, quantity: $q) { userErrors { message } } }";
    let r = s
        .post(
            Some(&token),
            &[],
            q,
            json!({"i": item, "q": 2147483648_i64}),
        )
        .await;
    assert_refused(&r.body, r.status);
    let r = s
        .post(
            Some(&token),
            &[],
            q,
            json!({"i": item, "q": -2147483649_i64}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.error().contains("-2147483649"), "{:#}", r.body);

    assert_eq!(lines(&s, &token).await, json!([]), "nothing was added");

    // The largest Int is an Int.
    let r = s
        .post(Some(&token), &[], q, json!({"i": item, "q": 2147483647}))
        .await;
    assert!(!r.error().contains("32-bit"), "{:#}", r.body);
    assert!(r.body["data"]["addItem"].is_object(), "{:#}", r.body);
}

#[tokio::test]
async fn an_int_nested_in_an_input_object_or_list_is_checked_too() {
    let s = start().await;
    let token = s.session().await;
    // An Int inside an input object, given as a variable of the input type and as a literal.
    let q = "query($w: DisplayItemFilter) { displayItems(where: $w, limit: 1) { list { id } } }";
    let r = s
        .post(
            Some(&token),
            &[],
            q,
            json!({"w": {"id": [1, 4294967296_i64]}}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.error().contains("$w.id[1]"), "{:#}", r.body);
    let literal = "{ displayItems(where: {id: [3000000000]}, limit: 1) { list { id } } }";
    let r = s.query(&token, literal).await;
    assert!(r.error().contains("where.id[0]"), "{:#}", r.body);
    // In range, the same query runs.
    let r = s
        .post(Some(&token), &[], q, json!({"w": {"id": [1, 2147483647]}}))
        .await;
    assert!(r.body["data"]["displayItems"].is_object(), "{:#}", r.body);
}
