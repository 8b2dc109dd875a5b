//! Gives resolver errors their `path`. `async-graphql`'s dynamic schema reports a resolver's
//! error with its location only; this extension adds the response path (`["selection"]`,
//! `["displayItems", "list", 0, "market"]`) that clients use to place the error.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{PathSegment, QueryPathSegment, ServerResult, Value};

/// The extension's factory, registered once on the schema.
pub(crate) struct ErrorPaths;

impl ExtensionFactory for ErrorPaths {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorPaths)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorPaths {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let path_node = info.path_node;
        next.run(ctx, info).await.map_err(|mut e| {
            if e.path.is_empty() {
                let mut path: Vec<PathSegment> = std::iter::once(path_node)
                    .chain(path_node.parents())
                    .map(|node| match node.segment {
                        QueryPathSegment::Name(name) => PathSegment::Field(name.to_owned()),
                        QueryPathSegment::Index(i) => PathSegment::Index(i),
                    })
                    .collect();
                path.reverse();
                e.path = path;
            }
            e
        })
    }
}
