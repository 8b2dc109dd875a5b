//! The common forms of binding expressions (lookups, indexing, `default`, `string`,
//! `fixed`, arithmetic, comparisons, `map(attribute=…) | sum`, tests, `and`/`or`/`not`,
//! dict and list literals) evaluated directly on the JSON context, without converting it for
//! minijinja. Read at load by `native_parse`; whenever evaluation meets a case whose
//! minijinja result is not certain (a type it would convert, an overflow, a float shown as
//! text), it answers "don't know" and the expression is evaluated by minijinja instead, so
//! both ways always agree.

use std::borrow::Cow;

use serde_json::{Number, Value};

use crate::fast::{member, truthy};

/// A binding expression in the native subset.
#[derive(Debug, Clone, PartialEq)]
pub enum Native {
    /// A constant (`none` is null).
    Lit(Value),
    /// A top-level name.
    Name(String),
    /// `e.name`.
    Attr(Box<Native>, String),
    /// `e[i]`.
    Index(Box<Native>, Box<Native>),
    /// `e | filter`.
    Filter(Box<Native>, Filter),
    /// `e is [not] test`.
    Is(Box<Native>, Test, bool),
    /// `not e`.
    Not(Box<Native>),
    /// `a and b` (the deciding operand, as in Jinja).
    And(Box<Native>, Box<Native>),
    /// `a or b`.
    Or(Box<Native>, Box<Native>),
    /// A comparison.
    Cmp(Box<Native>, Cmp, Box<Native>),
    /// Arithmetic.
    Math(Box<Native>, Math, Box<Native>),
    /// `a ~ b`.
    Concat(Box<Native>, Box<Native>),
    /// `then if cond else other`: condition, then, other.
    Cond(Box<Native>, Box<Native>, Box<Native>),
    /// `{'k': e, …}`.
    Dict(Vec<(String, Native)>),
    /// `[e, …]`.
    List(Vec<Native>),
    /// `digits(n)`, `hex(n)`, `uuid()`, `random_token(n)`.
    Call(Func, Option<usize>),
}

/// A filter of the native subset.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `string`.
    String,
    /// `default(x)`.
    Default(Option<Box<Native>>),
    /// `fixed(n)`.
    Fixed(Option<Box<Native>>),
    /// `length`.
    Length,
    /// `sum`.
    Sum,
    /// `first`.
    First,
    /// `lower`.
    Lower,
    /// `list`.
    List,
    /// `map(attribute='a.b')`.
    Map(Vec<String>),
}

