//! What is read from the events is what `serde_saphyr` reads, or is left to it.

use super::*;

/// `serde_saphyr`'s value (or error) for the text, as the reference.
fn reference(text: &str) -> Result<Value, String> {
    serde_saphyr::from_str_with_options::<Value>(text, crate::document::yaml_1_2())
        .map_err(|e| e.to_string())
}

/// The value read from the events, after checking that it is the reference's.
fn read(text: &str) -> Option<Value> {
    let (value, _) = value(text)?;
    assert_eq!(Ok(&value), reference(text).as_ref(), "{text}");
    Some(value)
}

#[test]
fn scalars_resolve_as_serde_saphyr_resolves_them() {
    let cases = [
        "a: text\nb: 'quoted: yes'\nc: \"esc\\taped\"\nd: plain words here\n",
        "n: [~, null, Null, NULL, '', \"null\"]\n",
        "b: [true, True, TRUE, false, False, FALSE, yes, no, on, off, y, n, NO]\n",
        "i: [0, 7, 42, 18446744073709551615, 18446744073709551616, -3, +4, 007, 0x1F, 0o17, 1_000]\n",
        "f: [1.5, -0.25, .5, 1e3, 2E-2, 3.0.0, 1.2.3-beta, 2024-01-31, 12:30, -, .]\n",
        "w: [inf, nan, .inf, -.Inf, .NaN, infinity, Infinity, e5, x1]\n",
        "s: [/carts/{id}, $ref, '#/components/schemas/X', a#b, 'a #b', -x, ~x, 1#2]\n",
        "folded: >\n  one\n  two\n\n  three\nliteral: |\n  keep\n   this\nplain: one\n  two\n",
        "empty:\nflow: {a, b: , c: [1, {d: e}]}\nnested:\n  - - 1\n    - 2\n  - k: v\n",
        "# a comment\nk: v # trailing\n...\n",
        "---\nk: v\n",
        "[1, 2, 3]\n",
        "just a string\n",
        "200: ok\n'201': created\n\"404\": missing\n0: zero\n",
        "400_error: a\n404NotFound: b\n2xx: c\n2XX: c2\n0xg: c3\ntrue: d\nTrue: e\n1.0: f\n1.00: g\n'~': h\n",
    ];
    for text in cases {
        let _ = read(text);
    }
    for text in cases[..4].iter().chain(&cases[cases.len() - 2..]) {
        assert!(read(text).is_some(), "read from the events: {text}");
    }
}

#[test]
fn what_is_not_read_here_is_left_to_serde_saphyr() {
    let cases = [
        "a: &x {k: v}\nb: *x\n",
        "a: !!str 1\n",
        "a: !custom x\n",
        "b: {<<: {z: 1}, y: 2}\n",
        "a: 1\na: 2\n",
        "a: 1\n'a': 2\n",
        "1: a\n01: b\n",
        "1: a\n+1: b\n",
        "0x1F: a\n",
        "-0b1_0: a\n",
        "0o7: a\n",
        "1_0: a\n",
        "null: x\n",
        "~: x\n",
        ": x\n",
        "? [a]\n: x\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: [1, 2\n",
        "a: 1e999\n",
        "a: \"unterminated\n",
        "",
        "# only a comment\n",
    ];
    for text in cases {
        assert!(value(text).is_none(), "left to serde_saphyr: {text:?}");
    }
}

#[test]
fn deep_nesting_is_left_to_serde_saphyr() {
    let depth = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    assert!(read(&depth(MAX_DEPTH)).is_some());
    assert!(value(&depth(MAX_DEPTH + 1)).is_none());
    assert!(reference(&depth(100)).is_err(), "over the budget's depth");
}

#[test]
fn the_specs_and_the_corpus_are_read_from_the_events_with_the_same_values() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut read_here = Vec::new();
    for dir in ["specs", "tests/corpus"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_none_or(|e| e != "yaml" && e != "yml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("UTF-8 text");
            if read(&text).is_some() {
                read_here.push(path.file_name().expect("a name").to_owned());
            }
        }
    }
    read_here.sort();
    // The other specs use anchors and aliases, left to serde_saphyr.
    let names: Vec<_> = read_here.iter().map(|n| n.to_string_lossy()).collect();
    assert_eq!(
        names,
        [
            "medusa-store-v2.full.yaml",
            "spree-oauth.yml",
            "spree-store-api-v3.yaml",
            "spree-storefront-v2.yaml",
            "websale-storefront.yaml"
        ]
    );
}
