//! The schema as lookups: types, fields, arguments, their scopes and implementors, read once
//! from the SDL so a request never walks the document.

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, FieldDefinition, InputValueDefinition, ServiceDocument, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{Name, Value};

use crate::error::LoadError;
use crate::scope::{self, Scope};

/// What kind of type a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A scalar (built-in or custom).
    Scalar,
    /// An object type.
    Object,
    /// An interface.
    Interface,
    /// A union.
    Union,
    /// An enum.
    Enum,
    /// An input object.
    Input,
}

/// An argument of a field.
#[derive(Debug, Clone)]
pub(crate) struct ArgInfo {
    /// Its name.
    pub name: String,
    /// Its type as written (what its value is coerced to).
    pub ty: Type,
    /// The mode it requires when given.
    pub scope: Option<Scope>,
    /// Its largest accepted value per mode (`@maxLimit`, or "`SESSION`: 40" lines in its
    /// description, as Centra writes them).
    pub max: Vec<(Scope, i64)>,
}

/// A field of an object or interface.
#[derive(Debug, Clone)]
pub(crate) struct FieldInfo {
    /// Its name.
    pub name: String,
    /// Its type as written.
    pub ty: Type,
    /// Its arguments.
    pub args: Vec<ArgInfo>,
    /// The mode it requires (its own, else its type's).
    pub scope: Option<Scope>,
}

/// A named type.
#[derive(Debug, Clone)]
pub(crate) struct TypeInfo {
    /// Its kind.
    pub kind: Kind,
    /// Fields of objects and interfaces, in schema order.
    pub fields: Vec<FieldInfo>,
    /// The objects an interface or union can be, sorted by name.
    pub possible: Vec<String>,
    /// The values of an enum.
    pub values: Vec<String>,
    /// The fields of an input object and their types, in schema order.
    pub inputs: Vec<(String, Type)>,
}

/// The whole schema as lookups.
#[derive(Debug, Clone)]
pub(crate) struct Index {
    /// Every type by name, the built-in scalars included.
    pub types: HashMap<String, TypeInfo>,
    /// The query root's name.
    pub query: String,
    /// The mutation root's name, if any.
    pub mutation: Option<String>,
    /// Whether the schema declares the operating modes (`enum SCOPE`), turning on tokens.
    pub modes: bool,
}

