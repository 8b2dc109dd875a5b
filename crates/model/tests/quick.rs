//! The quick check of JSON text against serde_json and jsonschema: a quick yes only where
//! serde_json parses the text and jsonschema (formats on, draft 2020-12) finds the value
//! valid, on random schemas and random texts; and a yes for every plain valid body of a
//! schema it judges, so it is not a check that never says yes.

use cartwright_model::Quick;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Definitions the random schemas refer to, a cyclic one among them.
fn defs() -> Value {
    json!({
        "Line": {"type": "object", "required": ["sku"], "additionalProperties": false,
                 "properties": {"sku": {"type": "string", "minLength": 1}, "qty": {"type": "integer", "minimum": 1}}},
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}, "v": {"type": "integer"}}},
        "Wrapped": {"allOf": [{"$ref": "#/$defs/Line"}], "description": "one branch"}
    })
}

/// The document a case's schema sits in, at `/x-case`.
fn document(schema: &Value) -> Value {
    json!({"$defs": defs(), "x-case": schema})
}

fn validator(doc: &Value) -> jsonschema::Validator {
    let registry = jsonschema::Registry::new()
        .add(
            "urn:doc",
            jsonschema::Draft::Draft202012.create_resource(doc.clone()),
        )
        .and_then(|b| b.prepare())
        .expect("registry");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&json!({"$ref": "urn:doc#/x-case"}))
        .expect("compiles")
}

/// Schemas of the keywords the quick check judges, and (when `known` is false) some it
/// leaves to the full validator.
fn schema(known: bool) -> impl Strategy<Value = Value> {
    let mut leaves = vec![
        (0u64..3, 0u64..6)
            .prop_map(|(lo, span)| json!({"type": "string", "minLength": lo, "maxLength": lo + span}))
            .boxed(),
        (-20i64..20, 0i64..40)
            .prop_map(|(lo, span)| json!({"type": "integer", "minimum": lo, "maximum": lo + span}))
            .boxed(),
        (-5i64..5, 1i64..10)
            .prop_map(|(lo, s)| json!({"type": "number", "exclusiveMinimum": lo, "exclusiveMaximum": lo + s}))
            .boxed(),
        Just(json!({"type": "number"})).boxed(),
        Just(json!({"type": "integer", "format": "int32"})).boxed(),
        Just(json!({"type": "string", "format": "password", "maxLength": 3})).boxed(),
        Just(json!({"type": ["boolean", "null"]})).boxed(),
        Just(json!({"enum": ["a", "é", "b c"]})).boxed(),
        Just(json!({"type": ["string", "null"], "enum": ["a", null]})).boxed(),
        Just(json!({"const": "a", "title": "only a"})).boxed(),
        Just(json!({})).boxed(),
        Just(json!(true)).boxed(),
        Just(json!(false)).boxed(),
        Just(json!({"$ref": "#/$defs/Line"})).boxed(),
        Just(json!({"$ref": "#/$defs/Node"})).boxed(),
        Just(json!({"$ref": "#/$defs/Wrapped"})).boxed(),
    ];
    if !known {
        leaves.extend([
            Just(json!({"type": "string", "format": "date"})).boxed(),
            Just(json!({"type": "string", "pattern": "^a"})).boxed(),
            Just(json!({"type": "integer", "multipleOf": 2})).boxed(),
            Just(json!({"enum": [1, "a"]})).boxed(),
            Just(json!({"oneOf": [{"type": "integer"}, {"type": "string"}]})).boxed(),
        ]);
    }
    let leaf = proptest::strategy::Union::new(leaves);
    leaf.prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            (inner.clone(), 0u64..2, 0u64..4).prop_map(|(items, min, span)| {
                json!({"type": "array", "items": items, "minItems": min, "maxItems": min + span})
            }),
            (
                proptest::collection::vec(inner.clone(), 1..4),
                any::<bool>(),
                inner.clone()
            )
                .prop_map(|(props, extra, other)| {
                    let names = ["p0", "p1", "p2"];
                    let properties: serde_json::Map<String, Value> =
                        names.iter().map(|n| n.to_string()).zip(props).collect();
                    let additional = if extra { other } else { json!(false) };
                    json!({"type": "object", "properties": properties, "required": ["p0", "q"],
                       "additionalProperties": additional})
                }),
            inner
                .clone()
                .prop_map(|s| json!({"anyOf": [s, {"type": "null"}]})),
            inner.prop_map(|s| json!({"allOf": [s]})),
        ]
    })
}

