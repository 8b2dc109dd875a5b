//! A JSON value seen by minijinja without converting it: objects and arrays are wrapped and
//! read on access, so an expression that touches `state.items` does not pay for converting
//! the request, `vars` and every other part of its context.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value as Jinja};
use serde_json::Value;

/// A node of a shared JSON document: the root and the path to the node.
#[derive(Debug)]
struct View {
    root: Arc<Value>,
    path: Vec<Step>,
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

impl View {
    fn node(&self) -> &Value {
        let mut at: &Value = &self.root;
        for s in &self.path {
            at = match (s, at) {
                (Step::Key(k), Value::Object(m)) => m.get(k).unwrap_or(&Value::Null),
                (Step::Index(i), Value::Array(a)) => a.get(*i).unwrap_or(&Value::Null),
                _ => &Value::Null,
            };
        }
        at
    }

    fn child(&self, step: Step) -> Jinja {
        let mut path = self.path.clone();
        path.push(step);
        let child = View {
            root: self.root.clone(),
            path,
        };
        wrap(child)
    }
}

/// Wraps a node: scalars are converted, containers stay views.
fn wrap(view: View) -> Jinja {
    match view.node() {
        Value::Object(_) | Value::Array(_) => Jinja::from_object(view),
        scalar => Jinja::from_serialize(scalar),
    }
}

impl Object for View {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        match self.node() {
            Value::Array(_) => ObjectRepr::Seq,
            _ => ObjectRepr::Map,
        }
    }

    fn get_value(self: &Arc<Self>, key: &Jinja) -> Option<Jinja> {
        match self.node() {
            Value::Object(m) => {
                let k = key.as_str()?;
                m.contains_key(k)
                    .then(|| self.child(Step::Key(k.to_owned())))
            }
            Value::Array(a) => {
                let i = key.as_usize()?;
                (i < a.len()).then(|| self.child(Step::Index(i)))
            }
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.node() {
            Value::Array(a) => Enumerator::Seq(a.len()),
            Value::Object(m) => {
                let keys: Vec<Jinja> = m.keys().map(|k| Jinja::from(k.as_str())).collect();
                Enumerator::Values(keys)
            }
            _ => Enumerator::Empty,
        }
    }
}

/// The context for minijinja over a shared JSON document.
pub fn view(root: Arc<Value>) -> Jinja {
    wrap(View {
        root,
        path: Vec::new(),
    })
}