/// A test of the native subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// `defined`.
    Defined,
    /// `undefined`.
    Undefined,
    /// `none`.
    None,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Math {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/` (always a float, as in Jinja).
    Div,
}

/// A function of the native subset (the environment's random makers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `digits(n)`.
    Digits,
    /// `hex(n)`.
    Hex,
    /// `uuid()`.
    Uuid,
    /// `random_token(n)`.
    RandomToken,
}

/// A value met while evaluating: undefined, or a JSON value borrowed from the context when
/// it can be.
#[derive(Debug, Clone)]
pub enum Val<'a> {
    /// Undefined (a missing name or key).
    Undef,
    /// A value; `none` is null.
    Json(Cow<'a, Value>),
}

impl<'a> Val<'a> {
    fn json(&self) -> Option<&Value> {
        match self {
            Val::Undef => None,
            Val::Json(v) => Some(v),
        }
    }
    fn own(v: Value) -> Val<'a> {
        Val::Json(Cow::Owned(v))
    }
    fn truthy(&self) -> bool {
        truthy(self.json())
    }
}

/// Where names are looked up.
pub type Names<'n, 'a> = &'n dyn Fn(&str) -> Option<&'a Value>;

impl Native {
    /// Evaluates; `None` when the result is for minijinja to say.
    pub fn eval<'a>(&'a self, names: Names<'_, 'a>) -> Option<Val<'a>> {
        Some(match self {
            Native::Lit(v) => Val::Json(Cow::Borrowed(v)),
            Native::Name(n) => names(n).map_or(Val::Undef, |v| Val::Json(Cow::Borrowed(v))),
            Native::Attr(e, k) => step(e.eval(names)?, At::Name(k))?,
            Native::Index(e, i) => {
                let at = e.eval(names)?;
                let i = i.eval(names)?;
                step(at, At::Value(i.json()?))?
            }
            Native::Filter(e, f) => filter(e.eval(names)?, f, names)?,
            Native::Is(e, t, negated) => {
                let v = e.eval(names)?;
                let hit = match t {
                    Test::Defined => !matches!(v, Val::Undef),
                    Test::Undefined => matches!(v, Val::Undef),
                    Test::None => matches!(v.json(), Some(Value::Null)),
                };
                Val::own(Value::Bool(hit != *negated))
            }
            Native::Not(e) => Val::own(Value::Bool(!e.eval(names)?.truthy())),
            Native::And(a, b) => {
                let a = a.eval(names)?;
                if a.truthy() { b.eval(names)? } else { a }
            }
            Native::Or(a, b) => {
                let a = a.eval(names)?;
                if a.truthy() { a } else { b.eval(names)? }
            }
            Native::Cmp(a, op, b) => Val::own(Value::Bool(compare(
                a.eval(names)?.json()?,
                *op,
                b.eval(names)?.json()?,
            )?)),
            Native::Math(a, op, b) => {
                Val::own(math(a.eval(names)?.json()?, *op, b.eval(names)?.json()?)?)
            }
            Native::Concat(a, b) => {
                let mut s = text(&a.eval(names)?)?;
                s.push_str(&text(&b.eval(names)?)?);
                Val::own(Value::String(s))
            }
            Native::Cond(c, then, other) => {
                if c.eval(names)?.truthy() {
                    then.eval(names)?
                } else {
                    other.eval(names)?
                }
            }
            Native::Dict(fields) => {
                // minijinja keeps a literal's keys sorted; the parser sorts them (a later
                // key replacing an earlier), so the members go in as they are.
                if !fields.is_sorted_by(|a, b| a.0 < b.0) {
                    let mut sorted = std::collections::BTreeMap::new();
                    for (k, e) in fields {
                        sorted.insert(k.as_str(), e.eval(names)?.json()?.clone());
                    }
                    let m = sorted.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                    return Some(Val::own(Value::Object(m)));
                }
                let mut m = serde_json::Map::with_capacity(fields.len());
                for (k, e) in fields {
                    m.insert(k.clone(), e.eval(names)?.json()?.clone());
                }
                Val::own(Value::Object(m))
            }
            Native::List(items) => {
                let mut a = Vec::with_capacity(items.len());
                for e in items {
                    a.push(e.eval(names)?.json()?.clone());
                }
                Val::own(Value::Array(a))
            }
            Native::Call(f, n) => Val::own(Value::String(match f {
                Func::Digits => crate::expr::digits(n.unwrap_or(6)),
                Func::Hex => crate::expr::hex(n.unwrap_or(32)),
                Func::Uuid => crate::expr::uuid(),
                Func::RandomToken => crate::expr::random_token(n.unwrap_or(24)),
            })),
        })
    }
}

/// A key to look up: `.name` (as written) or `[e]` (a value).
#[derive(Clone, Copy)]
enum At<'k> {
    Name(&'k str),
    Value(&'k Value),
}

/// `at[key]` / `at.key`: a missing key is undefined; anything but a string into an object
/// or an integer into an array is minijinja's.
fn step<'a>(at: Val<'a>, key: At<'_>) -> Option<Val<'a>> {
    let Val::Json(at) = at else {
        return Some(Val::Undef);
    };
    let found = |v: Option<&Value>| v.cloned();
    let (name, number) = match key {
        At::Name(k) => (Some(k), None),
        At::Value(Value::String(k)) => (Some(k.as_str()), None),
        At::Value(Value::Number(n)) => (None, Some(n)),
        At::Value(_) => (None, None),
    };
    Some(match (at, name, number) {
        (Cow::Borrowed(Value::Object(m)), Some(k), _) => {
            member(m, k).map_or(Val::Undef, |v| Val::Json(Cow::Borrowed(v)))
        }
        (Cow::Borrowed(Value::Array(a)), _, Some(n)) => {
            let i = usize::try_from(n.as_u64()?).ok()?;
            a.get(i).map_or(Val::Undef, |v| Val::Json(Cow::Borrowed(v)))
        }
        (Cow::Owned(Value::Object(m)), Some(k), _) => {
            found(member(&m, k)).map_or(Val::Undef, Val::own)
        }
        (Cow::Owned(Value::Array(a)), _, Some(n)) => {
            let i = usize::try_from(n.as_u64()?).ok()?;
            found(a.get(i)).map_or(Val::Undef, Val::own)
        }
        // Chained undefined: nothing to look into gives undefined, not an error.
        (Cow::Borrowed(Value::Null | Value::Bool(_) | Value::Number(_)), _, _)
        | (Cow::Owned(Value::Null | Value::Bool(_) | Value::Number(_)), _, _) => Val::Undef,
        _ => return None,
    })
}

fn filter<'a>(v: Val<'a>, f: &'a Filter, names: Names<'_, 'a>) -> Option<Val<'a>> {
    Some(match f {
        Filter::Default(x) => match v {
            Val::Undef => match x {
                Some(x) => x.eval(names)?,
                None => Val::own(Value::String(String::new())),
            },
            v => v,
        },
        Filter::String => match v.json()? {
            Value::String(_) => v,
            Value::Number(n) if n.is_i64() || n.is_u64() => Val::own(Value::String(n.to_string())),
            Value::Bool(b) => Val::own(Value::String(b.to_string())),
            _ => return None,
        },
        Filter::Fixed(n) => {
            let x = v.json()?.as_number()?.as_f64()?;
            let n = match n {
                Some(n) => usize::try_from(n.eval(names)?.json()?.as_u64()?).ok()?,
                None => 2,
            };
            Val::own(Value::String(crate::fixed::fixed(x, n)))
        }
        Filter::Length => Val::own(Value::from(match v.json()? {
            Value::String(s) => s.chars().count(),
            Value::Array(a) => a.len(),
            Value::Object(m) => m.len(),
            _ => return None,
        })),
        Filter::Sum => {
            let mut total = Value::from(0);
            for x in v.json()?.as_array()? {
                total = math(&total, Math::Add, x)?;
            }
            Val::own(total)
        }
        Filter::First => match v.json()? {
            Value::Array(a) => a.first().cloned().map_or(Val::Undef, Val::own),
            _ => return None,
        },
        Filter::Lower => match v.json()? {
            Value::String(s) if s.is_ascii() => Val::own(Value::String(s.to_ascii_lowercase())),
            _ => return None,
        },
        Filter::List => match v.json()? {
            Value::Array(_) => v,
            _ => return None,
        },
        Filter::Map(keys) => {
            let mut out = Vec::new();
            for item in v.json()?.as_array()? {
                let mut at = item;
                for k in keys {
                    at = member(at.as_object()?, k)?;
                }
                out.push(at.clone());
            }
            Val::own(Value::Array(out))
        }
    })
}

/// A number as minijinja holds it.
enum Num {
    Int(i64),
    Float(f64),
}

fn num(v: &Value) -> Option<Num> {
    let n = v.as_number()?;
    match n.as_i64() {
        Some(i) => Some(Num::Int(i)),
        None if n.is_f64() => n.as_f64().map(Num::Float),
        None => None,
    }
}

fn math(a: &Value, op: Math, b: &Value) -> Option<Value> {
    let float = |x: f64| Number::from_f64(x).map(Value::Number);
    match (num(a)?, num(b)?) {
        (Num::Int(x), Num::Int(y)) => match op {
            Math::Add => x.checked_add(y).map(Value::from),
            Math::Sub => x.checked_sub(y).map(Value::from),
            Math::Mul => x.checked_mul(y).map(Value::from),
            Math::Div if y != 0 => float(x as f64 / y as f64),
            Math::Div => None,
        },
        (x, y) => {
            let f = |n: Num| match n {
                Num::Int(i) => i as f64,
                Num::Float(f) => f,
            };
            let (x, y) = (f(x), f(y));
            let r = match op {
                Math::Add => x + y,
                Math::Sub => x - y,
                Math::Mul => x * y,
                Math::Div if y != 0.0 => x / y,
                Math::Div => return None,
            };
            r.is_finite().then(|| float(r)).flatten()
        }
    }
}

fn compare(a: &Value, op: Cmp, b: &Value) -> Option<bool> {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (a, b) {
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Number(_), Value::Number(_)) => match (num(a)?, num(b)?) {
            (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
            (x, y) => {
                let f = |n: Num| match n {
                    Num::Int(i) => i as f64,
                    Num::Float(f) => f,
                };
                f(x).partial_cmp(&f(y))
            }
        },
        (Value::Bool(x), Value::Bool(y)) if matches!(op, Cmp::Eq | Cmp::Ne) => Some(x.cmp(y)),
        (Value::Null, Value::Null) if matches!(op, Cmp::Eq | Cmp::Ne) => Some(Ordering::Equal),
        _ => None,
    };
    let ord = ord?;
    Some(match op {
        Cmp::Eq => ord.is_eq(),
        Cmp::Ne => ord.is_ne(),
        Cmp::Lt => ord.is_lt(),
        Cmp::Le => ord.is_le(),
        Cmp::Gt => ord.is_gt(),
        Cmp::Ge => ord.is_ge(),
    })
}

/// A value as `~` writes it: strings and integers only (minijinja writes floats its way).
fn text(v: &Val<'_>) -> Option<String> {
    match v {
        Val::Undef => Some(String::new()),
        Val::Json(v) => match v.as_ref() {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
            _ => None,
        },
    }
}