/// Values serde_json writes with no escapes, fractions or exponents: the quick check must
/// judge every one of them.
fn plain_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-30i64..50).prop_map(Value::from),
        // serde_json writes the quote, the backslash and control characters escaped.
        prop::sample::select(vec![
            "", "a", "é", "b c", "sku-1", "ab", "a\"b", "x\ny", "\\", "\u{1}"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::vec(
                (
                    prop::sample::select(vec!["p0", "p1", "p2", "q", "sku", "qty", "next", "v"]),
                    inner
                ),
                0..4
            )
            .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// Texts of any kind: plain values written out, and values or bytes serde_json or
/// jsonschema treat specially (escapes, fractions, exponents, big numbers, bad bytes).
fn text() -> impl Strategy<Value = Vec<u8>> {
    let odd = prop::sample::select(vec![
        r#""a\"b""#,
        r#""\u0061""#,
        r#""\ud83d\ude00""#,
        r#""\udc00""#,
        r#""\ud83dx""#,
        r#""\x""#,
        r#""\u00E9\/\b\f\n\r\t""#,
        r#""\u12""#,
        "\"\u{1}\"",
        "1.0",
        "-0",
        "-0.0",
        "1.5",
        "1e2",
        "01",
        "-",
        "12345678901234567890",
        "1099511627776",
        "1.00000000000000000000000001",
        "tru",
        "nul",
        "\"é\"",
        "[1,]",
        "{\"p0\":1,}",
        "{\"p0\" 1}",
        "{\"p0\":1,\"p0\":\"a\"}",
        " {} ",
        "{}x",
        "\u{feff}{}",
        "\"\\ud800\"",
    ])
    .prop_map(|s| s.as_bytes().to_vec());
    let bad_utf8 = Just(b"\"\xff\"".to_vec());
    prop_oneof![
        4 => plain_value().prop_map(|v| serde_json::to_vec(&v).expect("writes")),
        1 => plain_value().prop_map(|v| serde_json::to_vec_pretty(&v).expect("writes")),
        2 => odd.clone(),
        1 => (plain_value(), odd).prop_map(|(v, o)| {
            // The odd text as a member or an item of a plain value.
            let mut t = serde_json::to_vec(&json!({"p0": v, "p1": null})).expect("writes");
            let at = t.len() - 5;
            t.splice(at..at + 4, o.iter().copied());
            t
        }),
        1 => bad_utf8,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_quick_yes_is_a_parse_and_a_valid_value(schema in schema(false), texts in proptest::collection::vec(text(), 8)) {
        let doc = document(&schema);
        let v = validator(&doc);
        let Some(quick) = Quick::build(&doc, "/x-case") else { return Ok(()) };
        for t in texts {
            if quick.accepts(&t, 32) {
                let parsed: Result<Value, _> = serde_json::from_slice(&t);
                prop_assert!(parsed.is_ok(), "{schema}: yes for {:?}, which serde_json refuses", String::from_utf8_lossy(&t));
                let value = parsed.expect("parsed");
                prop_assert!(v.is_valid(&value), "{schema}: yes for {value}, which jsonschema refuses");
            }
        }
        for s in ["", "a", "é", "b c", "abcdefgh", "12"] {
            if quick.accepts_string(s) {
                prop_assert!(v.is_valid(&Value::from(s)), "{schema}: yes for the string {s:?}, which jsonschema refuses");
            }
        }
    }

    #[test]
    fn every_plain_valid_value_of_a_known_schema_gets_a_yes(schema in schema(true), values in proptest::collection::vec(plain_value(), 16)) {
        let doc = document(&schema);
        let v = validator(&doc);
        let quick = Quick::build(&doc, "/x-case");
        for value in values.iter().filter(|value| v.is_valid(value)) {
            let text = serde_json::to_vec(value).expect("writes");
            let yes = quick.as_ref().is_some_and(|q| q.accepts(&text, 32));
            prop_assert!(yes, "{schema}: no yes for the valid {value}");
        }
    }
}

#[test]
fn a_cart_body_is_judged_and_what_is_not_known_is_left_to_the_validator() {
    let doc = json!({"components": {"schemas": {"CartInput": {
        "type": "object", "required": ["currency", "items"], "additionalProperties": false,
        "properties": {
            "currency": {"type": "string", "enum": ["EUR", "USD", "SEK"]},
            "items": {"type": "array", "items": {"type": "object", "required": ["product", "quantity"],
                "properties": {"product": {"type": "integer"}, "quantity": {"type": "integer", "minimum": 1}}}}}}}}});
    let quick = Quick::build(&doc, "/components/schemas/CartInput").expect("judged");
    let yes = |t: &str| quick.accepts(t.as_bytes(), 32);
    assert!(yes(
        r#"{"currency":"EUR","items":[{"product":1,"quantity":2}]}"#
    ));
    assert!(yes(" {\"items\" : [ ] ,\n \"currency\":\"SEK\"}\n"));
    assert!(!yes(r#"{"currency":"NOK","items":[]}"#), "not in the enum");
    assert!(
        !yes(r#"{"currency":"EUR","items":[{"product":1,"quantity":0}]}"#),
        "below the minimum"
    );
    assert!(!yes(r#"{"currency":"EUR"}"#), "a required member missing");
    assert!(
        !yes(r#"{"currency":"EUR","items":[],"x":1}"#),
        "no other members"
    );
    assert!(
        !yes(r#"{"currency":"EUR","items":[{"product":1.0,"quantity":2}]}"#),
        "1.0 is left to jsonschema"
    );
    assert!(!yes(r#"{"currency":"EUR","items":[]"#), "unfinished");
    assert!(
        !yes(r#"{"currency":"\u0045UR","items":[]}"#),
        "an escaped string against an enum"
    );
    assert!(
        !yes(r#"{"curr\u0065ncy":"EUR","items":[]}"#),
        "an escaped name"
    );
    let names =
        json!({"type": "array", "items": {"type": "string", "minLength": 2, "maxLength": 2}});
    let names = Quick::build(&json!({"n": names}), "/n").expect("judged");
    // Each escape is one character: two, whatever its length in the text.
    for two in [
        r#"["\n\t"]"#,
        r#"["a\u00e9"]"#,
        r#"["\ud83d\ude00é"]"#,
        r#"["\"\\"]"#,
    ] {
        assert!(names.accepts(two.as_bytes(), 8), "{two}");
    }
    for not in [
        r#"["\n"]"#,
        r#"["\ud83d\ude00"]"#,
        r#"["\ud83dé"]"#,
        r#"["a\q"]"#,
        "[\"a\u{1}\"]",
    ] {
        assert!(!names.accepts(not.as_bytes(), 8), "{not}");
    }
    // Nesting: the cart nests three deep.
    let cart = r#"{"currency":"EUR","items":[{"product":1,"quantity":2}]}"#.as_bytes();
    assert!(quick.accepts(cart, 3));
    assert!(!quick.accepts(cart, 2), "past the nesting limit");
    let strings = json!({"short": {"type": "string", "maxLength": 3}, "either": {"type": ["string", "null"]},
                         "number": {"type": "integer"}, "any": {}});
    let short = Quick::build(&strings, "/short").expect("judged");
    assert!(short.accepts_string("abc") && short.accepts_string("déf"));
    assert!(!short.accepts_string("abcd"), "too long");
    for other in ["/either", "/number", "/any"] {
        // Text for these may be coerced to null or a number first: not a plain string.
        let q = Quick::build(&strings, other).expect("judged");
        assert!(!q.accepts_string("12"), "{other}");
    }
    // A nullable that refers to itself reads nothing on the way round: not known, and no
    // endless recursion.
    let looped = json!({"A": {"anyOf": [{"$ref": "#/A"}, {"type": "null"}]},
                        "B": {"anyOf": [{"$ref": "#/C"}, {"type": "null"}]},
                        "C": {"anyOf": [{"$ref": "#/B"}, {"type": "null"}]},
                        "D": {"type": "object", "properties": {"a": {"$ref": "#/A"}, "b": {"$ref": "#/B"}}}});
    for at in ["/A", "/B"] {
        assert!(Quick::build(&looped, at).is_none(), "{at}");
    }
    let d = Quick::build(&looped, "/D").expect("judged");
    assert!(!d.accepts(br#"{"a": {}, "b": {}}"#, 8) && !d.accepts(br#"{"a": 1}"#, 8));
    assert!(
        d.accepts(br#"{"c": 1}"#, 8),
        "the loops are only where they are reached"
    );
    // OpenAPI's formats are not checked by jsonschema, so not here either; JSON Schema's are
    // left to it.
    let formats = json!({"i": {"type": "integer", "format": "int32"}, "d": {"type": "string", "format": "date"}});
    let int32 = Quick::build(&formats, "/i").expect("judged");
    assert!(
        int32.accepts(b"1099511627776", 8),
        "2^40 is a valid int32 to jsonschema"
    );
    assert!(validator(&json!({"x-case": formats["i"]})).is_valid(&json!(1099511627776i64)));
    assert!(Quick::build(&formats, "/d").is_none());
    let unknown = json!({"s": {"type": "string", "pattern": "^a"}});
    assert!(
        Quick::build(&unknown, "/s").is_none(),
        "a pattern is not judged"
    );
    assert!(Quick::build(&unknown, "/missing").is_none());
}
