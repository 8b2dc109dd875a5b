//! `{{ expression }}` interpolation. Expressions are minijinja's (`user.email`,
//! `items[0].id`, `price * 2`, filters), evaluated strictly: an undefined name is an error,
//! never an empty string that would send a request to the wrong place.
//!
//! Where a value lands decides how it is written: in a path each value is percent-encoded
//! as one segment (`a/b` → `a%2Fb`), unless written `raw(x)`, which inserts it as it is —
//! the explicit form for path-traversal payloads.
//!
//! A template is compiled once: loading a scenario compiles all of its strings ([`warm`]),
//! and [`Template::compile`] hands out the compiled one from then on, so sending a step
//! again (a retry, an `each`, an include run twice) compiles nothing.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use minijinja::value::Value as Jinja;
use minijinja::{Environment, Expression, UndefinedBehavior};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// Everything but RFC 3986 unreserved characters is encoded in a segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    // The behaviours' dialect (`uuid()` fresh per call, `random_token`, `iso`, ...) plus `raw`.
    let mut env = cartwright_model::environment();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_function("raw", |v: Jinja| Jinja::from_safe_string(text(&v)));
    env
});

/// A string with its interpolations compiled.
#[derive(Debug)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

#[derive(Debug)]
enum Part {
    Text(String),
    Expr(Box<Expression<'static, 'static>>, String),
}

/// What went wrong with a template: the expression and minijinja's reason.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("in `{{{{ {expr} }}}}`: {reason}")]
pub struct TemplateError {
    /// The expression as written.
    pub expr: String,
    /// Why it failed.
    pub reason: String,
}

/// Templates compiled so far, by source text: each is compiled once per process however
/// often it is sent (a step in a retry, an `each` or an include runs many times).
static COMPILED: LazyLock<Mutex<Compiled>> = LazyLock::new(Mutex::default);

type Compiled = HashMap<String, Result<Arc<Template>, TemplateError>>;

impl Template {
    /// The compiled template for a string: compiled on first use (scenarios are compiled
    /// when loaded, see [`warm`]), then shared.
    pub(crate) fn compile(src: &str) -> Result<Arc<Template>, TemplateError> {
        if !src.contains("{{") {
            // Plain text: nothing to compile, nothing worth keeping.
            return Template::build(src).map(Arc::new);
        }
        let mut cache = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(t) = cache.get(src) {
            return t.clone();
        }
        let t = Template::build(src).map(Arc::new);
        cache.insert(src.to_owned(), t.clone());
        t
    }

    /// Compiles every `{{ }}` of a string.
    fn build(src: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = src;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else {
                return Err(TemplateError {
                    expr: after.trim().to_owned(),
                    reason: "`{{` without a closing `}}`".into(),
                });
            };
            let expr = after[..close].trim();
            let compiled =
                ENV.compile_expression_owned(expr.to_owned())
                    .map_err(|e| TemplateError {
                        expr: expr.to_owned(),
                        reason: e.to_string(),
                    })?;
            parts.push(Part::Expr(Box::new(compiled), expr.to_owned()));
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Template { parts })
    }

    /// The top-level names the expressions read.
    pub(crate) fn names(&self) -> BTreeSet<String> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Expr(e, _) => Some(e.undeclared_variables(false)),
                Part::Text(_) => None,
            })
            .flatten()
            .filter(|n| !ENV.globals().any(|(g, _)| g == n))
            .collect()
    }

    /// The string with each interpolation replaced by `x`: the shape of a path, for
    /// matching it against the spec's templates without values.
    pub(crate) fn shape(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.as_str(),
                Part::Expr(..) => "x",
            })
            .collect()
    }

    /// The text, values written as they are.
    pub(crate) fn text(&self, vars: &Jinja) -> Result<String, TemplateError> {
        self.join(vars, text)
    }

    /// A path: each value percent-encoded as one segment, `raw(x)` as it is.
    pub(crate) fn path(&self, vars: &Jinja) -> Result<String, TemplateError> {
        self.join(vars, |v| {
            let t = text(v);
            if v.is_safe() {
                t
            } else {
                utf8_percent_encode(&t, SEGMENT).to_string()
            }
        })
    }

    /// A JSON value: a string that is exactly one `{{ }}` keeps the value's type.
    pub(crate) fn value(&self, vars: &Jinja) -> Result<Value, TemplateError> {
        if let [Part::Expr(e, src)] = self.parts.as_slice() {
            let v = eval(e, src, vars)?;
            return serde_json::to_value(&v).map_err(|e| TemplateError {
                expr: src.clone(),
                reason: e.to_string(),
            });
        }
        self.text(vars).map(Value::String)
    }

    fn join(
        &self,
        vars: &Jinja,
        write: impl Fn(&Jinja) -> String,
    ) -> Result<String, TemplateError> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Expr(e, src) => out.push_str(&write(&eval(e, src, vars)?)),
            }
        }
        Ok(out)
    }
}

