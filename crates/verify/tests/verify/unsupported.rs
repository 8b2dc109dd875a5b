//! `unsupported_method`: a method a path does not declare gets 405 with `Allow`.

use cartwright_verify::{Options, verify};

use crate::serve::{Answer, Asked, failed, serve, spec};

const ITEMS: &str = r#"
openapi: 3.1.0
info: {title: items, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      responses: {"200": {description: the items, content: {application/json: {schema: {type: array}}}}}
    post:
      operationId: addItem
      responses: {"201": {description: added, content: {application/json: {schema: {type: object}}}}}
  /items/{itemId}:
    get:
      operationId: getItem
      parameters: [{name: itemId, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: the item, content: {application/json: {schema: {type: object}}}}}
"#;

/// The items server: the broken one answers an undeclared method 405 without `Allow`.
fn items(broken: bool) -> impl Fn(&Asked) -> Answer {
    move |a: &Asked| {
        let allowed = if a.path == "/items" {
            "GET, POST"
        } else {
            "GET"
        };
        let declared = allowed.split(", ").any(|m| m == a.method.as_str());
        match (declared, broken) {
            (false, true) => (405, vec![], String::new()),
            (false, false) => (405, vec![("allow", allowed.into())], String::new()),
            _ if a.method == http::Method::POST => (201, vec![], "{}".into()),
            _ if a.path == "/items" => (200, vec![], "[]".into()),
            _ => (200, vec![], "{}".into()),
        }
    }
}

#[tokio::test]
async fn an_undeclared_method_needs_405_with_allow() {
    let api = spec("items.yaml", ITEMS);
    // Not in the default set: named, as `--checks all` would.
    let opts = |target: String| Options {
        target,
        max_examples: 5,
        checks: Some(cartwright_verify::checks::ALL.to_vec()),
        ..Options::default()
    };
    let faithful = verify(&api, &opts(serve(items(false)).await)).await.run;
    let report = cartwright_report::terminal(&faithful, false);
    assert!(failed(&faithful).is_empty(), "{report}");
    let broken = verify(&api, &opts(serve(items(true)).await)).await;
    let report = cartwright_report::terminal(&broken.run, false);
    assert_eq!(
        failed(&broken.run).into_iter().collect::<Vec<_>>(),
        ["unsupported_method"],
        "{report}"
    );
    // One failure per path, naming the methods that hit it: /items leaves PUT, DELETE,
    // PATCH, TRACE; /items/{itemId} those and POST.
    let details: Vec<String> = broken
        .run
        .cases
        .iter()
        .flat_map(|c| &c.steps)
        .flat_map(|s| s.failures())
        .filter_map(|c| c.detail.clone())
        .collect();
    assert_eq!(
        details,
        [
            "hit by 4 of 4 undeclared method(s): PUT, DELETE, PATCH, TRACE",
            "hit by 5 of 5 undeclared method(s): PUT, POST, DELETE, PATCH, TRACE"
        ],
        "{report}"
    );
    assert_eq!(broken.failures.len(), 2);
}
