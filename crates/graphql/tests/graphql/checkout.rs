//! The purchase. `paymentInstructions` ("Initiate the payment process for the current
//! selection") answers the session's own selection, as "All the mutations affecting the
//! selection will always return the selection and session in the response"; `paymentResult`
//! ("Selection is converted into order on successful payment and is detached from the current
//! session") decides from its input; `order` is "the latest order, null if none".

use serde_json::{Value as Json, json};

use super::{Server, start};

const INSTRUCTIONS: &str = "mutation Pay($input: PaymentInstructionsInput!) {
  paymentInstructions(input: $input) {
    action { action ... on FormPaymentAction { formFields html } }
    selection { id lines { id quantity item { id } } checkout { shippingAddress { firstName country { code } } } }
    userErrors { message path } } }";

const RESULT: &str = "mutation Result($fields: Map!) {
  paymentResult(paymentMethodFields: $fields) {
    type userErrors { message path } selection { id lines { id } }
    ... on PaymentResultSuccessPayload { order { id number status lines { id quantity }
      totals { type price { value } } shippingAddress { firstName country { code } } } } } }";

const ORDER: &str = "{ order { id lines { id quantity } } }";

/// A fresh session with one line of an available item (two of it); the session's token.
async fn with_a_line(s: &Server) -> String {
    let token = s.session().await;
    let items = s
        .query(
            &token,
            "{ displayItems(where: {onlyAvailable: true}, limit: 1) { list { items { id } } } }",
        )
        .await
        .ok();
    let item = &items["displayItems"]["list"][0]["items"][0]["id"];
    let q = "mutation($i: String!) { addItem(item: $i, quantity: 2) { userErrors { message } } }";
    let added = s.post(Some(&token), &[], q, json!({"i": item})).await.ok();
    assert_eq!(added["addItem"]["userErrors"], json!([]));
    token
}

fn input(country: &str) -> Json {
    json!({"input": {
        "paymentReturnPage": "https://shop.example.com/return?step=pay&x=\"<>",
        "paymentFailedPage": "https://shop.example.com/failed",
        "shippingAddress": {"firstName": "Sam", "lastName": "Shopper", "country": country},
        "termsAndConditions": true,
    }})
}

async fn selection(s: &Server, token: &str) -> Json {
    let q = "{ selection { id lines { id quantity item { id } } } }";
    s.query(token, q).await.ok()["selection"].clone()
}

async fn pay(s: &Server, token: &str, country: &str) -> Json {
    let r = s.post(Some(token), &[], INSTRUCTIONS, input(country)).await;
    r.ok()["paymentInstructions"].clone()
}

async fn result(s: &Server, token: &str, fields: &Json) -> Json {
    let r = s
        .post(Some(token), &[], RESULT, json!({"fields": fields}))
        .await;
    r.ok()["paymentResult"].clone()
}

async fn order(s: &Server, token: &str) -> Json {
    s.query(token, ORDER).await.ok()["order"].clone()
}

/// 000: "All the mutations affecting the selection will always return the selection and
/// session in the response": the selection `selection` reads, not a made-up one.
#[tokio::test]
async fn payment_instructions_answer_the_sessions_own_selection_and_no_user_errors() {
    let s = start().await;
    let token = with_a_line(&s).await;
    let before = selection(&s, &token).await;
    let paid = pay(&s, &token, "DE").await;
    assert_eq!(paid["userErrors"], json!([]), "valid input: {paid:#}");
    assert_eq!(
        paid["selection"]["id"], before["id"],
        "the session's selection"
    );
    assert_eq!(paid["selection"]["lines"], before["lines"]);
    assert_eq!(
        paid["selection"]["checkout"]["shippingAddress"],
        json!({"firstName": "Sam", "country": {"code": "DE"}}),
        "the input's shipping address is the selection's"
    );
    assert_eq!(paid["action"]["action"], "FORM");
    let fields = &paid["action"]["formFields"];
    assert!(fields["payment"].is_string(), "{paid:#}");
    let html = paid["action"]["html"].as_str().unwrap_or_default();
    assert!(
        html.contains("action=\"https://shop.example.com/return?step=pay&amp;x=&quot;&lt;&gt;\""),
        "the form posts to paymentReturnPage: {html}"
    );
    // The same input again gives the same selection: nothing is made up per call.
    let again = pay(&s, &token, "DE").await;
    assert_eq!(again["selection"], paid["selection"]);
}

