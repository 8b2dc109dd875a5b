//! The schemas a sub-resource's changed element is judged by at run time, compiled at load:
//! its array's item schema, and, where that schema judges each member by its own property
//! schema and nothing else, the property schemas of the members its requests send. A new
//! Medusa cart line then costs the check of `variant_id` and `quantity`, not of the whole
//! line (which carries a generated product and variant).

use cartwright_model::{ANNOTATIONS, Api, ResourceAction};
use cartwright_source::pointer::join;
use serde_json::Value;

use crate::compile::Compiler;
use crate::direction::Direction;

/// Keywords besides [`ANNOTATIONS`] an item schema may hold for a member's violations to
/// come from its property schema alone: the others (`allOf`, `patternProperties`,
/// `dependentSchemas`, a `$ref` beside them, …) can apply more schemas to a member, and
/// `minProperties`/`maxProperties` can fail when a member is added or removed. `required`
/// reports where a missing member belongs; a member that was set is not missing.
const PLAIN: [&str; 4] = ["type", "properties", "required", "additionalProperties"];

/// Compiles each sub-resource's item schema and, where it is plain, its sent members.
pub(crate) fn compile(api: &mut Api, compiler: &Compiler<'_>) {
    for c in 0..api.resources.collections.len() {
        let sent = sent(api, c);
        let doc = &api.document;
        let Some(p) = api.resources.collections[c].parent.as_mut() else {
            continue;
        };
        p.schema = compiler.compile(&p.items, Direction::Response).ok();
        let Some(at) = p.schema.as_ref().map(|s| s.pointer.clone()) else {
            continue;
        };
        let Some(node) = doc.pointer(&at).and_then(Value::as_object) else {
            continue;
        };
        let plain = node.keys().all(|k| {
            k.starts_with("x-") || PLAIN.contains(&k.as_str()) || ANNOTATIONS.contains(&k.as_str())
        });
        let Some(props) = node.get("properties").and_then(Value::as_object) else {
            continue;
        };
        if !plain {
            continue;
        }
        let props_at = join(&at, "properties");
        p.members = sent
            .into_iter()
            .filter(|f| props.contains_key(f))
            .filter_map(|f| {
                let schema = compiler.compile(&join(&props_at, &f), Direction::Response);
                schema.ok().map(|s| (f, s))
            })
            .collect();
    }
}

/// The fields the request bodies of collection `c`'s creates and updates declare, once each.
fn sent(api: &Api, c: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        let ours = api.resources.role(i).is_some_and(|r| {
            r.collection == c && matches!(r.action, ResourceAction::Create | ResourceAction::Update)
        });
        let bodies = op.body.iter().flat_map(|b| &b.content);
        for schema in bodies.filter_map(|m| m.schema.as_ref()).filter(|_| ours) {
            for f in cartwright_model::fields(&api.document, &schema.pointer) {
                if !names.contains(&f) {
                    names.push(f);
                }
            }
        }
    }
    names
}
