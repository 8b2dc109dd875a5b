//! Catalog entities as the schema's JSON shapes, priced and translated for one view (a
//! session's market, pricelist and language, or the ones a no-session request names).
//! Fields left out here are generated from the schema.

use serde_json::{Value as Json, json};

use super::catalog::Catalog;
use super::fixtures::{Country, DisplayItem, Language, Market, Named, Pricelist};

/// Whose eyes a value is rendered for.
#[derive(Clone, Copy)]
pub(super) struct View<'a> {
    /// The catalog.
    pub cat: &'a Catalog,
    /// Prices are in this pricelist; none means prices are `null`.
    pub pricelist: Option<&'a Pricelist>,
    /// The market.
    pub market: Option<&'a Market>,
    /// Language code for names.
    pub language: &'a str,
}

/// Rounds to cents, as prices are shown (and never shows `-0.00`: an empty sum is -0.0).
pub(super) fn cents(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

/// A `MonetaryValue` in a pricelist's currency.
pub(super) fn money(value: f64, pl: &Pricelist) -> Json {
    let value = cents(value);
    json!({
        "value": value,
        "formattedValue": format!("{}{value:.2}{}", pl.prefix, pl.suffix),
        "currency": {
            "id": pl.id, "code": pl.currency, "name": pl.currency, "isoNumber": pl.currency,
            "prefix": pl.prefix, "suffix": pl.suffix, "decimalDigits": 2, "decimalPoint": ".",
            "thousandsSeparator": ",", "denominator": 100, "currentBaseRate": pl.rate,
        },
    })
}

/// A display item's unit price in a pricelist.
pub(super) fn price(item: &DisplayItem, pl: &Pricelist) -> f64 {
    item.prices
        .get(&pl.id.to_string())
        .copied()
        .unwrap_or_else(|| cents(item.price * pl.rate))
}

/// Which of a display item's fields a query selects (rendering the others would be wasted).
pub(super) type Want<'w> = &'w dyn Fn(&str) -> bool;

/// Every field.
pub(super) fn all(_: &str) -> bool {
    true
}

/// A display item, with the fields `want` asks for.
pub(super) fn display_item(item: &DisplayItem, v: View<'_>, want: Want<'_>) -> Json {
    let mut out = serde_json::Map::new();
    let mut put = |key: &str, value: &dyn Fn() -> Json| {
        if want(key) {
            out.insert(key.to_owned(), value());
        }
    };
    let price = || {
        v.pricelist
            .map(|pl| money(price(item, pl), pl))
            .unwrap_or(Json::Null)
    };
    let name = item.translations.get(v.language).unwrap_or(&item.name);
    let number = format!("P{:05}", item.id);
    let category = || find(&v.cat.categories, item.category).map_or(Json::Null, category);
    put("id", &|| json!(item.id));
    put("name", &|| json!(name));
    put("uri", &|| json!(item.uri));
    put("canonicalUri", &|| json!(item.uri));
    put("productNumber", &|| json!(number));
    put("available", &|| json!(item.available));
    put("hasStock", &|| json!(item.available));
    for (k, b) in [
        ("isPrimaryVariant", true),
        ("showAsNew", false),
        ("showAsSale", false),
        ("preview", false),
    ] {
        put(k, &|| json!(b));
    }
    put("minimumOrderQuantity", &|| json!(1));
    put("orderQuantityDenominator", &|| json!(1));
    put("price", &price);
    put("originalPrice", &price);
    put("lowestPrice", &|| match price() {
        Json::Null => Json::Null,
        p => {
            json!({"__typename": "LowestPriceBase", "price": p, "originalPrice": p, "periodDays": 30})
        }
    });
    put("brand", &|| {
        find(&v.cat.brands, item.brand).map_or(Json::Null, named)
    });
    put("collection", &|| {
        find(&v.cat.collections, item.collection).map_or(Json::Null, named)
    });
    put("category", &category);
    put("canonicalCategory", &category);
    put("categories", &|| {
        Json::Array(
            Some(category())
                .filter(|c| !c.is_null())
                .into_iter()
                .collect(),
        )
    });
    put("items", &|| items(item, &number));
    put("language", &|| {
        v.cat.language(v.language).map_or(Json::Null, language)
    });
    put("languages", &|| {
        v.cat.languages.iter().map(language).collect()
    });
    put("market", &|| v.market.map_or(Json::Null, market));
    put("pricelist", &|| v.pricelist.map_or(Json::Null, pricelist));
    put("markets", &|| v.cat.markets.iter().map(market).collect());
    put("pricelists", &|| {
        v.cat.pricelists.iter().map(pricelist).collect()
    });
    put("priceByPricelist", &|| by_pricelist(item, v.cat));
    put(
        "productVariant",
        &|| json!({"id": item.id, "name": name, "number": number}),
    );
    put("translations", &|| json!([]));
    put("subscriptionPlans", &|| json!([]));
    Json::Object(out)
}

/// A display item's sizes as `Item`s (`ID-N` is the N-th size).
fn items(item: &DisplayItem, number: &str) -> Json {
    item.sizes
        .iter()
        .enumerate()
        .map(|(n, size)| {
            json!({
                "id": format!("{}-{}", item.id, n + 1), "name": size,
                "sku": format!("{number}{}", n + 1), "GTIN": format!("73{:08}{:02}", item.id, n + 1),
                "productSizeId": n + 1, "preorder": false,
                "horizontalLabelIndex": n, "verticalLabelIndex": 0,
                "stock": {"available": item.available, "quantity": if item.available { 10 } else { 0 }},
            })
        })
        .collect()
}

fn by_pricelist(item: &DisplayItem, cat: &Catalog) -> Json {
    let markets: Vec<i64> = cat.markets.iter().map(|m| m.id).collect();
    cat.pricelists
        .iter()
        .map(|pl| {
            let p = money(price(item, pl), pl);
            json!({"pricelist": pricelist(pl), "priceByMarket": [
                {"markets": markets, "price": p, "originalPrice": p, "hasDiscount": false}
            ]})
        })
        .collect()
}

fn find(list: &[Named], id: Option<i64>) -> Option<&Named> {
    list.iter().find(|n| Some(n.id) == id)
}

/// A brand or collection.
pub(super) fn named(n: &Named) -> Json {
    json!({"id": n.id, "name": n.name, "uri": super::slug(&n.name)})
}

/// A category (its `name` is a path of names in the schema).
pub(super) fn category(n: &Named) -> Json {
    json!({"id": n.id, "name": [n.name], "uri": super::slug(&n.name), "sortOrder": n.id})
}

/// A market.
pub(super) fn market(m: &Market) -> Json {
    json!({"id": m.id, "name": m.name})
}

/// A pricelist.
pub(super) fn pricelist(p: &Pricelist) -> Json {
    json!({"id": p.id, "name": p.name, "comment": null, "currency": money(0.0, p)["currency"]})
}

/// A language.
pub(super) fn language(l: &Language) -> Json {
    json!({"code": l.code, "name": l.name, "default": l.default, "languageCode": l.code,
           "languageName": l.name, "countryCode": null})
}

/// A country.
pub(super) fn country(c: &Country, cat: &Catalog) -> Json {
    let states: Vec<Json> = c
        .states
        .iter()
        .map(|s| json!({"code": s.code, "name": s.name}))
        .collect();
    json!({
        "code": c.code, "name": c.name, "isEU": c.eu, "shipTo": true,
        "states": if states.is_empty() { Json::Null } else { Json::Array(states) },
        "defaultLanguage": c.language.as_deref().and_then(|l| cat.language(l)).map(language),
        "translations": [],
    })
}