/// Evaluates an expression (`a > 1` or `{{ a > 1 }}`) as a condition.
pub(crate) fn truthy(src: &str, vars: &Jinja) -> Result<bool, TemplateError> {
    let t = Template::compile(&condition(src))?;
    match t.parts.as_slice() {
        [Part::Expr(e, src)] => Ok(eval(e, src, vars)?.is_true()),
        _ => Err(TemplateError {
            expr: src.trim().to_owned(),
            reason: "a condition is one expression".into(),
        }),
    }
}

/// A condition as the one-expression template it is evaluated as.
pub(crate) fn condition(src: &str) -> String {
    let inner = src
        .trim()
        .strip_prefix("{{")
        .and_then(|s| s.strip_suffix("}}"))
        .unwrap_or(src)
        .trim();
    format!("{{{{ {inner} }}}}")
}

/// Compiles every template of a scenario ahead of its run, so no step compiles one.
pub(crate) fn warm(s: &crate::ast::Scenario) {
    let mut strings = Vec::new();
    if let Ok(v) = serde_json::to_value(s) {
        strings_in(&v, &mut strings);
    }
    for step in &s.steps {
        if let Some(c) = &step.skip_if {
            strings.push(condition(c));
        }
        if let Some(g) = step.graphql()
            && let Some(Value::String(q)) = g.request().json.as_ref().and_then(|j| j.get("query"))
        {
            strings.push(q.clone());
        }
    }
    for text in strings.iter().filter(|t| t.contains("{{")) {
        // Errors are kept with the template and reported where it is used.
        let _ = Template::compile(text);
    }
}

/// Every string (keys included) inside a value.
fn strings_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings_in(x, out)),
        Value::Object(m) => {
            for (k, x) in m {
                out.push(k.clone());
                strings_in(x, out);
            }
        }
        _ => {}
    }
}

fn eval(e: &Expression<'_, '_>, src: &str, vars: &Jinja) -> Result<Jinja, TemplateError> {
    let undefined = || TemplateError {
        expr: src.to_owned(),
        reason: undefined_names(e, vars),
    };
    let v = e.eval(vars).map_err(|err| match err.kind() {
        minijinja::ErrorKind::UndefinedError => undefined(),
        _ => TemplateError {
            expr: src.to_owned(),
            reason: err.to_string(),
        },
    })?;
    // Strict mode only fails when an undefined value is used further; a bare one is caught
    // here so that `{{ typo }}` never becomes an empty string.
    if v.is_undefined() {
        return Err(undefined());
    }
    Ok(v)
}

/// Which names of an expression are undefined, said so the user can find where each should
/// have come from.
fn undefined_names(e: &Expression<'_, '_>, vars: &Jinja) -> String {
    let missing: Vec<String> = e
        .undeclared_variables(false)
        .into_iter()
        .filter(|n| !ENV.globals().any(|(g, _)| g == n))
        .filter(|n| vars.get_attr(n).map_or(true, |v| v.is_undefined()))
        .map(|n| format!("`{n}`"))
        .collect();
    match missing.as_slice() {
        [] => "a name in it is not defined".into(),
        [one] => format!(
            "{one} is not defined here: no earlier step that ran captured it, and no --env, \
             --secret or CARTWRIGHT_VAR_ gave it"
        ),
        many => format!(
            "{} are not defined here: no earlier step that ran captured them, and no --env, \
             --secret or CARTWRIGHT_VAR_ gave them",
            many.join(", ")
        ),
    }
}

/// A value as text: strings unquoted, everything else as JSON.
fn text(v: &Jinja) -> String {
    if let Some(s) = v.as_str() {
        return s.to_owned();
    }
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        Ok(j) => j.to_string(),
        Err(_) => v.to_string(),
    }
}

