//! The selection (cart) and session as JSON, and the changes the selection mutations make.
//! Prices are computed when rendered, in the session's current pricelist, so a country change
//! reprices the cart as it does in Centra.

use serde_json::{Value as Json, json};

use super::catalog::Catalog;
use super::render::{self, View, cents, money};
use super::store::{Line, Session};

/// A `UserError` (the schema's in-band error for mutations).
pub(super) fn user_error(message: &str, path: &[&str]) -> Json {
    json!({"__typename": "UserErrorBase", "message": message, "path": path})
}

/// How a session sees the catalog.
pub(super) fn view<'a>(s: &'a Session, cat: &'a Catalog) -> View<'a> {
    View {
        cat,
        pricelist: cat.pricelist(s.pricelist),
        market: cat.market(s.market),
        language: &s.language,
    }
}

/// The `Session` object.
pub(super) fn session(s: &Session, cat: &Catalog) -> Json {
    let country = cat.country(&s.country);
    let state = country
        .and_then(|c| {
            c.states
                .iter()
                .find(|st| Some(&st.code) == s.state.as_ref())
        })
        .map(|st| json!({"code": st.code, "name": st.name}));
    json!({
        "country": country.map(|c| render::country(c, cat)),
        "countryState": state,
        "language": cat.language(&s.language).map(render::language),
        "loggedIn": s.customer.as_deref().and_then(|e| customer(cat, e)),
        "market": cat.market(s.market).map(render::market),
        "pricelist": cat.pricelist(s.pricelist).map(render::pricelist),
    })
}

/// The `Customer` object for a logged-in email.
pub(super) fn customer(cat: &Catalog, email: &str) -> Option<Json> {
    let (i, c) = cat
        .customers
        .iter()
        .enumerate()
        .find(|(_, c)| c.email == email)?;
    Some(json!({
        "id": i + 1, "email": c.email, "firstName": c.first_name, "lastName": c.last_name,
        "orders": [], "wishlists": [], "subscriptionContracts": [], "totalOrders": 0,
        "newsletterSubscriptions": [], "attributes": [],
    }))
}

/// One line as a `ProductLine`.
pub(super) fn line(l: &Line, s: &Session, cat: &Catalog) -> Json {
    let v = view(s, cat);
    let Some((item, size)) = cat.sku(&l.item) else {
        return Json::Null;
    };
    let unit = v.pricelist.map_or(0.0, |pl| render::price(item, pl));
    let m = |x: f64| v.pricelist.map_or(Json::Null, |pl| money(x, pl));
    let di = render::display_item(item, v, &render::all);
    json!({
        "__typename": "ProductLine", "id": l.id, "quantity": l.quantity, "comment": l.comment,
        "name": di["name"], "productNumber": di["productNumber"], "productVariantName": di["name"],
        "size": item.sizes[size], "item": di["items"][size], "displayItem": di, "brand": di["brand"],
        "unitPrice": m(unit), "unitOriginalPrice": m(unit), "unitPriceReduction": m(0.0),
        "lineValue": m(unit * l.quantity as f64), "originalLineValue": m(unit * l.quantity as f64),
        "discountPercent": 0.0, "hasDiscount": false, "taxPercent": 25.0,
        "appliedPromotions": [], "attributes": [], "addedFromCategory": null,
        "localizedSize": null, "productExternalUrl": null, "subscriptionId": null,
    })
}

/// Item subtotal and each voucher's reduction, in the session's pricelist.
fn totals(s: &Session, cat: &Catalog) -> (f64, Vec<(String, String, f64)>) {
    let pl = cat.pricelist(s.pricelist);
    let subtotal: f64 = s
        .lines
        .iter()
        .filter_map(|l| Some(render::price(cat.sku(&l.item)?.0, pl?) * l.quantity as f64))
        .sum();
    let mut left = subtotal;
    let reductions = s
        .vouchers
        .iter()
        .filter_map(|code| {
            let v = cat.voucher(code)?;
            let off = v.percent.map_or(0.0, |p| subtotal * p / 100.0)
                + v.amount.map_or(0.0, |a| a * pl.map_or(1.0, |pl| pl.rate));
            let off = cents(off.min(left));
            left -= off;
            Some((v.code.clone(), v.name.clone(), off))
        })
        .collect();
    (cents(subtotal), reductions)
}

