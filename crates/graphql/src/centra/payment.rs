//! The purchase: `paymentInstructions` ("Initiate the payment process for the current
//! selection") starts a payment for the session's own selection, `paymentResult` ("Verify
//! payment to create order") completes it: "Selection is converted into order on successful
//! payment and is detached from the current session", and `order` reads it ("Get the latest
//! order, null if none").
//!
//! The mock plays a payment provider that needs no shopper: the instructions are a `FORM`
//! action whose form posts its `formFields` to `paymentReturnPage`, so sending "all POST/GET
//! variables received to paymentReturnPage" to `paymentResult` is sending those fields back.
//! The outcome follows from the input alone: SUCCESS for a selection with items and the fields
//! of the payment its instructions started, FAILED with a user error otherwise.

use serde_json::{Value as Json, json};

use super::catalog::Catalog;
use super::selection::{self, user_error};
use super::store::{Payment, Session};
use crate::behaviour::mix;

/// `paymentInstructions(input)`: the payment's action for the session's selection, or user
/// errors for input the shop refuses (an empty selection, a country it does not ship to).
pub(super) fn instructions(s: &mut Session, cat: &Catalog, input: &Json) -> Json {
    let errors = start(s, cat, input).err().unwrap_or_default();
    if !errors.is_empty() {
        // A refused attempt leaves no payment open: an earlier one's fields no longer pay.
        s.payment = None;
    }
    let action = match (&s.payment, errors.is_empty()) {
        (Some(p), true) => form(p, s, input),
        _ => Json::Null,
    };
    json!({
        "action": action,
        "selection": selection::selection(s, cat),
        "session": selection::session(s, cat),
        "userErrors": errors,
    })
}

/// Checks the input, takes its shipping address and starts a payment.
fn start(s: &mut Session, cat: &Catalog, input: &Json) -> Result<(), Vec<Json>> {
    if s.lines.is_empty() {
        return Err(vec![empty()]);
    }
    let address = &input["shippingAddress"];
    // The schema requires `shippingAddress` and its `country` (`AddressInput!`, `String!`),
    // so GraphQL validation has refused a request without them.
    let country = address["country"].as_str().unwrap_or_default();
    let state = address["state"].as_str();
    if let Err(mut e) = selection::set_country(s, cat, country, state) {
        let field = if e["path"][0] == "stateCode" {
            "state"
        } else {
            "country"
        };
        e["path"] = json!(["input", "shippingAddress", field]);
        return Err(vec![e]);
    }
    let mut kept = address.clone();
    if let Some(obj) = kept.as_object_mut() {
        obj.remove("country");
        obj.remove("state");
    }
    s.address = Some(kept);
    let attempt = s.payment.as_ref().map_or(1, |p| p.attempt + 1);
    s.payment = Some(Payment {
        reference: format!("{}.{attempt}", s.selection_id),
        attempt,
        comment: input["comment"].as_str().map(str::to_owned),
    });
    Ok(())
}

/// The `FormPaymentAction`: a form posting the payment's fields to `paymentReturnPage`.
fn form(p: &Payment, s: &Session, input: &Json) -> Json {
    let fields = json!({"payment": p.reference, "selection": s.selection_id});
    let page = input["paymentReturnPage"].as_str().unwrap_or_default();
    let html = format!(
        "<form method=\"POST\" action=\"{}\"><input type=\"hidden\" name=\"payment\" value=\"{}\"><input type=\"hidden\" name=\"selection\" value=\"{}\"></form>",
        escape(page),
        escape(&p.reference),
        escape(&s.selection_id),
    );
    json!({
        "__typename": "FormPaymentAction", "action": "FORM", "formType": "dummy",
        "formFields": fields, "html": html, "expressHtml": null,
    })
}

/// `paymentResult(paymentMethodFields)`: the order on SUCCESS, a user error on FAILED.
pub(super) fn result(s: &mut Session, cat: &Catalog, fields: &Json) -> Json {
    match complete(s, cat, fields) {
        Ok(order) => json!({
            "__typename": "PaymentResultSuccessPayload", "type": "SUCCESS", "order": order,
            "selection": selection::selection(s, cat), "userErrors": [],
        }),
        Err(e) => json!({
            "__typename": "PaymentResultFailedPayload", "type": "FAILED",
            "selection": selection::selection(s, cat), "userErrors": [e],
        }),
    }
}

/// Turns the selection into the session's latest order when the fields are the payment's.
fn complete(s: &mut Session, cat: &Catalog, fields: &Json) -> Result<Json, Json> {
    let path = &["paymentMethodFields"];
    let Some(p) = s.payment.clone() else {
        return Err(user_error(
            "no payment was started for this selection: call paymentInstructions first",
            path,
        ));
    };
    let given = fields["payment"].as_str().unwrap_or_default();
    if !super::secret::same(given, &p.reference) {
        return Err(user_error(
            "paymentMethodFields are not those of the payment paymentInstructions started (its action's formFields)",
            path,
        ));
    }
    if s.lines.is_empty() {
        return Err(empty());
    }
    let order = order(s, cat, &p);
    s.order = Some(order.clone());
    detach(s);
    Ok(order)
}

/// The `Order` the selection becomes, with the selection's id, lines, totals and address.
fn order(s: &Session, cat: &Catalog, p: &Payment) -> Json {
    let sel = selection::selection(s, cat);
    let session = selection::session(s, cat);
    let address = &sel["checkout"]["shippingAddress"];
    json!({
        "id": s.selection_id,
        "number": number(&s.selection_id),
        // A new order awaits the shop's confirmation.
        "status": "PENDING",
        "lines": sel["lines"],
        "totals": sel["checkout"]["totals"],
        "discountsApplied": sel["discounts"],
        "shippingAddress": address,
        "billingAddress": address,
        "country": session["country"],
        "state": session["countryState"],
        "language": sel["language"],
        "market": session["market"],
        "currencyBaseRate": cat.pricelist(s.pricelist).map_or(1.0, |pl| pl.rate),
        "comment": p.comment,
        "otherComment": "", "paymentHtml": "", "affiliateHtml": "",
        "usedFallbackTax": false, "attributes": [], "deliveryGroups": [],
    })
}

/// A six-digit order number, derived from the selection's id so it is the same every run.
fn number(selection_id: &str) -> u64 {
    let tail = &selection_id[selection_id.len().saturating_sub(16)..];
    mix(u64::from_str_radix(tail, 16).unwrap_or_default(), 0x0de5) % 900_000 + 100_000
}

/// The session leaves the ordered selection behind and starts an empty one.
fn detach(s: &mut Session) {
    let old = u64::from_str_radix(
        &s.selection_id[s.selection_id.len().saturating_sub(16)..],
        16,
    )
    .unwrap_or_default();
    s.selection_id = format!("{:032x}", u128::from(mix(old, 0x5e1e_c710)));
    s.lines.clear();
    s.vouchers.clear();
    s.address = None;
    s.payment = None;
    s.next_line = 0;
}

fn empty() -> Json {
    user_error(
        "the selection is empty: add an item before paying",
        &["selection"],
    )
}

/// Text as an HTML attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
