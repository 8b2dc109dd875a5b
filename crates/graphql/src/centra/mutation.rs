//! Root mutations that change the session or its selection. "All the mutations affecting the
//! selection will always return the selection and session in the response": each answer
//! carries the selection (and the session where the payload type has the field), rendered
//! after the change, with `userErrors` for input the shop refuses.

use async_graphql::Error;
use async_graphql::dynamic::{ObjectAccessor, ResolverContext};
use serde_json::{Value as Json, json};

use super::Centra;
use super::catalog::Catalog;
use super::payment;
use super::selection::{self, user_error};
use super::store::Session;
use crate::behaviour::{Index, Kind, Plan};

/// What a mutation did: `Ok` with the line it touched, or a user error.
type Outcome = Result<Option<String>, Json>;

/// The payload of a mutation the behaviour knows; `None` for the others (generated).
pub(super) fn answer(
    c: &Centra,
    index: &Index,
    plan: &Plan,
    ctx: &ResolverContext<'_>,
    token: &str,
) -> Result<Option<Json>, Error> {
    // The purchase answers payloads of its own (an action, an order).
    let json_arg = |n: &str| {
        ctx.args
            .get(n)
            .and_then(|v| v.as_value().clone().into_json().ok())
            .unwrap_or(Json::Null)
    };
    match plan.name.as_str() {
        "paymentInstructions" => {
            let input = json_arg("input");
            return c.with(token, |s, cat| Some(payment::instructions(s, cat, &input)));
        }
        "paymentResult" => {
            let fields = json_arg("paymentMethodFields");
            return c.with(token, |s, cat| Some(payment::result(s, cat, &fields)));
        }
        _ => {}
    }
    let Some(outcome) = c.with(token, |s, cat| apply(&plan.name, &ctx.args, s, cat))? else {
        return Ok(None);
    };
    let mut payload = c.with(token, |s, cat| {
        let line = match &outcome {
            Ok(Some(id)) => s
                .lines
                .iter()
                .find(|l| &l.id == id)
                .map(|l| selection::line(l, s, cat)),
            _ => None,
        };
        json!({
            "selection": selection::selection(s, cat),
            "session": selection::session(s, cat),
            "loggedIn": s.customer.as_deref().and_then(|e| selection::customer(cat, e)),
            "line": line,
            "userErrors": outcome.as_ref().err().map_or_else(Vec::new, |e| vec![e.clone()]),
        })
    })?;
    if let Some(t) = index.get(&plan.named).filter(|t| t.kind == Kind::Interface) {
        // An interface payload (`SelectionMutationPayload`) answers as its generic object.
        let generic = t
            .possible
            .iter()
            .find(|p| p.starts_with("Generic"))
            .or(t.possible.first());
        payload["__typename"] = json!(generic);
    }
    Ok(Some(payload))
}

fn apply(name: &str, a: &ObjectAccessor<'_>, s: &mut Session, cat: &Catalog) -> Option<Outcome> {
    let text = |n: &str| {
        a.get(n)
            .and_then(|v| v.string().ok())
            .unwrap_or("")
            .to_owned()
    };
    let opt_text = |n: &str| a.get(n).and_then(|v| v.string().ok()).map(str::to_owned);
    let int = |n: &str| a.get(n).and_then(|v| v.i64().ok());
    let done = |r: Result<(), Json>| r.map(|()| None);
    Some(match name {
        "addItem" => selection::add_item(
            s,
            cat,
            &text("item"),
            int("quantity").unwrap_or(1),
            &text("comment"),
        )
        .map(Some),
        "updateLine" => {
            let id = text("lineId");
            selection::update_line(s, &id, int("quantity"), opt_text("comment").as_deref())
                .map(|()| Some(id))
        }
        "deleteLine" => done(selection::delete_line(s, &text("lineId"))),
        "addVoucher" => done(selection::add_voucher(s, cat, &text("code"))),
        "removeVoucher" => done(selection::remove_voucher(s, &text("code"))),
        "setCountryState" => done(selection::set_country(
            s,
            cat,
            &text("countryCode"),
            opt_text("stateCode").as_deref(),
        )),
        "setLanguage" => done(set_language(s, cat, &text("code"))),
        "setMarket" => done(match cat.market(int("id").unwrap_or(0)) {
            Some(m) => {
                s.market = m.id;
                Ok(())
            }
            None => Err(user_error("no such market", &["id"])),
        }),
        "setPricelist" => done(match cat.pricelist(int("id").unwrap_or(0)) {
            Some(p) => {
                s.pricelist = p.id;
                Ok(())
            }
            None => Err(user_error("no such pricelist", &["id"])),
        }),
        "login" => done(login(s, cat, &text("email"), &text("password"))),
        "logout" => {
            s.customer = None;
            Ok(None)
        }
        "setAddress" => done(set_address(s, cat, a)),
        _ => return None,
    })
}

fn set_language(s: &mut Session, cat: &Catalog, code: &str) -> Result<(), Json> {
    let lang = cat
        .language(code)
        .ok_or_else(|| user_error(&format!("language `{code}` does not exist"), &["code"]))?;
    s.language = lang.code.clone();
    Ok(())
}

/// `login`: "Login as the customer in the current session." Known email and password only.
fn login(s: &mut Session, cat: &Catalog, email: &str, password: &str) -> Result<(), Json> {
    match cat
        .customers
        .iter()
        .find(|c| c.email.eq_ignore_ascii_case(email))
    {
        Some(c) if super::secret::same(&c.password, password) => {
            s.customer = Some(c.email.clone());
            Ok(())
        }
        _ => Err(user_error("incorrect email or password", &["login"])),
    }
}

/// `setAddress`: the shipping address; a country in it moves the session there.
fn set_address(s: &mut Session, cat: &Catalog, a: &ObjectAccessor<'_>) -> Result<(), Json> {
    let Some(Ok(mut address)) = a
        .get("shippingAddress")
        .map(|v| v.as_value().clone().into_json())
    else {
        return Err(user_error(
            "shippingAddress is required",
            &["shippingAddress"],
        ));
    };
    if let Some(code) = address
        .get("country")
        .and_then(Json::as_str)
        .map(str::to_owned)
    {
        let state = address
            .get("state")
            .and_then(Json::as_str)
            .map(str::to_owned);
        selection::set_country(s, cat, &code, state.as_deref())?;
    }
    if let Some(obj) = address.as_object_mut() {
        obj.remove("country");
        obj.remove("state");
    }
    s.address = Some(address);
    Ok(())
}
