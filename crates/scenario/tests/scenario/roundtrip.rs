//! Parse → print → parse gives the same scenario, for generated scenarios.

use cartwright_diag::Sources;
use cartwright_scenario::ast::{
    Action, Asserts, Capture, CaptureFull, Matcher, Ops, Request, Retry, Scenario, Snapshot, Step,
};
use indexmap::IndexMap;
use proptest::prelude::*;
use serde_json::{Value, json};

fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,8}"
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        "[ -~]{0,20}",
        word().prop_map(|w| format!("{{{{ {w} }}}}")),
        Just("yes".to_owned()),
        Just("1.0".to_owned()),
        Just("".to_owned()),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map(word(), inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn matcher() -> impl Strategy<Value = Matcher> {
    prop_oneof![
        any::<i32>().prop_map(|n| Matcher::Equals(json!(n))),
        text().prop_map(|t| Matcher::Equals(json!(t))),
        (
            any::<bool>(),
            prop::option::of(0i64..10),
            prop::option::of(word())
        )
            .prop_map(|(e, l, c)| {
                Matcher::Ops(Box::new(Ops {
                    exists: Some(e),
                    length: l.map(|l| Box::new(Matcher::Equals(json!(l)))),
                    contains: c.map(Value::from),
                    ..Ops::default()
                }))
            }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        prop::option::of(word()),
        "/[a-z]{1,6}(/[a-z]{1,6}){0,2}",
        // `json: null` reads as no body: YAML cannot tell an absent key from a null one.
        prop::option::of(value().prop_filter("null is no body", |v| !v.is_null())),
        prop::collection::btree_map(word(), text(), 0..3),
        prop::option::of(matcher()),
        prop::collection::btree_map("\\$\\.[a-z]{1,5}", matcher(), 0..3),
        prop::option::of((0u32..5, word())),
        any::<bool>(),
    )
        .prop_map(
            |(name, path, json, headers, status, body, retry, secret)| Step {
                name,
                action: Action::Request(Request {
                    method: "POST".into(),
                    path,
                    query: IndexMap::new(),
                    headers: headers.into_iter().collect(),
                    json,
                    form: None,
                    body: None,
                }),
                capture: [
                    ("a".to_owned(), Capture::Path("$.a".into())),
                    (
                        "b".to_owned(),
                        Capture::Full(CaptureFull {
                            header: Some("x-b".into()),
                            secret,
                            ..CaptureFull::default()
                        }),
                    ),
                ]
                .into_iter()
                .collect(),
                assert: Some(Asserts {
                    status,
                    body: body.into_iter().collect(),
                    ..Asserts::default()
                }),
                retry: retry.map(|(count, _)| Retry {
                    count,
                    interval: Some("10ms".into()),
                }),
                snapshot: Some(Snapshot::Name("s".into())),
                skip_if: None,
                mock_only: false,
                each: None,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn print_then_parse_is_identity(name in word(), tags in prop::collection::vec(word(), 0..3), steps in prop::collection::vec(step(), 1..4), vars in prop::collection::btree_map(word(), value(), 0..3)) {
        let s = Scenario { name, description: None, tags, vars: vars.into_iter().collect(), steps };
        let printed = serde_saphyr::to_string(&s).expect("prints");
        let back = cartwright_scenario::parse("p.yaml", &printed, &mut Sources::new())
            .unwrap_or_else(|e| panic!("{printed}\n{e:?}"));
        prop_assert_eq!(back, s);
    }
}
