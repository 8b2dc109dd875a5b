//! `displayItems`: search, filters, sort and pages. "All lists return pagination information"
//! and "DisplayItem.filters reflect which filters are available and which have been
//! applied": each filter value says whether it is applied (`active`) and how many items it
//! matches now (`count`), ignoring the other values of its own filter (`filterCount`), and in
//! total (`totalCount`).

use async_graphql::Value;
use async_graphql::dynamic::ObjectAccessor;
use serde_json::{Value as Json, json};

use super::catalog::Catalog;
use super::fixtures::{DisplayItem, Named};
use super::render::{self, View};

/// The filter keys, in the order they are listed, and the `FilterValue` type of each.
const KEYS: &[(&str, &str)] = &[
    ("brand", "BrandFilterValue"),
    ("collection", "CollectionFilterValue"),
    ("category", "CategoryFilterValue"),
    ("size", "SizeNameFilterValue"),
];

/// The values a display item has for a filter key.
fn values(item: &DisplayItem, key: &str) -> Vec<String> {
    match key {
        "brand" => item.brand.map(|b| b.to_string()).into_iter().collect(),
        "collection" => item.collection.map(|c| c.to_string()).into_iter().collect(),
        "category" => item.category.map(|c| c.to_string()).into_iter().collect(),
        "size" => item.sizes.clone(),
        _ => Vec::new(),
    }
}

/// The filters a request applies: key → selected values.
type Applied = Vec<(String, Vec<String>)>;

fn passes(item: &DisplayItem, applied: &Applied, except: Option<&str>) -> bool {
    applied
        .iter()
        .filter(|(k, _)| Some(k.as_str()) != except)
        .all(|(k, sel)| sel.is_empty() || values(item, k).iter().any(|v| sel.contains(v)))
}

/// Page `page` of `total` entries, `limit` per page, as `PaginationInfo`; with the range.
pub(super) fn pagination(total: usize, page: i64, limit: i64) -> (Json, std::ops::Range<usize>) {
    let limit = limit.max(1);
    let last = ((total as i64 + limit - 1) / limit).max(1);
    // "The page can be different from the requested page if an invalid page was requested."
    let page = page.clamp(1, last);
    let start = ((page - 1) * limit) as usize;
    let end = (start + limit as usize).min(total);
    let info = json!({
        "currentPage": page, "lastPage": last, "limit": limit, "total": total,
        "hasNextPage": page < last, "hasPreviousPage": page > 1,
        "nextPage": (page < last).then_some(page + 1), "previousPage": (page > 1).then_some(page - 1),
    });
    (info, start.min(end)..end)
}

/// The `DisplayItemList` for `args`.
pub(super) fn display_items(
    cat: &Catalog,
    view: View<'_>,
    args: &ObjectAccessor<'_>,
    want: render::Want<'_>,
) -> Json {
    let int =
        |name: &str, default: i64| args.get(name).and_then(|v| v.i64().ok()).unwrap_or(default);
    let filter = args.get("where").and_then(|w| w.object().ok());
    let text = |name: &str| {
        filter
            .as_ref()
            .and_then(|f| f.get(name))
            .and_then(|v| v.string().ok().map(str::to_lowercase))
    };
    let ids: Option<Vec<i64>> = filter
        .as_ref()
        .and_then(|f| f.get("id"))
        .and_then(|v| v.list().ok())
        .map(|l| l.iter().filter_map(|v| v.i64().ok()).collect());
    let only_available = filter
        .as_ref()
        .and_then(|f| f.get("onlyAvailable"))
        .and_then(|v| v.boolean().ok())
        .unwrap_or(false);
    let search = text("search");
    let base: Vec<&DisplayItem> = cat
        .items
        .iter()
        .filter(|i| ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
        .filter(|i| !only_available || i.available)
        .filter(|i| {
            search
                .as_ref()
                .is_none_or(|s| i.name.to_lowercase().contains(s))
        })
        .collect();
    let applied = applied(filter.as_ref());
    let mut matching: Vec<&DisplayItem> = base
        .iter()
        .copied()
        .filter(|i| passes(i, &applied, None))
        .collect();
    sort(&mut matching, args, view);
    let (info, range) = pagination(matching.len(), int("page", 1), int("limit", 20));
    let list: Vec<Json> = matching[range]
        .iter()
        .map(|i| render::display_item(i, view, want))
        .collect();
    json!({
        "list": list,
        "pagination": info,
        "filters": filters(cat, &base, &matching, &applied),
        "userErrors": [],
    })
}

fn applied(filter: Option<&ObjectAccessor<'_>>) -> Applied {
    let Some(list) = filter
        .and_then(|f| f.get("filters"))
        .and_then(|v| v.list().ok())
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|f| {
            let f = f.object().ok()?;
            let key = f.get("key")?.string().ok()?.to_owned();
            let vals = f.get("values")?.list().ok()?;
            Some((
                key,
                vals.iter()
                    .filter_map(|v| v.string().ok().map(str::to_owned))
                    .collect(),
            ))
        })
        .collect()
}

