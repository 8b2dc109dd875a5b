//! Every generated value validates against its schema (checked by jsonschema, formats on),
//! in every mode, for hand-picked tricky schemas and for random ones.

mod support;

use cartwright_data::{Direction, Generator, Mode};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::validator;

fn root() -> Value {
    json!({"components": {"schemas": {
        "Node": {"type": "object", "required": ["name", "children"], "properties": {
            "name": {"type": "string", "minLength": 1}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
        "Cat": {"type": "object", "required": ["kind", "lives"], "properties": {"kind": {"type": "string"}, "lives": {"type": "integer", "minimum": 1, "maximum": 9}}},
        "Dog": {"type": "object", "required": ["kind", "bark"], "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}}},
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "format": "uuid"}}}
    }}})
}

fn cases() -> Vec<Value> {
    vec![
        json!({"type": "string", "format": "uuid"}),
        json!({"type": "string", "format": "date-time"}),
        json!({"type": "string", "format": "date"}),
        json!({"type": "string", "format": "email"}),
        json!({"type": "string", "format": "uri"}),
        json!({"type": "string", "format": "ipv4"}),
        json!({"type": "string", "format": "ipv6"}),
        json!({"type": "string", "format": "hostname"}),
        json!({"type": "string", "minLength": 20, "maxLength": 22}),
        json!({"type": "string", "maxLength": 3}),
        json!({"type": "string", "pattern": "^[A-Z]{2}$"}),
        json!({"type": "string", "pattern": "^\\d{3}-\\d{4}$"}),
        json!({"type": "string", "pattern": "^(red|green|blue)-[a-f0-9]{6}$"}),
        json!({"type": "string", "pattern": "^cart_[A-Za-z0-9]{8,12}$", "maxLength": 17}),
        json!({"type": "string", "enum": ["EUR", "USD", "SEK"]}),
        json!({"const": "fixed"}),
        json!({"type": "integer", "minimum": 5, "maximum": 7}),
        json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 2}),
        json!({"type": "integer", "multipleOf": 5, "minimum": 11}),
        json!({"type": "integer", "format": "int32"}),
        json!({"type": "integer", "minimum": 1e20}),
        json!({"type": "integer", "exclusiveMinimum": 1e20}),
        json!({"type": "integer", "exclusiveMinimum": 9.1e15}),
        json!({"type": "integer", "exclusiveMaximum": -1e19}),
        json!({"type": "number", "minimum": 0.5, "maximum": 0.75}),
        json!({"type": "number", "multipleOf": 0.01, "minimum": 1}),
        json!({"type": "number", "exclusiveMaximum": 0}),
        json!({"type": "boolean"}),
        json!({"type": "null"}),
        json!({"type": ["string", "null"]}),
        json!({"type": "array", "items": {"type": "integer"}, "minItems": 3, "maxItems": 3}),
        json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 100}, "minItems": 4, "uniqueItems": true}),
        json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "minItems": 2}),
        json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}, "additionalProperties": false}),
        json!({"type": "object", "minProperties": 3, "additionalProperties": {"type": "integer"}}),
        json!({"type": "object", "required": ["undeclared"]}),
        json!({"$ref": "#/components/schemas/Node"}),
        json!({"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}]}),
        json!({"allOf": [{"properties": {"size": {"enum": ["S", "M", "L"]}}}, {"properties": {"size": {"enum": ["L", "XL"]}}, "required": ["size"]}]}),
        json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
               "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}}}),
        json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/Base"}]}),
        json!({"$ref": "#/components/schemas/Base", "required": ["note"], "properties": {"note": {"type": "string"}}}),
        json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "not": {"required": ["a", "b"]}}),
        json!({"type": "string", "example": 42}),
        json!({"type": "integer", "default": 3, "minimum": 1}),
        json!({}),
        json!(true),
    ]
}

#[test]
fn every_case_validates_in_every_mode_and_direction() {
    let root = root();
    for schema in cases() {
        let v = validator(&root, &schema);
        for mode in [Mode::Static, Mode::Dynamic, Mode::Minimal] {
            for seed in 0..8 {
                for dir in [Direction::Request, Direction::Response] {
                    let value = Generator::new(&root, seed, mode).value(&schema, dir);
                    assert!(
                        v.is_valid(&value),
                        "{schema} ({mode:?}, seed {seed}) gave {value}"
                    );
                }
            }
        }
    }
}

#[test]
fn read_only_and_write_only_follow_the_direction() {
    let schema = json!({"type": "object", "properties": {"id": {"type": "string", "readOnly": true}, "password": {"type": "string", "writeOnly": true}}});
    let root = json!({});
    let req = Generator::new(&root, 1, Mode::Static).value(&schema, Direction::Request);
    let res = Generator::new(&root, 1, Mode::Static).value(&schema, Direction::Response);
    assert_eq!(
        (req.get("id").is_some(), req.get("password").is_some()),
        (false, true)
    );
    assert_eq!(
        (res.get("id").is_some(), res.get("password").is_some()),
        (true, false)
    );
}

#[test]
fn static_prefers_documented_values_and_seeds_are_deterministic() {
    let root = root();
    let documented = json!({"type": "string", "example": "jane@example.com"});
    assert_eq!(
        Generator::new(&root, 9, Mode::Static).value(&documented, Direction::Response),
        json!("jane@example.com")
    );
    let schema = json!({"$ref": "#/components/schemas/Node"});
    let at = |seed| Generator::new(&root, seed, Mode::Dynamic).value(&schema, Direction::Response);
    assert_eq!(at(7), at(7));
    assert!(
        (0..8).any(|s| at(s) != at(7)),
        "different seeds should vary"
    );
}

/// Random schemas from a small grammar of the keywords above.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        (0u64..5, 5u64..12).prop_map(
            |(lo, span)| json!({"type": "string", "minLength": lo, "maxLength": lo + span})
        ),
        (-50i64..50, 0i64..100)
            .prop_map(|(lo, span)| json!({"type": "integer", "minimum": lo, "maximum": lo + span})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "pattern": "^[a-z]{3}[0-9]{2}$"})),
        Just(json!({"type": ["boolean", "null"]})),
        Just(json!({"enum": ["a", "b", 3]})),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (inner.clone(), 0u64..3).prop_map(|(items, min)| json!({"type": "array", "items": items, "minItems": min})),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|props| {
                let names: Vec<String> = (0..props.len()).map(|i| format!("p{i}")).collect();
                let properties: serde_json::Map<String, Value> = names.iter().cloned().zip(props).collect();
                json!({"type": "object", "properties": properties, "required": [names[0].clone()], "additionalProperties": false})
            }),
            prop::collection::vec(inner, 2..3).prop_map(|branches| json!({"anyOf": branches})),
        ]
    })
}

proptest! {
    #[test]
    fn random_schemas_get_valid_values(schema in schema(), seed in 0u64..1000) {
        let root = json!({});
        let v = validator(&root, &schema);
        for mode in [Mode::Static, Mode::Dynamic] {
            let value = Generator::new(&root, seed, mode).value(&schema, Direction::Response);
            prop_assert!(v.is_valid(&value), "{} gave {}", schema, value);
        }
    }
}