/// Interpolates every string inside a JSON value.
pub(crate) fn deep(v: &Value, vars: &Jinja) -> Result<Value, TemplateError> {
    Ok(match v {
        Value::String(s) => Template::compile(s)?.value(vars)?,
        Value::Array(a) => Value::Array(a.iter().map(|x| deep(x, vars)).collect::<Result<_, _>>()?),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| Ok((k.clone(), deep(x, vars)?)))
                .collect::<Result<_, TemplateError>>()?,
        ),
        other => other.clone(),
    })
}

/// The names every string inside a JSON value reads.
pub(crate) fn deep_names(v: &Value, out: &mut BTreeSet<String>) -> Result<(), TemplateError> {
    match v {
        Value::String(s) => out.extend(Template::compile(s)?.names()),
        Value::Array(a) => {
            for x in a {
                deep_names(x, out)?;
            }
        }
        Value::Object(m) => {
            for x in m.values() {
                deep_names(x, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars() -> Jinja {
        Jinja::from_serialize(
            json!({"v": "TEST+CODE", "up": "../admin/x", "n": 3, "o": {"a": [1, 2]}}),
        )
    }

    #[test]
    fn paths_encode_each_value_as_one_segment_unless_raw() {
        let t = Template::compile("/vouchers/{{ v }}").expect("compiles");
        assert_eq!(t.path(&vars()).expect("renders"), "/vouchers/TEST%2BCODE");
        let t = Template::compile("/vouchers/{{up}}").expect("compiles");
        assert_eq!(
            t.path(&vars()).expect("renders"),
            "/vouchers/..%2Fadmin%2Fx"
        );
        let t = Template::compile("/vouchers/{{ raw(up) }}").expect("compiles");
        assert_eq!(t.path(&vars()).expect("renders"), "/vouchers/../admin/x");
    }

    #[test]
    fn a_lone_expression_keeps_its_type() {
        assert_eq!(
            Template::compile("{{ n }}")
                .expect("c")
                .value(&vars())
                .expect("v"),
            json!(3)
        );
        assert_eq!(
            Template::compile("{{ o.a }}")
                .expect("c")
                .value(&vars())
                .expect("v"),
            json!([1, 2])
        );
        assert_eq!(
            Template::compile("n={{ n }}")
                .expect("c")
                .value(&vars())
                .expect("v"),
            json!("n=3")
        );
    }

    #[test]
    fn undefined_names_and_bad_syntax_are_errors_with_the_expression() {
        let e = Template::compile("{{ missing }}")
            .expect("c")
            .text(&vars())
            .expect_err("undefined");
        assert_eq!(e.expr, "missing");
        assert!(
            e.reason.starts_with("`missing` is not defined here"),
            "{}",
            e.reason
        );
        assert!(Template::compile("{{ a + }}").is_err());
        assert!(Template::compile("{{ a").is_err());
        let names = Template::compile("{{ a.b }}/{{ raw(c) }}")
            .expect("c")
            .names();
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["a", "c"]);
    }

    #[test]
    fn a_template_is_compiled_once_and_shared() {
        let a = Template::compile("/once/{{ n }}").expect("compiles");
        let b = Template::compile("/once/{{ n }}").expect("compiles");
        assert!(Arc::ptr_eq(&a, &b));
        let s: crate::ast::Scenario = serde_json::from_value(
            json!({"name": "w", "steps": [{"request": {"path": "/warm/{{ n }}"}, "skip_if": "n > 1"}]}),
        )
        .expect("scenario");
        warm(&s);
        let cache = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
        assert!(cache.contains_key("/warm/{{ n }}"));
        assert!(cache.contains_key("{{ n > 1 }}"));
    }

    #[test]
    fn conditions() {
        assert!(truthy("n > 2", &vars()).expect("evaluates"));
        assert!(!truthy("{{ n > 5 }}", &vars()).expect("evaluates"));
    }

    #[test]
    fn the_behaviours_dialect_is_spoken_too() {
        let t = Template::compile("{{ 0 | iso }} {{ 3 | fixed }} {{ digits(4) | length }}");
        assert_eq!(
            t.expect("c").text(&vars()).expect("renders"),
            "1970-01-01T00:00:00Z 3.00 4"
        );
        let t = Template::compile("{{ random_token(3) }}").expect("c");
        assert!(t.names().is_empty(), "functions are not variables");
    }
}