/// The `Selection` object.
pub(super) fn selection(s: &Session, cat: &Catalog) -> Json {
    let pl = cat.pricelist(s.pricelist);
    let m = |x: f64| pl.map_or(Json::Null, |pl| money(x, pl));
    let (subtotal, reductions) = totals(s, cat);
    let discount: f64 = reductions.iter().map(|r| r.2).sum();
    let line_ids: Vec<&str> = s.lines.iter().map(|l| l.id.as_str()).collect();
    let discounts: Vec<Json> = reductions
        .iter()
        .map(|(code, name, off)| {
            json!({
                "__typename": "CodeVoucher", "code": code, "name": name, "type": "DISCOUNT",
                "method": "CODE", "value": m(-off), "orderReduction": m(0.0),
                "totalItemReduction": m(*off), "totalShippingReduction": m(0.0),
                "actions": [], "appliedOn": ["LINES"], "attributes": [], "expiryDate": "",
                "giftCard": null, "isExternal": false, "lineIds": line_ids,
            })
        })
        .collect();
    let row =
        |t: &str, x: f64| json!({"__typename": "SelectionTotalRowBase", "type": t, "price": m(x)});
    let grand = cents(subtotal - discount);
    let mut address = s.address.clone().unwrap_or_else(|| json!({}));
    address["country"] = cat
        .country(&s.country)
        .map_or(Json::Null, |c| render::country(c, cat));
    json!({
        "id": s.selection_id,
        "lines": s.lines.iter().map(|l| line(l, s, cat)).collect::<Vec<_>>(),
        "discounts": discounts,
        "grandTotal": m(grand),
        "language": cat.language(&s.language).map(render::language),
        "comment": null, "taxExempt": false, "usedFallbackTax": false,
        "attributes": [], "availableAttributes": [], "externalGiftCardAvailable": false,
        "brickAndMortar": null,
        "checkout": {
            "shippingAddress": address, "separateBillingAddress": null,
            "hasSeparateBillingAddress": false, "deliveryGroups": [], "widgets": [],
            "paymentMethod": null, "shippingMethod": null, "checkoutScript": null,
            "totals": [row("ITEMS_SUBTOTAL", subtotal), row("DISCOUNT", -discount),
                       row("SHIPPING", 0.0), row("GRAND_TOTAL", grand)],
        },
    })
}

/// `addItem`: a new line, or more of an item already in the selection. The line's id.
pub(super) fn add_item(
    s: &mut Session,
    cat: &Catalog,
    item: &str,
    quantity: i64,
    comment: &str,
) -> Result<String, Json> {
    let Some((di, _)) = cat.sku(item) else {
        return Err(user_error(
            &format!("item `{item}` does not exist"),
            &["item"],
        ));
    };
    if !di.available {
        return Err(user_error(
            &format!("item `{item}` is not available"),
            &["item"],
        ));
    }
    if quantity < 1 {
        return Err(user_error("quantity must be at least 1", &["quantity"]));
    }
    if let Some(l) = s
        .lines
        .iter_mut()
        .find(|l| l.item == item && l.comment == comment)
    {
        l.quantity += quantity;
        return Ok(l.id.clone());
    }
    s.next_line += 1;
    let id = format!("{}-{}", &s.selection_id[..8], s.next_line);
    s.lines.push(Line {
        id: id.clone(),
        item: item.to_owned(),
        quantity,
        comment: comment.to_owned(),
    });
    Ok(id)
}

/// `updateLine`: a new quantity (0 removes the line) or comment.
pub(super) fn update_line(
    s: &mut Session,
    line_id: &str,
    quantity: Option<i64>,
    comment: Option<&str>,
) -> Result<(), Json> {
    let Some(i) = s.lines.iter().position(|l| l.id == line_id) else {
        return Err(user_error(
            &format!("line `{line_id}` is not in the selection"),
            &["lineId"],
        ));
    };
    match quantity {
        Some(q) if q < 0 => return Err(user_error("quantity cannot be negative", &["quantity"])),
        Some(0) => {
            s.lines.remove(i);
            return Ok(());
        }
        Some(q) => s.lines[i].quantity = q,
        None => {}
    }
    if let Some(c) = comment {
        s.lines[i].comment = c.to_owned();
    }
    Ok(())
}

/// `deleteLine`.
pub(super) fn delete_line(s: &mut Session, line_id: &str) -> Result<(), Json> {
    update_line(s, line_id, Some(0), None)
}

/// `addVoucher`: known codes only, once each.
pub(super) fn add_voucher(s: &mut Session, cat: &Catalog, code: &str) -> Result<(), Json> {
    let Some(v) = cat.voucher(code) else {
        return Err(user_error(
            &format!("voucher `{code}` does not exist"),
            &["code"],
        ));
    };
    if !s.vouchers.iter().any(|c| c == &v.code) {
        s.vouchers.push(v.code.clone());
    }
    Ok(())
}

/// `removeVoucher`.
pub(super) fn remove_voucher(s: &mut Session, code: &str) -> Result<(), Json> {
    let before = s.vouchers.len();
    s.vouchers.retain(|c| !c.eq_ignore_ascii_case(code));
    if s.vouchers.len() == before {
        return Err(user_error(
            &format!("voucher `{code}` is not applied"),
            &["code"],
        ));
    }
    Ok(())
}

/// `setCountryState`: the country, and with it the market and pricelist (repricing the cart).
pub(super) fn set_country(
    s: &mut Session,
    cat: &Catalog,
    code: &str,
    state: Option<&str>,
) -> Result<(), Json> {
    let Some(c) = cat.country(code) else {
        return Err(user_error(
            &format!("country `{code}` is not a shipping country"),
            &["countryCode"],
        ));
    };
    if let Some(st) = state
        && !c.states.iter().any(|x| x.code.eq_ignore_ascii_case(st))
    {
        return Err(user_error(
            &format!("`{st}` is not a state of {}", c.code),
            &["stateCode"],
        ));
    }
    s.country = c.code.clone();
    s.state = state.map(str::to_ascii_uppercase);
    s.market = c.market;
    s.pricelist = c.pricelist;
    Ok(())
}