impl Index {
    /// Indexes a parsed (and extension-merged) document.
    pub(crate) fn new(doc: &ServiceDocument) -> Result<Index, LoadError> {
        let mut types: HashMap<String, TypeInfo> = ["Int", "Float", "String", "Boolean", "ID"]
            .iter()
            .map(|s| (s.to_string(), scalar()))
            .collect();
        let (mut query, mut mutation) = (None, None);
        for def in &doc.definitions {
            match def {
                TypeSystemDefinition::Type(t) => {
                    let t = &t.node;
                    let type_scope = scope::declared(&t.directives, desc(&t.description));
                    let info = match &t.kind {
                        TypeKind::Scalar => scalar(),
                        TypeKind::Object(o) => with_fields(Kind::Object, &o.fields, type_scope),
                        TypeKind::Interface(i) => {
                            with_fields(Kind::Interface, &i.fields, type_scope)
                        }
                        TypeKind::Union(u) => TypeInfo {
                            possible: u.members.iter().map(|m| m.node.to_string()).collect(),
                            ..empty(Kind::Union)
                        },
                        TypeKind::Enum(e) => TypeInfo {
                            values: e
                                .values
                                .iter()
                                .map(|v| v.node.value.node.to_string())
                                .collect(),
                            ..empty(Kind::Enum)
                        },
                        TypeKind::InputObject(i) => TypeInfo {
                            inputs: i
                                .fields
                                .iter()
                                .map(|f| (f.node.name.node.to_string(), f.node.ty.node.clone()))
                                .collect(),
                            ..empty(Kind::Input)
                        },
                    };
                    types.insert(t.name.node.to_string(), info);
                }
                TypeSystemDefinition::Schema(s) => {
                    query = s.node.query.as_ref().map(|n| n.node.to_string()).or(query);
                    mutation = s
                        .node
                        .mutation
                        .as_ref()
                        .map(|n| n.node.to_string())
                        .or(mutation);
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        link_implementors(doc, &mut types);
        let query = query.unwrap_or_else(|| "Query".to_owned());
        if types.get(&query).map(|t| t.kind) != Some(Kind::Object) {
            return Err(LoadError::Invalid(format!(
                "the schema has no query root: no object type `{query}`"
            )));
        }
        let mutation = mutation.or_else(|| {
            (types.get("Mutation").map(|t| t.kind) == Some(Kind::Object)).then(|| "Mutation".into())
        });
        let modes = types.get("SCOPE").is_some_and(|t| {
            t.values.iter().any(|v| v == "NO_SESSION") && t.values.iter().any(|v| v == "SESSION")
        });
        Ok(Index {
            types,
            query,
            mutation,
            modes,
        })
    }

    /// A type by name.
    pub(crate) fn get(&self, name: &str) -> Option<&TypeInfo> {
        self.types.get(name)
    }

    /// A field of a type.
    pub(crate) fn field(&self, owner: &str, field: &str) -> Option<&FieldInfo> {
        self.get(owner)?.fields.iter().find(|f| f.name == field)
    }

    /// The kind of a named type (scalar when unknown, which validation already excludes).
    pub(crate) fn kind(&self, name: &str) -> Kind {
        self.get(name).map_or(Kind::Scalar, |t| t.kind)
    }

    /// Whether `name` is the query or mutation root.
    pub(crate) fn is_root(&self, name: &str) -> bool {
        name == self.query || self.mutation.as_deref() == Some(name)
    }
}

/// The innermost named type of a type reference.
pub(crate) fn named(ty: &Type) -> &Name {
    match &ty.base {
        BaseType::Named(n) => n,
        BaseType::List(inner) => named(inner),
    }
}

fn desc(d: &Option<async_graphql::Positioned<String>>) -> Option<&str> {
    d.as_ref().map(|p| p.node.as_str())
}

fn scalar() -> TypeInfo {
    empty(Kind::Scalar)
}

fn empty(kind: Kind) -> TypeInfo {
    TypeInfo {
        kind,
        fields: Vec::new(),
        possible: Vec::new(),
        values: Vec::new(),
        inputs: Vec::new(),
    }
}

fn with_fields(
    kind: Kind,
    fields: &[async_graphql::Positioned<FieldDefinition>],
    type_scope: Option<Scope>,
) -> TypeInfo {
    let fields = fields
        .iter()
        .map(|f| {
            let f = &f.node;
            FieldInfo {
                name: f.name.node.to_string(),
                ty: f.ty.node.clone(),
                args: f.arguments.iter().map(|a| arg(&a.node)).collect(),
                scope: scope::declared(&f.directives, desc(&f.description)).or(type_scope),
            }
        })
        .collect();
    TypeInfo {
        fields,
        ..empty(kind)
    }
}

fn arg(a: &InputValueDefinition) -> ArgInfo {
    let mut max: Vec<(Scope, i64)> = a
        .directives
        .iter()
        .filter(|d| d.node.name.node == "maxLimit")
        .filter_map(|d| {
            let limit = match &d.node.get_argument("limit")?.node {
                Value::Number(n) => n.as_i64()?,
                _ => return None,
            };
            match &d.node.get_argument("scope")?.node {
                Value::Enum(s) => Some((Scope::parse(s)?, limit)),
                _ => None,
            }
        })
        .collect();
    if max.is_empty() {
        // "Max limits depend on your session mode.\n\n`SESSION`: 40\n\n`NO_SESSION`: 100"
        max = desc(&a.description)
            .unwrap_or("")
            .lines()
            .filter_map(|line| {
                let (mode, n) = line.split_once(':')?;
                Some((
                    Scope::parse(mode.trim().trim_matches('`'))?,
                    n.trim().parse().ok()?,
                ))
            })
            .collect();
    }
    ArgInfo {
        name: a.name.node.to_string(),
        ty: a.ty.node.clone(),
        scope: scope::declared(&a.directives, desc(&a.description)),
        max,
    }
}

/// Fills each interface's `possible` with the objects that implement it.
fn link_implementors(doc: &ServiceDocument, types: &mut HashMap<String, TypeInfo>) {
    for def in &doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        if let TypeKind::Object(o) = &t.node.kind {
            for iface in &o.implements {
                if let Some(info) = types.get_mut(iface.node.as_str()) {
                    info.possible.push(t.node.name.node.to_string());
                }
            }
        }
    }
    for info in types.values_mut() {
        info.possible.sort();
        info.possible.dedup();
    }
}