/// `paymentInstructions`: "Initiate the payment process for the current selection": with
/// nothing in it, or to a country the shop does not ship to, a user error and no action.
#[tokio::test]
async fn payment_instructions_refuse_an_empty_selection_and_an_unknown_country_in_user_errors() {
    let s = start().await;
    let token = s.session().await;
    let empty = pay(&s, &token, "DE").await;
    assert_eq!(empty["userErrors"][0]["path"], json!(["selection"]));
    assert_eq!(empty["action"], Json::Null);
    assert_eq!(empty["selection"]["id"], selection(&s, &token).await["id"]);

    let token = with_a_line(&s).await;
    let nowhere = pay(&s, &token, "ZZ").await;
    assert_eq!(
        nowhere["userErrors"][0]["path"],
        json!(["input", "shippingAddress", "country"]),
        "{nowhere:#}"
    );
    assert_eq!(nowhere["action"], Json::Null);

    // A refused attempt also closes the payment an earlier one started.
    let paid = pay(&s, &token, "DE").await;
    pay(&s, &token, "ZZ").await;
    let late = result(&s, &token, &paid["action"]["formFields"]).await;
    assert_eq!(late["type"], "FAILED", "{late:#}");
}

/// `order`: "Get the latest order, null if none"; `paymentResult`: "Selection is converted
/// into order on successful payment and is detached from the current session".
#[tokio::test]
async fn order_is_null_until_a_payment_succeeds_then_it_is_the_ordered_selection() {
    let s = start().await;
    let token = with_a_line(&s).await;
    assert_eq!(
        order(&s, &token).await,
        Json::Null,
        "no order on a new session"
    );
    let before = selection(&s, &token).await;
    let paid = pay(&s, &token, "DE").await;
    assert_eq!(
        order(&s, &token).await,
        Json::Null,
        "instructions place no order"
    );

    let done = result(&s, &token, &paid["action"]["formFields"]).await;
    assert_eq!(done["type"], "SUCCESS", "{done:#}");
    assert_eq!(done["userErrors"], json!([]));
    let placed = &done["order"];
    assert_eq!(placed["id"], before["id"], "the selection became the order");
    assert_eq!(placed["lines"][0]["id"], before["lines"][0]["id"]);
    assert_eq!(placed["lines"][0]["quantity"], 2);
    assert_eq!(placed["shippingAddress"]["country"]["code"], "DE");
    let grand = placed["totals"]
        .as_array()
        .and_then(|t| t.iter().find(|r| r["type"] == "GRAND_TOTAL"))
        .expect("a grand total row");
    assert!(grand["price"]["value"].as_f64() > Some(0.0), "{grand}");

    // "detached from the current session": a new, empty selection.
    let after = selection(&s, &token).await;
    assert_ne!(after["id"], before["id"]);
    assert_eq!(after["lines"], json!([]));
    assert_eq!(done["selection"]["id"], after["id"]);
    let latest = order(&s, &token).await;
    assert_eq!(latest["id"], before["id"], "order reads the latest order");
    assert_eq!(latest["lines"], placed["lines"]);
    // Another session has no order.
    assert_eq!(order(&s, &s.session().await).await, Json::Null);
}

/// `paymentResult`: "Send all POST/GET variables received to paymentReturnPage to verify if
/// payment was successfully processed": other variables are a FAILED payment.
#[tokio::test]
async fn payment_result_fails_with_a_user_error_without_the_payment_the_instructions_gave() {
    let s = start().await;
    let token = with_a_line(&s).await;
    let fields = json!({"payment": "made-up"});
    let early = result(&s, &token, &fields).await;
    assert_eq!(early["type"], "FAILED", "no instructions yet: {early:#}");
    assert_eq!(
        early["userErrors"][0]["path"],
        json!(["paymentMethodFields"])
    );

    let paid = pay(&s, &token, "DE").await;
    let wrong = result(&s, &token, &fields).await;
    assert_eq!(wrong["type"], "FAILED", "other fields: {wrong:#}");
    assert_eq!(
        wrong["userErrors"][0]["path"],
        json!(["paymentMethodFields"])
    );
    assert_eq!(wrong["selection"]["id"], paid["selection"]["id"]);
    assert_eq!(
        order(&s, &token).await,
        Json::Null,
        "a failed payment orders nothing"
    );

    let done = result(&s, &token, &paid["action"]["formFields"]).await;
    assert_eq!(done["type"], "SUCCESS");
    // The payment is spent: the same fields again order nothing more.
    let twice = result(&s, &token, &paid["action"]["formFields"]).await;
    assert_eq!(twice["type"], "FAILED");
    assert_eq!(order(&s, &token).await["id"], paid["selection"]["id"]);
}

/// `paymentResult`: "Selection is converted into order": an empty selection makes none.
#[tokio::test]
async fn payment_result_fails_when_the_selection_was_emptied_after_the_instructions() {
    let s = start().await;
    let token = with_a_line(&s).await;
    let paid = pay(&s, &token, "DE").await;
    let line = &paid["selection"]["lines"][0]["id"];
    let q = "mutation($l: String!) { deleteLine(lineId: $l) { userErrors { message } } }";
    s.post(Some(&token), &[], q, json!({"l": line})).await.ok();
    let r = result(&s, &token, &paid["action"]["formFields"]).await;
    assert_eq!(r["type"], "FAILED", "{r:#}");
    assert_eq!(r["userErrors"][0]["path"], json!(["selection"]));
    assert_eq!(order(&s, &token).await, Json::Null);
}
