//! Every behaviour expression in `specs/*.yaml`, evaluated natively and by minijinja over
//! the same contexts: wherever the native path gives a result, it is minijinja's.

use std::sync::Arc;

use cartwright_model::{Expr, Val, view};
use serde_json::{Value, json};

/// The strings under `x-cartwright` (but not its notes), and the `vars` of each spec.
fn gather(
    v: &Value,
    inside: bool,
    out: &mut Vec<String>,
    vars: &mut serde_json::Map<String, Value>,
) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k.starts_with("x-cartwright-source") {
                    continue;
                }
                if k == "x-cartwright"
                    && let Some(Value::Object(found)) = v.get("vars")
                {
                    vars.extend(found.clone());
                }
                if inside && k == "vars" {
                    continue;
                }
                gather(v, inside || k == "x-cartwright", out, vars);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| gather(v, inside, out, vars)),
        Value::String(s) if inside => out.push(s.clone()),
        _ => {}
    }
}

fn contexts(vars: &Value) -> Vec<Value> {
    let item = |q: Value, total: Value| {
        json!({"id": "12345678", "type": "line_item",
               "attributes": {"variant_id": "1", "quantity": q, "total_amount": total, "price": "19.99"}})
    };
    vec![
        json!({"vars": vars}),
        json!({
            "vars": vars, "now": 1_700_000_000, "token": "tok", "issued": {"token": "t2"},
            "request": {"method": "POST", "path": {"line_item_id": "12345678", "id": "7"},
                        "query": {"page": "2"}, "headers": {"accept": "*/*"},
                        "body": {"variant_id": "1", "quantity": 2, "email": "a@example.com",
                                 "order": {"email": "a@example.com"}, "code": "123456",
                                 "password": "secret", "items": [{"product": 1, "quantity": 2}]}},
            "state": {"id": "1", "email": null, "items": [item(json!(2), json!(39.98)), item(json!(1), json!(5))],
                      "item_count": 3, "item_total": "44.98", "state": "cart"},
            "secret": {"shared": true}, "auth": {"user": {"state": {"email": "a@example.com"}}},
            "this": item(json!(2), json!(39.98)), "item": item(json!(1), json!(5)),
            "record": {"id": "r1", "total": 12}
        }),
        json!({
            "vars": vars, "now": 0, "token": null,
            "request": {"method": "GET", "path": {}, "query": {}, "headers": {}, "body": {"variant_id": 2}},
            "state": {"email": "b@example.com", "items": [], "item_count": 0},
            "this": {"id": 5, "attributes": {"total_amount": 3}}, "item": {"id": 5}
        }),
    ]
}

/// Random makers give fresh values each time: compared by kind and length.
fn same(native: &Value, jinja: &Value, random: bool) -> bool {
    if random {
        return native.as_str().map(str::len) == jinja.as_str().map(str::len);
    }
    serde_json::to_string(native).ok() == serde_json::to_string(jinja).ok()
}

#[test]
fn native_and_minijinja_agree_on_every_spec_expression() {
    let mut exprs = Vec::new();
    let mut vars = serde_json::Map::new();
    for entry in std::fs::read_dir("../../specs").expect("specs/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let mut sources = cartwright_diag::Sources::default();
        let doc = cartwright_source::parse(&path.display().to_string(), text, &mut sources)
            .expect("parses");
        gather(&doc.value, false, &mut exprs, &mut vars);
    }
    exprs.sort();
    exprs.dedup();
    let (mut native_exprs, mut agreed) = (0, 0);
    let contexts = contexts(&Value::Object(vars));
    for source in &exprs {
        let Ok(e) = Expr::compile(source) else {
            continue;
        };
        let Some(n) = e.native() else {
            continue;
        };
        native_exprs += 1;
        let random = ["digits(", "hex(", "uuid(", "random_token("]
            .iter()
            .any(|f| source.contains(f));
        for ctx in &contexts {
            // `request.body` is one name to the evaluator: a context hands out the body.
            let names = |k: &str| match k {
                cartwright_model::REQUEST_BODY => ctx.get("request").and_then(|r| r.get("body")),
                _ => ctx.get(k),
            };
            let Some(got) = n.eval(&names) else {
                continue;
            };
            let jinja = view(Arc::new(ctx.clone()));
            let want = e.eval(&jinja);
            let want_truth = e.truthy(&jinja);
            let (native, truth) = match &got {
                Val::Undef => (None, false),
                Val::Json(v) => (
                    (!v.is_null()).then(|| v.clone().into_owned()),
                    cartwright_model::truthy(Some(v)),
                ),
            };
            let Ok(want) = want else {
                panic!("`{source}`: native gave {native:?}, minijinja failed: {want:?} in {ctx}");
            };
            let equal = match (&native, &want) {
                (Some(a), Some(b)) => same(a, b, random),
                (None, None) => true,
                _ => false,
            };
            assert!(equal, "`{source}`: native {native:?}, minijinja {want:?}");
            assert_eq!(Ok(truth), want_truth, "`{source}`: truthiness");
            agreed += 1;
        }
    }
    // The subset must cover the common forms: most of the specs' expressions, not a few.
    assert!(
        native_exprs >= 150,
        "only {native_exprs} of {} expressions native",
        exprs.len()
    );
    assert!(agreed >= 300, "only {agreed} evaluations compared");
}

#[test]
fn the_cart_expressions_are_native() {
    for source in [
        "vars.variants[request.body.variant_id | string] is undefined",
        "request.body.quantity | default(1)",
        "vars.variants[request.body.variant_id | string].price | fixed",
        "vars.variants[request.body.variant_id | string].price * (request.body.quantity | default(1))",
        "state['items'] | map(attribute='attributes.quantity') | sum",
        "(state['items'] | map(attribute='attributes.total_amount') | sum) | fixed",
        "'$' ~ ((state['items'] | map(attribute='attributes.total_amount') | sum) | fixed)",
        "state.email is undefined or state.email is none",
        "{'type': 'line_item', 'id': this.id}",
        "this.attributes.total_amount | fixed",
        "digits(8)",
    ] {
        let e = Expr::compile(source).expect("compiles");
        assert!(e.native().is_some(), "`{source}` is not native");
    }
}

/// A dict literal's members come out in minijinja's order (sorted by key, a repeated key
/// taking the later value): the answer's text shows the order.
#[test]
fn dict_members_are_in_minijinja_order() {
    let ctx = json!({"this": {"id": "7"}});
    for source in [
        "{'type': 'line_item', 'id': this.id}",
        "{'z': 1, 'a': 2, 'z': 3, 'm': this.id}",
        "{'b': 1, 'a': {'d': 1, 'c': 2}}",
    ] {
        let e = Expr::compile(source).expect("compiles");
        let names = |k: &str| ctx.get(k);
        let native = match e.native().expect("native").eval(&names) {
            Some(Val::Json(v)) => v.into_owned(),
            other => panic!("`{source}`: {other:?}"),
        };
        let want = e.eval(&view(Arc::new(ctx.clone()))).expect("evaluates");
        assert_eq!(
            serde_json::to_string(&native).expect("written"),
            serde_json::to_string(&want.expect("a value")).expect("written"),
            "`{source}`"
        );
    }
}
