//! A sub-resource's new element, made outside the items' lock: only the template is looked
//! up under it, briefly.

use std::sync::Arc;

use cartwright_model::Parent;
use serde_json::{Value, json};

use super::Ctx;
use super::catalog::generated;
use super::fill::merge;
use super::store::Items;
use super::template::Template;

/// A sub-resource's new element, made outside the items' lock: a copy of its
/// template with the request's fields written in, and what they changed. Copying a
/// generated element (a Medusa cart line carries its whole product and variant) is most of
/// an add's work, and no other cart's request need wait for it.
pub(super) struct Made {
    pub template: Arc<Template>,
    pub element: Value,
    pub changes: Vec<(String, Option<Value>)>,
}

/// The template of `p`'s elements, kept in the sub-resource's own store `own` and generated
/// on first use; under the items' lock, briefly.
pub(super) fn template_of(ctx: &Ctx<'_>, own: &mut Items, p: &Parent) -> Arc<Template> {
    Arc::clone(own.template.get_or_insert_with(|| {
        Arc::new(Template::new(
            generated(ctx, Some(&p.items)).unwrap_or_else(|| json!({})),
            cartwright_model::field_schema(ctx.doc(), &p.items, &ctx.col.id).cloned(),
        ))
    }))
}

impl Made {
    /// Makes a new element from `template`, outside the items' lock.
    pub(super) fn new(ctx: &Ctx<'_>, template: Arc<Template>) -> Made {
        let mut element = template.value.clone();
        let changes = merge(ctx, &mut element);
        Made {
            template,
            element,
            changes,
        }
    }
}
