//! Serving the schema: introspection, validation errors with locations, GET and POST, admin.

use serde_json::json;

use super::{SESSION, start};

#[tokio::test]
async fn introspection_names_the_query_type() {
    let s = start().await;
    // Introspection needs no token, so code generators and GraphiQL work out of the box.
    let r = s
        .post(
            None,
            &[],
            "{ __schema { queryType { name } mutationType { name } } }",
            json!({}),
        )
        .await;
    let data = r.ok();
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
    assert_eq!(data["__schema"]["mutationType"]["name"], "Mutation");
}

/// The query GraphiQL sends on start (graphql-js `getIntrospectionQuery`).
const GRAPHIQL_INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}"#;

#[tokio::test]
async fn the_full_introspection_query_describes_the_schema_as_written() {
    let s = start().await;
    let data = s
        .post(None, &[], GRAPHIQL_INTROSPECTION, json!({}))
        .await
        .ok();
    let types = data["__schema"]["types"].as_array().expect("types");
    let by_name = |n: &str| {
        types
            .iter()
            .find(|t| t["name"] == n)
            .unwrap_or_else(|| panic!("type {n}"))
    };
    let query = by_name("Query");
    let display_items = query["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["name"] == "displayItems")
        .expect("displayItems");
    let limit = display_items["args"]
        .as_array()
        .expect("args")
        .iter()
        .find(|a| a["name"] == "limit")
        .expect("limit");
    assert_eq!(limit["defaultValue"], "20");
    assert!(
        display_items["description"]
            .as_str()
            .unwrap_or("")
            .contains("paginated list of display items")
    );
    assert_eq!(
        by_name("VOUCHER_MODE")["enumValues"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let line = by_name("Line");
    assert_eq!(line["kind"], "INTERFACE");
    assert!(
        line["possibleTypes"]
            .as_array()
            .expect("possible")
            .iter()
            .any(|t| t["name"] == "ProductLine")
    );
}

#[tokio::test]
async fn a_validation_error_has_locations() {
    let s = start().await;
    let r = s
        .query(SESSION, "{\n  selection {\n    nosuchfield\n  }\n}")
        .await;
    assert_eq!(r.status, 200);
    assert!(r.error().contains("nosuchfield"), "{:#}", r.body);
    assert_eq!(
        r.body["errors"][0]["locations"],
        json!([{"line": 3, "column": 5}])
    );
}

#[tokio::test]
async fn a_wrong_variable_type_is_refused_with_its_location() {
    let s = start().await;
    let q = "query One($id: Int!) { displayItem(id: $id) { id } }";
    let r = s.post(Some(SESSION), &[], q, json!({"id": "seven"})).await;
    assert!(r.error().contains("id"), "{:#}", r.body);
    assert_eq!(r.body["errors"][0]["locations"][0]["line"], 1);
    assert!(r.body["data"].is_null());
}

#[tokio::test]
async fn an_unparsable_query_is_an_error_with_its_location() {
    let s = start().await;
    let r = s.query(SESSION, "{ session { country { code } }").await;
    assert!(!r.error().is_empty(), "{:#}", r.body);
    assert_eq!(r.body["errors"][0]["locations"][0]["line"], 1);
}

#[tokio::test]
async fn get_runs_queries_and_refuses_mutations() {
    let s = start().await;
    let url = format!("{}/graphql", s.base);
    let q = |pairs: &[(&str, &str)]| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    let where_ = q(&[
        ("query", "query Where { session { country { code } } }"),
        ("operationName", "Where"),
    ]);
    let res = s
        .client
        .get(format!("{url}?{where_}"))
        .bearer_auth(SESSION)
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.expect("json");
    assert!(
        body["data"]["session"]["country"]["code"].is_string(),
        "{body:#}"
    );
    let logout = q(&[(
        "query",
        "mutation { logout { session { country { code } } } }",
    )]);
    let res = s
        .client
        .get(format!("{url}?{logout}"))
        .bearer_auth(SESSION)
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 405);
}

#[tokio::test]
async fn a_browser_gets_graphiql() {
    let s = start().await;
    let res = s
        .client
        .get(format!("{}/graphql", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("text").contains("graphiql"));
}

#[tokio::test]
async fn admin_health_reset_and_clock() {
    let s = start().await;
    let health: serde_json::Value = s
        .client
        .get(format!("{}/__cartwright/health", s.base))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["modes"], true);
    let clock: serde_json::Value = s
        .client
        .post(format!("{}/__cartwright/clock", s.base))
        .header("content-type", "application/json")
        .body(r#"{"advance": "31d"}"#)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(clock["offset_ms"], 31 * 86_400_000_i64);
    let res = s
        .client
        .post(format!("{}/__cartwright/reset", s.base))
        .header("content-type", "application/json")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_correlation_id_is_echoed_and_is_the_trace_id() {
    let s = start().await;
    let r = s
        .post(
            Some(SESSION),
            &[("x-correlation-id", "abc-123")],
            "{ languages { code } }",
            json!({}),
        )
        .await;
    assert_eq!(r.body["extensions"]["traceId"], "abc-123");
}
