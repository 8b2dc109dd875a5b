//! The one resolver every field shares. A parent is a [`Node`]: a JSON value (from the stateful
//! behaviours, the fixtures, or nothing) and a key. A field reads its value from the parent's
//! JSON; what the JSON lacks is taken from the fixtures' `types` overrides, else generated from
//! the field's type with a key derived from the parent's, so answers are deterministic.

use std::sync::Arc;

use async_graphql::Error;
use async_graphql::dynamic::{FieldFuture, FieldValue, ResolverContext};
use async_graphql::parser::types::{FieldDefinition, Type};
use serde_json::Value as Json;

use crate::convert::{Known, convert, convert_owned};
use crate::engine::{Engine, RequestState};
use crate::generate::{hash, mix};
use crate::index::named;
use crate::modes;
use crate::scope::{Access, Scope};

/// What a field's resolver knows about its field, computed once when the schema is built.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The object type the field belongs to.
    pub owner: String,
    /// The field's name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Its innermost named type.
    pub named: String,
    /// The mode it requires.
    pub scope: Option<Scope>,
    /// Arguments that require a mode when given.
    pub arg_scopes: Vec<(String, Scope)>,
    /// Arguments with a largest value per mode (`limit`).
    pub arg_max: Vec<(String, Vec<(Scope, i64)>)>,
    /// Which of `market`, `pricelist`, `languageCode` it takes (the no-session context).
    pub context_args: Vec<&'static str>,
    /// Whether the owner is the query or mutation root.
    pub root: bool,
    /// The field's share of every key below it.
    pub key: u64,
}

impl Plan {
    /// The plan for `owner.f`.
    pub(crate) fn new(engine: &Engine, owner: &str, f: &FieldDefinition) -> Plan {
        let name = f.name.node.to_string();
        let info = engine.index.field(owner, &name);
        let arg_scopes = info
            .map(|i| {
                i.args
                    .iter()
                    .filter_map(|a| Some((a.name.clone(), a.scope?)))
                    .collect()
            })
            .unwrap_or_default();
        let arg_max = info
            .map(|i| {
                i.args
                    .iter()
                    .filter(|a| !a.max.is_empty())
                    .map(|a| (a.name.clone(), a.max.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let context_args = ["market", "pricelist", "languageCode"]
            .into_iter()
            .filter(|c| f.arguments.iter().any(|a| a.node.name.node == *c))
            .collect();
        Plan {
            key: hash(&format!("{owner}.{name}")),
            root: engine.index.is_root(owner),
            owner: owner.to_owned(),
            named: named(&f.ty.node).to_string(),
            ty: f.ty.node.clone(),
            scope: info.and_then(|i| i.scope),
            arg_scopes,
            arg_max,
            context_args,
            name,
        }
    }
}

/// A parent value: JSON (possibly `null`, meaning "generate everything") and its key.
#[derive(Debug)]
pub(crate) struct Node {
    /// What is known of the value.
    pub json: Json,
    /// The key its generated fields derive from.
    pub key: u64,
}

/// The resolver: checks the mode, then answers from state, fixtures or generation.
pub(crate) fn field<'a>(
    engine: &Arc<Engine>,
    plan: &Plan,
    ctx: ResolverContext<'a>,
) -> FieldFuture<'a> {
    match value(engine, plan, &ctx) {
        Ok(v) => FieldFuture::Value(v),
        Err(e) => FieldFuture::new(async move { Err::<Option<FieldValue<'a>>, _>(e) }),
    }
}

fn value<'a>(
    engine: &Engine,
    plan: &Plan,
    ctx: &ResolverContext<'a>,
) -> Result<Option<FieldValue<'a>>, Error> {
    let open = Access::Open;
    let access = ctx.data_opt::<RequestState>().map_or(&open, |r| &r.access);
    modes::check(engine, plan, ctx, access)?;
    if plan.root {
        let key = mix(mix(engine.seed, plan.key), args_key(ctx));
        let state = match &engine.behaviour {
            Some(b) => b.root(&engine.index, plan, ctx, access)?,
            None => None,
        };
        let json = state
            .or_else(|| engine.overrides.get(&plan.owner, &plan.name).cloned())
            .or_else(|| id_argument(ctx));
        return match json {
            Some(json) => convert_owned(engine, plan, &plan.ty, json, key),
            None => convert(engine, plan, &plan.ty, None, key),
        };
    }
    // A parent is JSON lent by its own parent (most values) or a node of its own; either
    // lives as long as the request, so its children are lent on, never copied.
    let parent: &'a Json = match ctx.parent_value.downcast_ref::<Json>() {
        Some(j) => j,
        None => &ctx.parent_value.try_downcast_ref::<Node>()?.json,
    };
    let key = || mix(parent_key(engine, plan, ctx, parent), plan.key);
    if let Some(json) = engine
        .behaviour
        .as_ref()
        .and_then(|b| b.nested(plan, ctx, parent))
    {
        return convert_owned(engine, plan, &plan.ty, json, key());
    }
    match parent.get(&plan.name) {
        Some(own) => convert(engine, plan, &plan.ty, Some(Known::Lent(own)), key()),
        None => {
            let json = engine
                .overrides
                .get(&plan.owner, &plan.name)
                .map(Known::Copy);
            convert(engine, plan, &plan.ty, json, key())
        }
    }
}

/// The key of a parent: its node's, or for lent JSON its entity's (type and `id`), so an
/// entity reads the same on every path; without an `id`, its place in the response.
fn parent_key(engine: &Engine, plan: &Plan, ctx: &ResolverContext<'_>, parent: &Json) -> u64 {
    if let Some(node) = ctx.parent_value.downcast_ref::<Node>() {
        return node.key;
    }
    let place = match parent.get("id") {
        Some(id) => format!("{}#{id}", plan.owner),
        None => ctx
            .path_node
            .and_then(|p| p.parent)
            .map(|p| p.to_string_vec().join("."))
            .unwrap_or_default(),
    };
    mix(engine.seed, hash(&place))
}

/// A root field with an `id` argument answers an object with that id.
fn id_argument(ctx: &ResolverContext<'_>) -> Option<Json> {
    let id = ctx.args.get("id")?.as_value().clone().into_json().ok()?;
    Some(serde_json::json!({ "id": id }))
}

fn args_key(ctx: &ResolverContext<'_>) -> u64 {
    ctx.args.iter().fold(0, |k, (name, v)| {
        mix(k, hash(&format!("{name}={}", v.as_value())))
    })
}
