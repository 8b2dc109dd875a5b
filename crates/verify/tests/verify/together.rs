//! Checks do not hide each other: a failure of one check never stops the others on that
//! operation, so `--checks all` finds at least what the default set finds with the same
//! seed, and a check that fails less often than another is still found.

use std::collections::{BTreeMap, BTreeSet};

use cartwright_outcome::Run;
use cartwright_verify::checks::{ALL, Check};
use cartwright_verify::{Options, verify};

use crate::serve::{Asked, failed, serve, spec};

const SEARCH: &str = r#"
openapi: 3.1.0
info: {title: search, version: "1"}
paths:
  /search:
    get:
      operationId: search
      parameters: [{name: q, in: query, required: true, schema: {type: string, example: ab}}]
      responses:
        "200": {description: found, content: {application/json: {schema: {type: object}}}}
        "400": {description: refused, content: {application/json: {schema: {type: object}}}}
"#;

/// Queries this long or longer break the broken search server.
const LONG: usize = 11;

/// The search server: the broken one refuses short valid queries with 400 (which
/// `positive_data_acceptance` fails) and answers long ones with a 500.
fn search(broken: bool) -> impl Fn(&Asked) -> crate::serve::Answer {
    move |a: &Asked| {
        if a.method != http::Method::GET {
            return (405, vec![("allow", "GET".into())], String::new());
        }
        let q = form_urlencoded::parse(a.query.as_bytes())
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.chars().count());
        match (q, broken) {
            (None, _) => (400, vec![], "{}".into()),
            (Some(n), true) if n >= LONG => (500, vec![], String::new()),
            (Some(_), true) => (400, vec![], "{}".into()),
            (Some(_), false) => (200, vec![], "{}".into()),
        }
    }
}

async fn run(api: &cartwright_model::Api, target: &str, checks: Option<Vec<Check>>) -> Run {
    let opts = Options {
        target: target.to_owned(),
        checks,
        max_examples: 10,
        ..Options::default()
    };
    verify(api, &opts).await.run
}

/// The failed check names of each case.
fn by_case(run: &Run) -> BTreeMap<String, BTreeSet<String>> {
    run.cases
        .iter()
        .map(|c| {
            let names = c.steps.iter().flat_map(|s| s.failures());
            (c.name.clone(), names.map(|k| k.name.clone()).collect())
        })
        .collect()
}

/// Every check the default set fails on a case, `all` fails there too.
async fn all_finds_what_default_finds(what: &str, api: &cartwright_model::Api, target: &str) {
    let default = by_case(&run(api, target, None).await);
    let all = by_case(&run(api, target, Some(ALL.to_vec())).await);
    for (case, names) in &default {
        let with_all = all.get(case).cloned().unwrap_or_default();
        assert!(
            names.is_subset(&with_all),
            "{what}, {case}: default {names:?}, all {with_all:?}"
        );
    }
}

#[tokio::test]
async fn a_rarer_failure_is_found_beside_a_frequent_one() {
    let api = spec("search.yaml", SEARCH);
    let broken = serve(search(true)).await;
    let with_all = run(&api, &broken, Some(ALL.to_vec())).await;
    let found = failed(&with_all);
    assert!(
        found.contains("positive_data_acceptance") && found.contains("not_a_server_error"),
        "{found:?}\n{}",
        cartwright_report::terminal(&with_all, false)
    );
    let faithful = serve(search(false)).await;
    let clean = run(&api, &faithful, Some(ALL.to_vec())).await;
    assert!(failed(&clean).is_empty(), "{:?}", failed(&clean));
    all_finds_what_default_finds("search", &api, &broken).await;
}

#[tokio::test]
async fn all_checks_find_at_least_what_the_default_set_finds() {
    let shop = crate::fixture();
    all_finds_what_default_finds("shop", &shop, &crate::server(true).await).await;
    let secure = crate::security::shop::shop();
    let target = crate::security::server::server(true).await;
    all_finds_what_default_finds("secure shop", &secure, &target).await;
    for name in crate::SPECS {
        let mock = crate::serve_mock(crate::load(name)).await;
        let target = format!("http://{}", mock.addr);
        all_finds_what_default_finds(name, &crate::load(name), &target).await;
    }
}
