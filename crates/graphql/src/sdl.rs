//! SDL in, an `async-graphql` dynamic schema out: every type, field, argument, default value,
//! description and deprecation of the document, so introspection shows the schema as written.
//! Every output field gets the one generic resolver ([`crate::resolve`]).

use std::sync::Arc;

use async_graphql::dynamic::{
    Enum, EnumItem, Field, InputObject, InputValue, Interface, InterfaceField, Object, Scalar,
    Schema, SchemaBuilder, TypeRef, Union,
};
use async_graphql::parser::types::{
    BaseType, ConstDirective, FieldDefinition, InputValueDefinition, ServiceDocument, Type,
    TypeDefinition, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Positioned, Value};

use crate::engine::Engine;
use crate::error::LoadError;
use crate::resolve::{self, Plan};

const BUILT_IN: &[&str] = &["Int", "Float", "String", "Boolean", "ID"];

/// Parses SDL, merging `extend type` definitions into the types they extend.
pub(crate) fn parse(source_name: &str, sdl: &str) -> Result<ServiceDocument, LoadError> {
    let doc = async_graphql::parser::parse_schema(sdl).map_err(|e| {
        let pos = e.positions().next().unwrap_or_default();
        LoadError::Syntax {
            source_name: source_name.to_owned(),
            line: pos.line,
            column: pos.column,
            message: e.to_string(),
        }
    })?;
    Ok(merge_extensions(doc))
}

fn merge_extensions(doc: ServiceDocument) -> ServiceDocument {
    let (extensions, mut definitions): (Vec<_>, Vec<_>) = doc
        .definitions
        .into_iter()
        .partition(|d| matches!(d, TypeSystemDefinition::Type(t) if t.node.extend));
    for ext in extensions {
        let TypeSystemDefinition::Type(ext) = ext else {
            continue;
        };
        let base = definitions.iter_mut().find_map(|d| match d {
            TypeSystemDefinition::Type(t) if t.node.name.node == ext.node.name.node => Some(t),
            _ => None,
        });
        match base {
            Some(base) => extend(&mut base.node, ext.node),
            // An extension of nothing: keep it as a definition of its own.
            None => definitions.push(TypeSystemDefinition::Type(ext)),
        }
    }
    ServiceDocument { definitions }
}

fn extend(base: &mut TypeDefinition, ext: TypeDefinition) {
    base.directives.extend(ext.directives);
    match (&mut base.kind, ext.kind) {
        (TypeKind::Object(b), TypeKind::Object(e)) => {
            b.implements.extend(e.implements);
            b.fields.extend(e.fields);
        }
        (TypeKind::Interface(b), TypeKind::Interface(e)) => b.fields.extend(e.fields),
        (TypeKind::Union(b), TypeKind::Union(e)) => b.members.extend(e.members),
        (TypeKind::Enum(b), TypeKind::Enum(e)) => b.values.extend(e.values),
        (TypeKind::InputObject(b), TypeKind::InputObject(e)) => b.fields.extend(e.fields),
        _ => {}
    }
}

