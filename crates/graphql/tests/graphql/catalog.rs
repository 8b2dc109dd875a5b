//! Lists, filters and generated values. "All lists return pagination information." and
//! "DisplayItem.filters reflect which filters are available and which have been applied."

use cartwright_graphql::Fixtures;
use serde_json::{Value as Json, json};

use super::{SCHEMA, Server, config, start, start_full, start_with};

async fn list(s: &Server, token: &str, args: &str) -> Json {
    let q = format!(
        "{{ displayItems({args}) {{ list {{ id brand {{ id }} }}
          pagination {{ currentPage lastPage total limit hasNextPage hasPreviousPage nextPage previousPage }}
          filters {{ key selectedValues anyAvailable values {{ __typename value active count filterCount totalCount
            ... on BrandFilterValue {{ name brand {{ id }} }} }} }} }} }}"
    );
    s.query(token, &q).await.ok()["displayItems"].clone()
}

#[tokio::test]
async fn a_list_returns_its_pages() {
    let s = start().await;
    let token = s.session().await;
    let all = list(&s, &token, "limit: 40").await;
    let total = all["pagination"]["total"].as_u64().expect("total");
    assert!(
        total > 20,
        "the default catalog has more than two pages of 20"
    );
    let page2 = list(&s, &token, "limit: 20, page: 2").await;
    let p = &page2["pagination"];
    assert_eq!(p["currentPage"], 2);
    assert_eq!(p["limit"], 20);
    assert_eq!(p["lastPage"], total.div_ceil(20));
    assert_eq!(p["hasPreviousPage"], true);
    assert_eq!(p["previousPage"], 1);
    assert_eq!(
        page2["list"][0]["id"], all["list"][20]["id"],
        "page 2 starts after page 1"
    );
    // "The page can be different from the requested page if an invalid page was requested."
    let far = list(&s, &token, "limit: 20, page: 999").await;
    assert_eq!(
        far["pagination"]["currentPage"],
        far["pagination"]["lastPage"]
    );
    assert_eq!(far["pagination"]["hasNextPage"], false);
    let brands = s
        .query(&token, "{ brands { list { name } pagination { total } } }")
        .await
        .ok();
    assert!(brands["brands"]["pagination"]["total"].as_u64() > Some(0));
}

#[tokio::test]
async fn filters_show_what_is_available_and_what_is_applied() {
    let s = start().await;
    let token = s.session().await;
    let all = list(&s, &token, "limit: 40").await;
    let brand = all["filters"]
        .as_array()
        .expect("filters")
        .iter()
        .find(|f| f["key"] == "brand")
        .expect("brand filter")
        .clone();
    assert_eq!(brand["selectedValues"], json!([]));
    let first = &brand["values"][0];
    assert_eq!(first["__typename"], "BrandFilterValue");
    assert_eq!(first["active"], false);
    assert!(first["name"].is_string());
    let chosen = first["value"].as_str().expect("a value").to_owned();
    let matches = first["count"].as_u64().expect("count");

    let args =
        format!("limit: 40, where: {{filters: [{{key: \"brand\", values: [\"{chosen}\"]}}]}}");
    let filtered = list(&s, &token, &args).await;
    assert_eq!(filtered["pagination"]["total"].as_u64(), Some(matches));
    assert!(
        filtered["list"]
            .as_array()
            .expect("list")
            .iter()
            .all(|i| i["brand"]["id"].as_i64().map(|n| n.to_string()) == Some(chosen.clone()))
    );
    let brand = filtered["filters"]
        .as_array()
        .expect("filters")
        .iter()
        .find(|f| f["key"] == "brand")
        .expect("brand")
        .clone();
    assert_eq!(brand["selectedValues"], json!([chosen]));
    for v in brand["values"].as_array().expect("values") {
        assert_eq!(v["active"], v["value"] == chosen.as_str());
        // Other brands still show how many they would match: their filter ignores the brand.
        assert_eq!(v["filterCount"], v["totalCount"]);
        if v["value"] != chosen.as_str() {
            assert_eq!(v["count"], 0);
        }
    }
    let keys = "{ displayItems { filters(keys: [\"size\"]) { key } } }";
    let only = s.query(&token, keys).await.ok();
    assert_eq!(only["displayItems"]["filters"], json!([{"key": "size"}]));
}

/// A query mixing catalog values and fields generated from their types.
const GENERATED: &str = "{ displayItems(limit: 3) { list { id name uri brand { name metaTitle }
  media { id altText source { url mediaSize { name maxWidth } } } sizeChart { name horizontalLabels } } } }";

#[tokio::test]
async fn the_same_seed_gives_the_same_values() {
    let a = start().await;
    let b = start().await;
    let (ta, tb) = (a.session().await, b.session().await);
    let first = a.query(&ta, GENERATED).await.ok();
    assert_eq!(first, b.query(&tb, GENERATED).await.ok());
    assert_eq!(
        first,
        a.query(&ta, GENERATED).await.ok(),
        "stable across requests"
    );
    let other = start_with(
        SCHEMA,
        super::Config {
            seed: 8,
            ..config()
        },
    )
    .await;
    let to = other.session().await;
    assert_ne!(first, other.query(&to, GENERATED).await.ok());
}

const FIXTURES: &str = r#"
displayItems:
  - { id: 7, name: Rain Jacket, uri: rain-jacket, brand: 1, sizes: [S, M], price: 100,
      prices: { "20": 999 }, translations: { sv: Regnjacka } }
types:
  Brand: { metaTitle: Northwind outerwear }
"#;

#[tokio::test]
async fn fixtures_give_the_catalog_and_any_fields_value() {
    let s = start_full(SCHEMA, Some(FIXTURES), config()).await;
    let token = s.session().await;
    let q = "{ displayItems { list { id name price { value } brand { name metaTitle } } pagination { total } } }";
    let data = s.query(&token, q).await.ok();
    assert_eq!(data["displayItems"]["pagination"]["total"], 1);
    let item = &data["displayItems"]["list"][0];
    assert_eq!(item["name"], "Rain Jacket");
    assert_eq!(item["price"]["value"], 100.0);
    assert_eq!(item["brand"]["metaTitle"], "Northwind outerwear");
    s.query(
        &token,
        "mutation { setCountryState(countryCode: \"SE\") { userErrors { message } } }",
    )
    .await
    .ok();
    s.query(
        &token,
        "mutation { setLanguage(code: \"sv\") { userErrors { message } } }",
    )
    .await
    .ok();
    let data = s.query(&token, q).await.ok();
    assert_eq!(
        data["displayItems"]["list"][0]["price"]["value"], 999.0,
        "the exact SEK price"
    );
    assert_eq!(data["displayItems"]["list"][0]["name"], "Regnjacka");
}

#[test]
fn a_broken_fixture_file_says_where() {
    let err = Fixtures::from_str("shop.fixtures.yaml", "markets:\n  - { id: one }\n")
        .expect_err("refused");
    assert!(err.to_string().starts_with("shop.fixtures.yaml: "), "{err}");
}
