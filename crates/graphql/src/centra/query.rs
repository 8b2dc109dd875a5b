//! Root queries answered from the catalog and the session. "When querying Centra in this
//! mode [SESSION], all data returns will be based on the market and pricelist of the session.
//! This includes translations to the session language, if they exist"; a no-session request
//! names its own market, pricelist and language in the arguments.

use async_graphql::SelectionField;
use async_graphql::dynamic::{ObjectAccessor, ResolverContext};
use serde_json::{Value as Json, json};

use super::catalog::Catalog;
use super::render::{self, View};
use super::{Centra, listing, selection};
use crate::behaviour::{Access, Plan};

/// Where a request looks from: market, pricelist and language.
struct Here {
    market: Option<i64>,
    pricelist: Option<i64>,
    language: String,
}

fn ints(args: &ObjectAccessor<'_>, name: &str) -> Vec<i64> {
    args.get(name)
        .and_then(|v| v.list().ok())
        .map(|l| l.iter().filter_map(|v| v.i64().ok()).collect())
        .unwrap_or_default()
}

fn here(c: &Centra, args: &ObjectAccessor<'_>, access: &Access) -> Here {
    if let Access::Session { token, .. } = access
        && let Some(h) = c.store.with(token, |s| Here {
            market: Some(s.market),
            pricelist: Some(s.pricelist),
            language: s.language.clone(),
        })
    {
        return Here {
            language: first_language(args).unwrap_or(h.language),
            ..h
        };
    }
    // "Price with current market and pricelist, either from session or if _one_ market and
    // pricelist is provided in no session."
    let one = |v: Vec<i64>| (v.len() == 1).then(|| v[0]);
    Here {
        market: one(ints(args, "market")),
        pricelist: one(ints(args, "pricelist")),
        language: first_language(args).unwrap_or_else(|| c.catalog.default_language().to_owned()),
    }
}

fn first_language(args: &ObjectAccessor<'_>) -> Option<String> {
    let list = args.get("languageCode")?.list().ok()?;
    list.get(0)?.string().ok().map(str::to_owned)
}

fn view<'a>(cat: &'a Catalog, h: &'a Here) -> View<'a> {
    View {
        cat,
        pricelist: h.pricelist.and_then(|p| cat.pricelist(p)),
        market: h.market.and_then(|m| cat.market(m)),
        language: &h.language,
    }
}

/// The answer to a root query the behaviour knows.
pub(super) fn answer(
    c: &Centra,
    plan: &Plan,
    ctx: &ResolverContext<'_>,
    access: &Access,
) -> Option<Json> {
    let cat = &c.catalog;
    let args = &ctx.args;
    let h = here(c, args, access);
    let v = view(cat, &h);
    let token = match access {
        Access::Session { token, .. } => Some(token.as_str()),
        _ => None,
    };
    let by_id = |ids: Vec<i64>, id: i64| ids.is_empty() || ids.contains(&id);
    Some(match plan.name.as_str() {
        "displayItems" => {
            let names = selected(ctx.field(), "list");
            listing::display_items(cat, v, args, &|k| names.contains(&k))
        }
        "displayItem" => {
            let id = args.get("id").and_then(|i| i.i64().ok())?;
            let names: Vec<&str> = ctx.field().selection_set().map(|f| f.name()).collect();
            let want = |k: &str| names.contains(&k);
            cat.item(id)
                .map_or(Json::Null, |i| render::display_item(i, v, &want))
        }
        "lookupUri" => lookup(cat, v, args),
        "selection" => c.store.with(token?, |s| selection::selection(s, cat))?,
        "session" => c.store.with(token?, |s| selection::session(s, cat))?,
        "order" => c
            .store
            .with(token?, |s| s.order.clone())?
            .unwrap_or(Json::Null),
        "customer" => c
            .store
            .with(token?, |s| s.customer.clone())?
            .and_then(|e| selection::customer(cat, &e))
            .unwrap_or(Json::Null),
        "markets" => {
            let ids = ints(args, "id");
            cat.markets
                .iter()
                .filter(|m| by_id(ids.clone(), m.id))
                .map(render::market)
                .collect()
        }
        "pricelists" => {
            let ids = ints(args, "id");
            cat.pricelists
                .iter()
                .filter(|p| by_id(ids.clone(), p.id))
                .map(render::pricelist)
                .collect()
        }
        "languages" => cat.languages.iter().map(render::language).collect(),
        "countries" => cat
            .countries
            .iter()
            .map(|x| render::country(x, cat))
            .collect(),
        "brands" => paged(args, cat.brands.iter().map(render::named).collect()),
        "collections" => paged(args, cat.collections.iter().map(render::named).collect()),
        "categories" => paged(args, cat.categories.iter().map(render::category).collect()),
        _ => return None,
    })
}

/// The names of the fields selected below `child` of `field` (fragments included).
fn selected<'a>(field: SelectionField<'a>, child: &str) -> Vec<&'a str> {
    field
        .selection_set()
        .filter(|f| f.name() == child)
        .flat_map(|f| f.selection_set().map(|g| g.name()).collect::<Vec<_>>())
        .collect()
}

/// A list with its `pagination`, as every list answer has.
fn paged(args: &ObjectAccessor<'_>, all: Vec<Json>) -> Json {
    let int = |n: &str, d: i64| args.get(n).and_then(|v| v.i64().ok()).unwrap_or(d);
    let (info, range) = listing::pagination(all.len(), int("page", 1), int("limit", 20));
    json!({"list": &all[range], "pagination": info, "userErrors": []})
}

/// `lookupUri`: a display item or category by its URI, else "not found".
fn lookup(cat: &Catalog, v: View<'_>, args: &ObjectAccessor<'_>) -> Json {
    let uri = args
        .get("uri")
        .and_then(|u| u.string().ok())
        .unwrap_or("")
        .trim_matches('/');
    let wanted = |t: &str| {
        args.get("for")
            .and_then(|f| f.list().ok())
            .is_none_or(|l| l.iter().any(|x| x.enum_name().ok() == Some(t)))
    };
    if wanted("DISPLAY_ITEM")
        && let Some(item) = cat.items.iter().find(|i| i.uri == uri)
    {
        return json!({"__typename": "DisplayItemUriLookupPayload", "found": "DISPLAY_ITEM",
                      "displayItem": render::display_item(item, v, &render::all), "userErrors": []});
    }
    if wanted("CATEGORY")
        && let Some(cat_) = cat.categories.iter().find(|c| super::slug(&c.name) == uri)
    {
        let items: Vec<Json> = cat
            .items
            .iter()
            .filter(|i| i.category == Some(cat_.id))
            .map(|i| render::display_item(i, v, &render::all))
            .collect();
        let (info, range) = listing::pagination(items.len(), 1, 20);
        return json!({"__typename": "CategoryUriLookupPayload", "found": "CATEGORY",
                      "category": render::category(cat_), "userErrors": [],
                      "displayItemList": {"displayItems": &items[range], "pagination": info, "filters": []}});
    }
    json!({"__typename": "NotFoundUriLookupPayload", "found": "NOT_FOUND", "userErrors": []})
}
