//! Answers patched as a borrowing tree (`answer::patched`) or written through a template
//! (`template::Template`) must be the bytes of the body patched as a `Value`
//! (`patch::patch`) and written by `serde_json`: every response patch of every spec in
//! `specs/`, on every example of its operation, in several contexts.

use std::path::Path;
use std::sync::Arc;

use cartwright_diag::Sources;
use cartwright_model::{Api, ExprError, Operation, Pointer, Respond, Shape};
use serde_json::{Value, json};

use super::answer::patched;
use super::context::Ctx;
use super::patch::patch;
use super::template::Templates;

/// The body patched the reference way: copied, patched as a `Value`, then written.
fn by_value(skeleton: &Value, r: &Respond, ctx: &mut Ctx) -> Result<Vec<u8>, ExprError> {
    let mut body = skeleton.clone();
    for (ptr, shape) in &r.body {
        patch(&mut body, &ptr.segments, shape, ctx)?;
    }
    Ok(serde_json::to_vec(&body).expect("a Value is written"))
}

fn by_tree(skeleton: &Value, r: &Respond, ctx: &Ctx) -> Result<Vec<u8>, ExprError> {
    let patches = r.body.iter().map(|(p, s)| (p.segments.as_slice(), s));
    patched(skeleton, patches, ctx, 0)
}

/// Through a template, when the pointers can be cut and the request needs no tree.
fn by_template(skeleton: &Value, r: &Respond, ctx: &Ctx) -> Option<Result<Vec<u8>, ExprError>> {
    let t = Templates::default().get(&Arc::new(skeleton.clone()), &r.body)?;
    t.write(&r.body, ctx, 0).transpose()
}

/// Both ways and through a template agree; whether the template was used.
fn same(skeleton: &Value, r: &Respond, ctx: &mut Ctx, what: &str) -> (bool, Vec<u8>) {
    let text = |r: &Result<Vec<u8>, ExprError>| {
        r.as_ref()
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .map_err(Clone::clone)
    };
    let tree = by_tree(skeleton, r, ctx);
    let cut = by_template(skeleton, r, ctx);
    let value = by_value(skeleton, r, ctx);
    assert_eq!(text(&tree), text(&value), "as a tree: {what}");
    if let Some(cut) = &cut {
        assert_eq!(text(cut), text(&value), "through a template: {what}");
    }
    (cut.is_some(), value.unwrap_or_default())
}

/// A cart with lines, totals and an email: what the storefront specs' patches read.
fn cart() -> Value {
    json!({
        "id": "c-1", "number": "R123", "state": "cart", "email": "a@example.com",
        "created_at": "2026-01-01T00:00:00Z", "item_count": 3, "item_total": "31.24",
        "display_total": "$31.24",
        "items": [
            {"id": "11", "type": "line_item",
             "attributes": {"variant_id": "1", "quantity": 2, "total_amount": 18.74}},
            {"id": "12", "type": "line_item",
             "attributes": {"variant_id": "2", "quantity": 1, "total_amount": 12.5}},
        ],
        "basket": [{"lineTotal": 3, "item": "i-1"}, {"lineTotal": 4.5, "item": "i-2"}],
        "location": {"country": "SE"}, "loggedIn": true,
        "payments": [{"paymentId": "P-1", "orderId": "O-1", "status": "OK", "reference": "r"}],
        "orders": [{"orderId": "O-1"}], "placed": {"orderId": "O-1", "total": 7.5},
    })
}

/// The contexts an operation's patches are tried in: no state, a cart, and each example
/// of the operation as the state.
fn contexts(api: &Api, op: &Operation) -> Vec<Ctx<'static>> {
    let examples = op.responses.iter().flat_map(|r| &r.content);
    let mut states = vec![Value::Null, json!({}), cart()];
    states.extend(examples.flat_map(|m| m.examples.iter().map(|e| e.value.clone())));
    let body = (op.body.iter().flat_map(|b| &b.content))
        .flat_map(|m| m.examples.first())
        .map(|e| e.value.clone())
        .next()
        .unwrap_or(Value::Null);
    let path: serde_json::Map<String, Value> = (op.parameters.iter())
        .map(|p| (p.name.clone(), json!("1")))
        .collect();
    states
        .into_iter()
        .map(|state| {
            let top = json!({
                "request": {"method": "POST", "path": path, "query": {}, "headers": {}, "body": body},
                "secret": {}, "now": 1_767_225_600, "auth": {}, "token": "t0k", "record": state,
                "issued": {"token": "t1", "refresh_token": "r1", "token_type": "Bearer",
                           "created_at": 1_767_225_600, "expires_in": 3600},
            });
            let mut ctx = Ctx::new(top, api.behaviours.globals.clone());
            ctx.set_state(Arc::new(state));
            ctx
        })
        .collect()
}

fn responds(op: &Operation) -> Vec<&Respond> {
    let Some(b) = op.behaviour.as_deref() else {
        return Vec::new();
    };
    let steps = b.steps.iter().filter_map(|s| s.respond.as_ref());
    std::iter::once(&b.respond).chain(steps).collect()
}

