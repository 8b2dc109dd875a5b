//! The halves join as the whole document reads, or are not taken.

use super::*;

/// A document of top-level entries, each after a padded one, so the text is large enough
/// to cut and the cut falls near the entries.
fn padded(entries: &[&str]) -> String {
    let pad: String = (0..4000).map(|i| format!("  k{i}: value {i}\n")).collect();
    let mut text = String::new();
    for (i, e) in entries.iter().enumerate() {
        text.push_str(&format!("filler{i}:\n{pad}"));
        text.push_str(e);
    }
    text
}

/// Whatever the halves give is what the whole gives.
fn same_as_whole(text: &str) -> Option<Value> {
    let cut = cut(text)?;
    let split = halves(text, &cut);
    if let Some(v) = &split {
        assert_eq!(Some(v), one(text).0.ok().as_ref(), "split at {cut:?}");
    }
    split
}

#[test]
fn a_large_mapping_is_cut_at_a_top_level_key_and_joined_in_order() {
    let text = padded(&["a: 1\n", "b: [1, 2]\n", "c: {x: y}\n", "d: |\n  text\n"]);
    let v = same_as_whole(&text).expect("cut and joined");
    let keys: Vec<&String> = v.as_object().expect("mapping").keys().collect();
    assert_eq!(keys.len(), 8);
    assert_eq!(keys[1], "a");
    assert_eq!(keys[7], "d");
}

#[test]
fn what_could_reach_across_the_cut_sends_the_whole_text_to_one_parse() {
    let cases = [
        "a: &x {k: v}\nb: *x\n",
        "a: |\nkey: text\n",
        "a: >\n  folded\nkey: text\n",
        "a: \"quoted\nkey: x\"\n",
        "a: [1,\nkey: 2]\n",
        "a: plain\nkey: more\n",
        "<<: {z: 1}\n",
        "a: 1\n...\nb: 2\n",
        "a: 1\n---\nb: 2\n",
    ];
    let mut joined = 0;
    for case in cases {
        let text = padded(&[case, ""]);
        joined += usize::from(same_as_whole(&text).is_some());
        let expected = one(&text).0.map_err(|e| e.to_string());
        assert_eq!(parse(&text).map_err(|e| e.to_string()), expected, "{case}");
    }
    assert!(joined >= 2, "some of the cases are cut where they end");
}

#[test]
fn a_key_in_both_halves_is_left_to_the_whole_parse() {
    let text = padded(&["same: 1\n", "same: 2\n"]);
    assert!(cut(&text).is_some());
    assert!(same_as_whole(&text).is_none());
    assert!(parse(&text).is_err(), "duplicate keys are an error");
}

#[test]
fn the_corpus_specs_are_cut_and_give_the_whole_documents_values() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut cut_specs = 0;
    for entry in std::fs::read_dir(dir).expect("the corpus folder") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "yaml" && e != "yml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("UTF-8 text");
        if same_as_whole(&text).is_some() {
            cut_specs += 1;
        }
    }
    assert_eq!(cut_specs, 3, "the Medusa and both Spree specs are cut");
}

#[test]
fn a_cut_inside_nested_mappings_continues_them_in_the_second_half() {
    let pad: String = (0..6000)
        .map(|i| format!("    S{i}:\n      type: string\n"))
        .collect();
    let text = format!(
        "openapi: 3.0.0\ncomponents:\n  schemas:\n{pad}  responses:\n    R: {{}}\nx-end: 1\n"
    );
    let cut = cut(&text).expect("a cut");
    assert_eq!(
        (cut.depth, cut.prefix.as_str()),
        (2, "components:\n  schemas:\n")
    );
    let v = same_as_whole(&text).expect("joined");
    assert_eq!(
        v["components"]["schemas"].as_object().map(Map::len),
        Some(6000)
    );
    let keys: Vec<&String> = v["components"]
        .as_object()
        .expect("mapping")
        .keys()
        .collect();
    assert_eq!(keys, ["schemas", "responses"]);
}

#[test]
fn a_key_line_inside_a_block_scalar_or_a_list_is_no_cut() {
    let pad: String = (0..10000).map(|i| format!("    S{i}: text\n")).collect();
    for opener in [
        "a: |\n",
        "a:\n  - |\n",
        "a:\n  b: >-\n",
        "a: # note\n  b:\n",
    ] {
        let text = format!("{opener}{pad}");
        let found = cut(&text);
        assert!(found.is_none(), "{opener}: {found:?}");
    }
    let odd = format!("a:\n  b:\n      first: 1\n{pad}");
    assert!(
        cut(&odd).is_none(),
        "the mapping's entries are indented by six, not four"
    );
}

#[test]
fn small_or_other_documents_are_not_cut() {
    assert_eq!(cut("a: 1\nb: 2\n"), None);
    let list = format!("- x\n{}", padded(&["a: 1\n", "b: 2\n"]));
    assert!(cut(&list).is_none_or(|_| same_as_whole(&list).is_none()));
    assert!(key("paths:", true));
    assert!(key("/store/carts/{id}:", true));
    assert!(key("x-tag: value", false));
    assert!(!key("x-tag: value", true));
    assert!(!key("- item: 1", false));
    assert!(!key("url:http", false));
    assert!(key("\"$ref\":", true));
    assert!(key("'401':", true));
    assert!(key("'401': x", false));
    assert!(!key("'401':x", false));
    assert!(!key("\"a\\\"b\":", true));
    assert!(!key("'it''s':", true));
}