fn sort(items: &mut [&DisplayItem], args: &ObjectAccessor<'_>, view: View<'_>) {
    let Some(Value::Object(spec)) = args
        .get("sort")
        .and_then(|s| s.list().ok())
        .and_then(|l| l.as_values_slice().first())
    else {
        return;
    };
    let name = |k: &str| match spec.get(k) {
        Some(Value::Enum(e)) => e.as_str(),
        _ => "",
    };
    let (key, desc) = (name("key"), name("order") == "DESC");
    let price = |i: &DisplayItem| view.pricelist.map_or(i.price, |pl| render::price(i, pl));
    match key {
        "PRICE" => items.sort_by(|a, b| price(a).total_cmp(&price(b))),
        "URI" => items.sort_by(|a, b| a.uri.cmp(&b.uri)),
        _ => items.sort_by_key(|i| i.id),
    }
    if desc {
        items.reverse();
    }
}

fn filters(
    cat: &Catalog,
    base: &[&DisplayItem],
    matching: &[&DisplayItem],
    applied: &Applied,
) -> Json {
    let options: Vec<Json> = KEYS
        .iter()
        .map(|(key, typename)| {
            let selected: Vec<String> = applied
                .iter()
                .filter(|(k, _)| k == key)
                .flat_map(|(_, v)| v.clone())
                .collect();
            let mut all: Vec<String> = base.iter().flat_map(|i| values(i, key)).collect();
            all.sort_by(|a, b| {
                a.parse::<i64>()
                    .ok()
                    .cmp(&b.parse::<i64>().ok())
                    .then(a.cmp(b))
            });
            all.dedup();
            let has = |i: &&DisplayItem, v: &String| values(i, key).contains(v);
            let vals: Vec<Json> = all
                .iter()
                .map(|v| {
                    let count = matching.iter().filter(|i| has(i, v)).count();
                    let filter_count = base
                        .iter()
                        .filter(|i| passes(i, applied, Some(key)) && has(i, v))
                        .count();
                    let total = base.iter().filter(|i| has(i, v)).count();
                    let mut out = json!({
                        "__typename": typename, "value": v, "active": selected.contains(v),
                        "count": count, "filterCount": filter_count, "totalCount": total,
                        "name": label(cat, key, v), "sizeLocalization": [],
                    });
                    if let Some(entity) = entity(cat, key, v) {
                        out[*key] = entity;
                    }
                    out
                })
                .collect();
            let any = vals
                .iter()
                .any(|v| v["filterCount"].as_u64().unwrap_or(0) > 0);
            json!({"key": key, "selectedValues": selected, "anyAvailable": any, "values": vals})
        })
        .collect();
    Json::Array(options)
}

fn named_list<'c>(cat: &'c Catalog, key: &str) -> &'c [Named] {
    match key {
        "brand" => &cat.brands,
        "collection" => &cat.collections,
        "category" => &cat.categories,
        _ => &[],
    }
}

fn label(cat: &Catalog, key: &str, v: &str) -> String {
    named_list(cat, key)
        .iter()
        .find(|n| n.id.to_string() == v)
        .map_or_else(|| v.to_owned(), |n| n.name.clone())
}

fn entity(cat: &Catalog, key: &str, v: &str) -> Option<Json> {
    let n = named_list(cat, key)
        .iter()
        .find(|n| n.id.to_string() == v)?;
    Some(if key == "category" {
        render::category(n)
    } else {
        render::named(n)
    })
}
