//! The router's tests: matching order, encodings, and the one-pass segmentation.

use super::*;

fn router(paths: &[(&str, Method)]) -> Router {
    let mut r = Router::new();
    for (i, (p, m)) in paths.iter().enumerate() {
        r.insert(&Template::parse(p).expect("template"), *m, i);
    }
    r
}

#[test]
fn one_pass_segments_are_split_then_decode() {
    let r = router(&[("/a/b/c/d", Method::Get)]);
    for raw in [
        "",
        "a",
        "a/",
        "a//b",
        "a/b/c/d",
        "a/b/c/d/e",
        "%41/b%2Fc",
        "x/%ff",
        "/",
        "//",
        "a%",
    ] {
        let want: Option<Vec<Cow<'_, str>>> = split(raw).map(decode).collect();
        let got = r.segments(raw);
        match (want, got) {
            (Some(w), Ok(g)) => assert_eq!(w, g, "{raw}"),
            (Some(w), Err(Lookup::NotFound)) => assert!(w.len() > 4, "{raw}"),
            (None, Err(Lookup::BadEncoding)) => {}
            (w, g) => panic!("{raw}: {w:?} vs {g:?}"),
        }
    }
}

#[test]
fn encoded_slash_and_dots_stay_in_the_parameter() {
    let r = router(&[
        ("/vouchers/{voucher}", Method::Delete),
        ("/admin/{x}", Method::Delete),
    ]);
    let Lookup::Found(m) = r.lookup(Method::Delete, "/vouchers/..%2Fadmin%2Ffoo") else {
        panic!("no match")
    };
    assert_eq!(m.operation, 0);
    assert_eq!(m.params, vec![("voucher".into(), "../admin/foo".into())]);
    let Lookup::Found(m) = r.lookup(Method::Delete, "/vouchers/TEST%2BCODE") else {
        panic!("no match")
    };
    assert_eq!(m.params[0].1, "TEST+CODE");
}

#[test]
fn literal_beats_template_and_method_falls_through() {
    let r = router(&[
        ("/products/{id}", Method::Get),
        ("/products/featured", Method::Get),
        ("/products/{id}", Method::Delete),
    ]);
    assert!(matches!(
        r.lookup(Method::Get, "/products/featured"),
        Lookup::Found(Match { operation: 1, .. })
    ));
    assert!(matches!(
        r.lookup(Method::Get, "/products/7"),
        Lookup::Found(Match { operation: 0, .. })
    ));
    assert!(matches!(
        r.lookup(Method::Delete, "/products/featured"),
        Lookup::Found(Match { operation: 2, .. })
    ));
}

#[test]
fn wrong_method_lists_allowed_and_unknown_is_not_found() {
    let r = router(&[("/selection", Method::Get), ("/selection", Method::Put)]);
    assert_eq!(
        r.lookup(Method::Post, "/selection"),
        Lookup::MethodNotAllowed(vec![Method::Get, Method::Put])
    );
    assert_eq!(r.lookup(Method::Get, "/nothing"), Lookup::NotFound);
    assert_eq!(r.lookup(Method::Get, &"/a".repeat(1000)), Lookup::NotFound);
    assert_eq!(
        r.lookup(Method::Get, "/selection/"),
        r.lookup(Method::Get, "/selection")
    );
}

#[test]
fn mixed_segments_bind_around_text() {
    let r = router(&[
        ("/files/{name}.json", Method::Get),
        ("/orders/order-{id}-{part}", Method::Get),
    ]);
    let Lookup::Found(m) = r.lookup(Method::Get, "/files/a.b.json") else {
        panic!()
    };
    assert_eq!(m.params[0].1, "a.b");
    let Lookup::Found(m) = r.lookup(Method::Get, "/orders/order-12-x") else {
        panic!()
    };
    assert_eq!(
        m.params,
        vec![("id".into(), "12".into()), ("part".into(), "x".into())]
    );
    assert_eq!(r.lookup(Method::Get, "/files/.json"), Lookup::NotFound);
}

#[test]
fn templates_sharing_a_prefix_keep_their_own_parameter_names() {
    let r = router(&[
        ("/carts/{id}", Method::Get),
        ("/carts/{cart_id}/items/{id}", Method::Get),
    ]);
    let Lookup::Found(m) = r.lookup(Method::Get, "/carts/c1/items/i2") else {
        panic!()
    };
    assert_eq!(
        m.params,
        vec![("cart_id".into(), "c1".into()), ("id".into(), "i2".into())]
    );
    let Lookup::Found(m) = r.lookup(Method::Get, "/carts/c1") else {
        panic!()
    };
    assert_eq!(m.params, vec![("id".into(), "c1".into())]);
}

#[test]
fn invalid_utf8_encoding_is_reported() {
    let r = router(&[("/v/{x}", Method::Get)]);
    assert_eq!(r.lookup(Method::Get, "/v/%FF%FE"), Lookup::BadEncoding);
}

/// The map of all-literal templates is only a short cut: for every path and method it finds
/// what the walk alone finds, including where an encoded path, a trailing slash, another
/// method or a spec literal holding `%2F` sends the request elsewhere.
#[test]
fn exact_templates_find_what_the_walk_finds() {
    let templates = [
        ("/", Method::Get),
        ("/products/featured", Method::Get),
        ("/products/{id}", Method::Get),
        ("/products/{id}", Method::Post),
        ("/products/featured", Method::Delete),
        ("/products/featured", Method::Get),
        ("/a%2Fb", Method::Get),
        ("/a/b", Method::Put),
        ("/x/{y}.json", Method::Get),
        ("/x/list.json", Method::Get),
        ("/a//b", Method::Get),
    ];
    let fast = router(&templates);
    let mut walk = router(&templates);
    walk.exact.clear();
    assert!(!fast.exact.is_empty());
    let paths = [
        "/",
        "",
        "/products/featured",
        "/products/featured/",
        "/products/%66eatured",
        "/products/42",
        "/a/b",
        "/a%2Fb",
        "/a%2fb",
        "/x/list.json",
        "/x/9.json",
        "/a//b",
        "/products",
        "/nope",
        "/products/featured/extra",
    ];
    for path in paths {
        for method in Method::ALL {
            assert_eq!(
                fast.lookup(method, path),
                walk.lookup(method, path),
                "{method:?} {path}"
            );
        }
    }
    // The duplicate GET on `/products/featured` keeps the first, on both ways.
    let Lookup::Found(m) = fast.lookup(Method::Get, "/products/featured") else {
        panic!("no match")
    };
    assert_eq!(m.operation, 1);
    let Lookup::Found(m) = fast.lookup(Method::Post, "/products/featured") else {
        panic!("no match")
    };
    assert_eq!((m.operation, m.params.len()), (3, 1));
}