#[test]
fn every_patch_of_every_spec_writes_the_same_bytes_both_ways() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let (mut compared, mut changed, mut cut) = (0, 0, 0);
    for entry in std::fs::read_dir(&specs).expect("specs/ is readable") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let options = cartwright_spec::LoadOptions::default();
        let api = match cartwright_spec::load(&path, &options, &mut Sources::new()) {
            Ok(loaded) => loaded.api,
            Err(e) => panic!("{} does not load: {e:?}", path.display()),
        };
        for op in &api.operations {
            let skeletons: Vec<&Value> = (op.responses.iter().flat_map(|r| &r.content))
                .flat_map(|m| m.examples.iter().map(|e| &e.value))
                .collect();
            for r in responds(op).into_iter().filter(|r| !r.body.is_empty()) {
                for mut ctx in contexts(&api, op) {
                    for skeleton in &skeletons {
                        let what = format!("{} {}", path.display(), op.id);
                        let (templated, value) = same(skeleton, r, &mut ctx, &what);
                        compared += 1;
                        cut += usize::from(templated);
                        changed += usize::from(value != serde_json::to_vec(skeleton).expect("w"));
                    }
                }
            }
        }
    }
    assert!(compared > 500, "only {compared} answers compared");
    assert!(
        changed > 250,
        "only {changed} answers were changed by their patches"
    );
    assert!(
        cut > 250,
        "only {cut} answers were written through a template"
    );
}

/// Patches naming every kind of place: members, indices, `-`, `*` over arrays and objects
/// (last and not), places that are missing or scalars, fields removed, the whole body.
fn kinds() -> Vec<(&'static str, Shape)> {
    let e = |s: &str| Shape::Expr(cartwright_model::Expr::compile(s).expect("compiles"));
    vec![
        ("/a/b", e("state.items")),
        (
            "/a/b/*/attributes/total",
            e("this.attributes.total_amount | fixed"),
        ),
        ("/a/b/*", e("this if this.id == '11' else none")),
        ("/a/b/0/id", e("'first'")),
        ("/a/b/-", e("{'id': 'pushed'}")),
        ("/a/b/9", e("'beyond'")),
        ("/a/b/0/gone", e("none")),
        ("/m/*", e("this * 10 if this < 2 else none")),
        ("/m/*/deeper", e("this")),
        ("/s/x/y", e("state.email")),
        ("/n", Shape::Literal(json!(3))),
        (
            "/o",
            Shape::Object(vec![
                ("k".into(), e("state.items")),
                ("z".into(), e("none")),
            ]),
        ),
        (
            "/o/k/*/attributes/quantity",
            e("this.attributes.quantity + 1"),
        ),
        ("/arr", Shape::Array(vec![e("none"), e("state.id")])),
        ("/arr/*", e("this | string")),
        ("/missing/*/x", e("1")),
        ("/tilde~1slash~0", e("'escaped'")),
        ("/first", e("none")),
        ("", e("{'whole': state.number}")),
    ]
}

#[test]
fn every_kind_of_pointer_writes_the_same_bytes_both_ways() {
    let body = json!({"first": 1, "a": {"b": "scalar"}, "m": {"a": 1, "b": 2, "c": 0},
                      "s": "text", "arr": [1, 2], "last": [true, null, 1.5]});
    for n in 1..=kinds().len() {
        let r = Respond {
            status: None,
            example: None,
            body: (kinds().into_iter().take(n))
                .map(|(p, s)| (Pointer::new(p.to_owned()), s))
                .collect(),
            headers: Vec::new(),
            memo: Default::default(),
        };
        let mut ctx = Ctx::new(json!({}), Arc::new(json!({})));
        ctx.set_state(Arc::new(cart()));
        same(&body, &r, &mut ctx, &format!("the first {n} patches"));
    }
}

/// Patches a template can write: members of the example's objects, new members and
/// objects, members made scalar-to-object, and below a patched member anything at all; the
/// last two remove a member and write it again, which only a tree can (it moves).
#[test]
fn a_template_writes_what_the_tree_writes_or_leaves_it_to_the_tree() {
    let e = |s: &str| Shape::Expr(cartwright_model::Expr::compile(s).expect("compiles"));
    let kinds = || {
        vec![
            ("/a/b", e("state.items")),
            (
                "/a/b/*/attributes/total",
                e("this.attributes.total_amount | fixed"),
            ),
            ("/a/b/0/id", e("'first'")),
            ("/a/b/-", e("{'id': 'pushed'}")),
            ("/a/b/*", e("this if this.id == 'first' else none")),
            ("/new/deep/x", e("state.email")),
            ("/s/x/y", e("state.number")),
            ("/last", e("none")),
            ("/first", e("state.missing")),
            ("/first", e("2")),
            ("/arr/0", e("1")),
        ]
    };
    let body = json!({"first": 1, "a": {"b": "scalar", "c": [1]}, "s": "text", "last": [true]});
    let mut cut = Vec::new();
    for n in 1..=kinds().len() {
        let r = Respond {
            status: None,
            example: None,
            body: (kinds().into_iter().take(n))
                .map(|(p, s)| (Pointer::new(p.to_owned()), s))
                .collect(),
            headers: Vec::new(),
            memo: Default::default(),
        };
        let mut ctx = Ctx::new(json!({}), Arc::new(json!({})));
        ctx.set_state(Arc::new(cart()));
        cut.push(same(&body, &r, &mut ctx, &format!("the first {n} patches")).0);
    }
    let expected: Vec<bool> = (1..=kinds().len()).map(|n| n < 10).collect();
    assert_eq!(cut, expected, "which lists were written through a template");
}
