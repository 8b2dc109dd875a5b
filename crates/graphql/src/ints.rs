//! GraphQL's `Int` is a signed 32-bit integer ("Int: A signed 32-bit integer", and a value
//! outside that range is an input coercion error). `async-graphql` accepts any 64-bit number
//! for `Int`, so this pass runs before execution: every `Int` a request gives (an argument
//! literal, inside input objects and lists, a variable and a variable's default) is checked
//! against the schema's types, and a request with one out of range runs nothing.

use std::collections::HashSet;

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
    Selection, SelectionSet, Type,
};
use async_graphql::parser::{Pos, Positioned};
use async_graphql::{PathSegment, ServerError, Value, Variables};

use crate::index::{Index, Kind, named};

/// At most this many errors are reported: one is enough to refuse the request.
const MAX_ERRORS: usize = 20;

/// Selection sets and values nested deeper than this are left to the schema's own depth
/// limit, which refuses them anyway.
const MAX_NESTING: usize = 256;

/// What the walk has found so far.
struct Walk<'a> {
    index: &'a Index,
    doc: &'a ExecutableDocument,
    fragments: HashSet<&'a str>,
    errors: Vec<ServerError>,
}

/// The errors of the operation `operation` (or the document's only one) of `doc`: one per
/// `Int` out of range, empty when every `Int` fits. What cannot be matched to the schema is
/// left to validation, which reports it.
pub(crate) fn out_of_range(
    index: &Index,
    doc: &ExecutableDocument,
    operation: Option<&str>,
    variables: &Variables,
) -> Vec<ServerError> {
    let op = match (&doc.operations, operation) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get(name) {
            Some(op) => op,
            None => return Vec::new(),
        },
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => match ops.values().next() {
            Some(op) => op,
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let mut walk = Walk {
        index,
        doc,
        fragments: HashSet::new(),
        errors: Vec::new(),
    };
    walk.variables(&op.node, variables);
    let root = match op.node.ty {
        OperationType::Query => Some(index.query.as_str()),
        OperationType::Mutation => index.mutation.as_deref(),
        OperationType::Subscription => None,
    };
    if let Some(root) = root {
        walk.selections(&op.node.selection_set, root, &[], 0);
    }
    walk.errors.truncate(MAX_ERRORS);
    walk.errors
}

impl<'a> Walk<'a> {
    /// Each variable's value (or default) against the type the operation declares for it.
    fn variables(&mut self, op: &OperationDefinition, given: &Variables) {
        for def in &op.variable_definitions {
            let def = &def.node;
            let name = def.name.node.as_str();
            let value = given
                .get(name)
                .or(def.default_value.as_ref().map(|d| &d.node));
            if let Some(value) = value {
                let at = format!("${name}");
                let mut found = Vec::new();
                self.value(value, &def.var_type.node, &at, &mut found, 0);
                for (path, n) in found {
                    let message = format!(
                        "Variable \"${name}\" got invalid value {n} at \"{path}\": {}",
                        reason()
                    );
                    self.errors
                        .push(ServerError::new(message, Some(def.name.pos)));
                }
            }
        }
    }

    /// The arguments of every field selected in `set`, whose type is `owner`.
    fn selections(
        &mut self,
        set: &'a Positioned<SelectionSet>,
        owner: &str,
        path: &[PathSegment],
        depth: usize,
    ) {
        if depth > MAX_NESTING || self.errors.len() >= MAX_ERRORS {
            return;
        }
        for item in &set.node.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let Some(info) = self.index.field(owner, field.name.node.as_str()) else {
                        continue;
                    };
                    let mut here = path.to_vec();
                    here.push(PathSegment::Field(field.response_key().node.to_string()));
                    for (name, value) in &field.arguments {
                        let Some(arg) = info.args.iter().find(|a| a.name == name.node.as_str())
                        else {
                            continue;
                        };
                        // A variable stands for null here: its value was checked against the
                        // type the operation declares for it.
                        let literal = value
                            .node
                            .clone()
                            .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null));
                        let Ok(literal) = literal;
                        self.argument(&arg.name, literal, value.pos, &arg.ty, &here);
                    }
                    let child = named(&info.ty).to_string();
                    self.selections(&field.selection_set, &child, &here, depth + 1);
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    let Some(fragment) = self.doc.fragments.get(name) else {
                        continue;
                    };
                    // A fragment is checked once: its type condition, not the spread,
                    // decides what its fields are (and a cycle ends here).
                    if self.fragments.insert(name) {
                        let on = fragment.node.type_condition.node.on.node.to_string();
                        self.selections(&fragment.node.selection_set, &on, path, depth + 1);
                    }
                }
                Selection::InlineFragment(inline) => {
                    let on = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map_or_else(|| owner.to_owned(), |c| c.node.on.node.to_string());
                    self.selections(&inline.node.selection_set, &on, path, depth + 1);
                }
            }
        }
    }

    /// One argument literal; the variables in it were checked with the variables.
    fn argument(&mut self, name: &str, literal: Value, at: Pos, ty: &Type, path: &[PathSegment]) {
        let mut found = Vec::new();
        self.value(&literal, ty, name, &mut found, 0);
        for (input, n) in found {
            let message = format!(
                "Invalid value for argument \"{input}\": {n} is out of range: {}",
                reason()
            );
            let mut error = ServerError::new(message, Some(at));
            error.path = path.to_vec();
            self.errors.push(error);
        }
    }

    /// The `Int`s in `value`, of type `ty`, that do not fit: their input path and value.
    fn value(
        &self,
        value: &Value,
        ty: &Type,
        at: &str,
        found: &mut Vec<(String, i64)>,
        depth: usize,
    ) {
        if depth > MAX_NESTING || found.len() >= MAX_ERRORS {
            return;
        }
        match (&ty.base, value) {
            (BaseType::List(inner), Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(item, inner, &format!("{at}[{i}]"), found, depth + 1);
                }
            }
            // A single value where a list is expected is a list of one.
            (BaseType::List(inner), _) => self.value(value, inner, at, found, depth + 1),
            (BaseType::Named(name), Value::Number(n)) if name == "Int" => {
                if let Some(n) = n.as_i64()
                    && i32::try_from(n).is_err()
                {
                    found.push((at.to_owned(), n));
                }
            }
            (BaseType::Named(name), Value::Object(fields)) => {
                let Some(info) = self.index.get(name).filter(|t| t.kind == Kind::Input) else {
                    return;
                };
                for (key, inner) in fields {
                    if let Some((_, field_ty)) = info.inputs.iter().find(|(n, _)| n == key.as_str())
                    {
                        self.value(inner, field_ty, &format!("{at}.{key}"), found, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Why an out-of-range `Int` is refused.
fn reason() -> &'static str {
    "Int is a signed 32-bit integer (-2147483648 to 2147483647)"
}