/// Builds the executable schema; resolvers share `engine`.
pub(crate) fn build(
    doc: &ServiceDocument,
    engine: &Arc<Engine>,
) -> Result<SchemaBuilder, LoadError> {
    let index = &engine.index;
    let mut builder = Schema::build(&index.query, index.mutation.as_deref(), None);
    for def in &doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = &t.node;
        let name = t.name.node.as_str();
        let description = t.description.as_ref().map(|d| d.node.clone());
        builder = match &t.kind {
            TypeKind::Scalar if BUILT_IN.contains(&name) => builder,
            TypeKind::Scalar => builder.register(describe(Scalar::new(name), description)),
            TypeKind::Object(o) => {
                let mut obj = describe(Object::new(name), description);
                for iface in &o.implements {
                    obj = obj.implement(iface.node.as_str());
                }
                for f in &o.fields {
                    obj = obj.field(field(name, &f.node, engine));
                }
                builder.register(obj)
            }
            TypeKind::Interface(i) => {
                let mut obj = describe(Interface::new(name), description);
                for f in &i.fields {
                    obj = obj.field(interface_field(&f.node));
                }
                builder.register(obj)
            }
            TypeKind::Union(u) => {
                let mut obj = describe(Union::new(name), description);
                for m in &u.members {
                    obj = obj.possible_type(m.node.as_str());
                }
                builder.register(obj)
            }
            TypeKind::Enum(e) => {
                let mut obj = describe(Enum::new(name), description);
                for v in &e.values {
                    let mut item = EnumItem::new(v.node.value.node.as_str());
                    if let Some(d) = &v.node.description {
                        item = item.description(d.node.clone());
                    }
                    if let Some(reason) = deprecated(&v.node.directives) {
                        item = item.deprecation(reason.as_deref());
                    }
                    obj = obj.item(item);
                }
                builder.register(obj)
            }
            TypeKind::InputObject(i) => {
                let mut obj = describe(InputObject::new(name), description);
                for f in &i.fields {
                    obj = obj.field(input_value(&f.node));
                }
                builder.register(obj)
            }
        };
    }
    Ok(builder)
}

/// Adds a description where the SDL has one (the four builders share no trait).
fn describe<T: Describe>(t: T, description: Option<String>) -> T {
    match description {
        Some(d) => t.describe(d),
        None => t,
    }
}

trait Describe {
    fn describe(self, d: String) -> Self;
}

macro_rules! describable {
    ($($t:ty),*) => {$(impl Describe for $t {
        fn describe(self, d: String) -> Self {
            self.description(d)
        }
    })*};
}
describable!(Scalar, Object, Interface, Union, Enum, InputObject);

fn field(owner: &str, f: &FieldDefinition, engine: &Arc<Engine>) -> Field {
    let plan = Arc::new(Plan::new(engine, owner, f));
    let engine = engine.clone();
    let mut out = Field::new(f.name.node.as_str(), type_ref(&f.ty.node), move |ctx| {
        resolve::field(&engine, &plan, ctx)
    });
    if let Some(d) = &f.description {
        out = out.description(d.node.clone());
    }
    for a in &f.arguments {
        out = out.argument(input_value(&a.node));
    }
    match deprecated(&f.directives) {
        Some(reason) => out.deprecation(reason.as_deref()),
        None => out,
    }
}

fn interface_field(f: &FieldDefinition) -> InterfaceField {
    let mut out = InterfaceField::new(f.name.node.as_str(), type_ref(&f.ty.node));
    if let Some(d) = &f.description {
        out = out.description(d.node.clone());
    }
    for a in &f.arguments {
        out = out.argument(input_value(&a.node));
    }
    match deprecated(&f.directives) {
        Some(reason) => out.deprecation(reason.as_deref()),
        None => out,
    }
}

fn input_value(a: &InputValueDefinition) -> InputValue {
    let mut out = InputValue::new(a.name.node.as_str(), type_ref(&a.ty.node));
    if let Some(d) = &a.description {
        out = out.description(d.node.clone());
    }
    if let Some(v) = &a.default_value {
        out = out.default_value(v.node.clone());
    }
    out
}

/// The SDL's type as the dynamic schema spells it.
pub(crate) fn type_ref(ty: &Type) -> TypeRef {
    let base = match &ty.base {
        BaseType::Named(n) => TypeRef::Named(n.to_string().into()),
        BaseType::List(inner) => TypeRef::List(Box::new(type_ref(inner))),
    };
    if ty.nullable {
        base
    } else {
        TypeRef::NonNull(Box::new(base))
    }
}

/// `@deprecated(reason:)`: `None` when not deprecated, else the reason if one is given.
fn deprecated(directives: &[Positioned<ConstDirective>]) -> Option<Option<String>> {
    let d = directives
        .iter()
        .find(|d| d.node.name.node == "deprecated")?;
    Some(match d.node.get_argument("reason").map(|v| &v.node) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    })
}
