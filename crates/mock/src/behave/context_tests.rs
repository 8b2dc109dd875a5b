//! The evaluation context's tests: names, layers, and the request read when needed.

use super::*;
use cartwright_model::Expr;

use crate::Incoming;

#[test]
fn with_layers_a_name_over_the_context() {
    let mut ctx = Ctx::new(json!({"state": null}), Arc::new(json!({"vars": {"a": 1}})));
    let e = Expr::compile("state.email").expect("compiles");
    let v = ctx.with("state", json!({"email": "x@example.com"}), |c| c.eval(&e));
    assert_eq!(v, Ok(Some(json!("x@example.com"))));
    let e = Expr::compile("vars.a + this").expect("compiles");
    assert_eq!(
        ctx.with("this", json!(2), |c| c.eval(&e)),
        Ok(Some(json!(3)))
    );
}

/// `request` is made on the first read only: a context whose expressions never name it
/// never builds it, and one that does sees the request as it came.
#[test]
fn the_request_is_made_when_read() {
    let mut req = Incoming::new(http::Method::GET, "/cart?page=2");
    req.headers
        .insert("x-order", http::HeaderValue::from_static("t0k"));
    let seen = Seen {
        req: &req,
        params: &[],
        secrets: &[],
        parsed: None,
        parts: cartwright_model::RequestParts::ALL,
    };
    let mut ctx = Ctx::of_request(seen, json!({}), 5, Arc::new(json!({"vars": {}})));
    ctx.set_state(Arc::new(json!({"email": "a@example.com"})));
    let e = |s: &str| Expr::compile(s).expect("compiles");
    assert_eq!(
        ctx.eval(&e("state.email")),
        Ok(Some(json!("a@example.com")))
    );
    assert_eq!(ctx.eval(&e("now + 1")), Ok(Some(json!(6))));
    assert!(ctx.request.get().is_none(), "nothing read the request");
    assert_eq!(ctx.eval(&e("request.query.page")), Ok(Some(json!("2"))));
    assert!(ctx.request.get().is_some());
    ctx.set(Top::Token, json!("t1"));
    let native = e("request.headers['x-order'] ~ '/' ~ token ~ (state.email | length)");
    assert_eq!(ctx.eval(&native), Ok(Some(json!("t0k/t113"))));
    // `upper` is not a native filter: minijinja sees the same names.
    let jinja = e("(request.headers['x-order'] | upper) ~ token ~ now");
    assert!(native.native().is_some() && jinja.native().is_none());
    assert_eq!(ctx.eval(&jinja), Ok(Some(json!("T0Kt15"))));
}

/// `request.body` is handed out without the view when validation parsed the body, and
/// reads the same as the view (which minijinja still sees) for every kind of body, and
/// for a binding that does not read the body at all.
#[test]
fn the_body_read_alone_is_the_views_body() {
    let parsed = json!({"quantity": 2, "items": [{"sku": "a"}]});
    let cases = [
        (
            "application/json",
            r#"{"quantity": 2, "items": [{"sku": "a"}]}"#,
            true,
        ),
        (
            "Application/Problem+JSON; charset=utf-8",
            r#"{"quantity": 2}"#,
            true,
        ),
        ("application/x-www-form-urlencoded", "quantity=2", true),
        ("text/plain", r#"{"quantity": 5}"#, true),
        ("application/json", "", true),
        ("application/json", r#"{"quantity": 2}"#, false),
    ];
    for (ct, text, read) in cases {
        let mut req = Incoming::new(http::Method::POST, "/cart");
        req.headers
            .insert("content-type", http::HeaderValue::from_static(ct));
        req.body = bytes::Bytes::from(text);
        let mut parts = cartwright_model::RequestParts::NONE;
        parts.body = read;
        let seen = Seen {
            req: &req,
            params: &[],
            secrets: &[],
            parsed: Some(&parsed),
            parts,
        };
        let direct = parsed_body(&seen).is_some();
        assert_eq!(
            direct,
            read && ct.to_lowercase().contains("json") && !text.is_empty()
        );
        // The same request as a made view only, as a context without `seen` has it.
        let mut made = Ctx::new(json!({"request": request(seen)}), Arc::new(json!({})));
        let mut ctx = Ctx::of_request(seen, json!({}), 0, Arc::new(json!({})));
        let native = Expr::compile("request.body.quantity + 0").expect("compiles");
        assert!(native.native().is_some());
        let _ = ctx.eval(&native);
        assert_eq!(
            ctx.request.get().is_none(),
            direct,
            "{ct} {read}: view made"
        );
        for text in [
            "request.body",
            "request.body.quantity",
            "request.body.items[0].sku",
            "request.body.quantity + 1",
            "(request.body.quantity | string) ~ '!'",
            // `upper` is not native: minijinja reads the view itself.
            "request.body.quantity ~ ('x' | upper)",
        ] {
            let e = Expr::compile(text).expect("compiles");
            assert_eq!(ctx.eval(&e), made.eval(&e), "{ct} {read}: {text}");
            assert_eq!(ctx.holds(&e), made.holds(&e), "{ct} {read}: {text}");
        }
    }
}
