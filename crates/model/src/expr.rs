//! Expressions in behaviour bindings (`state.items | length`, `request.path.country`),
//! compiled once at load with minijinja's expression language, so a QA engineer writes what
//! they know from Jinja templates and a request only evaluates.
//!
//! All expressions share one environment, built by [`environment`] — the one factory that the
//! scenario runner's templates also start from, so both speak one dialect. Its extra functions
//! make mock data:
//! `random_token(n)` (n random bytes, base64url, from the operating system's CSPRNG), `hex(n)`,
//! `digits(n)` (uniform decimal digits), `uuid()`,
//! and the filters `iso` (unix seconds to an RFC 3339 UTC timestamp) and `fixed(n)` (a
//! number as text with n decimals, for money: `3 | fixed` is `"3.00"`).

use std::sync::LazyLock;

use minijinja::value::Value as JinjaValue;
use minijinja::{Environment, Error, ErrorKind, Expression};
use rand::TryRngCore;
use rand::rngs::OsRng;
use serde_json::Value;

use crate::fast::{Fast, recognise};
use crate::native::Native;

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = environment();
    // `auth.user.state.email` is simply undefined when nobody is signed in.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    env
});

/// What is wrong with an expression: its syntax, or what evaluating it met.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ExprError(pub String);

/// A compiled expression and its source text.
pub struct Expr {
    source: String,
    compiled: Expression<'static, 'static>,
    fast: Option<Fast>,
    native: Option<Box<Native>>,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({:?})", self.source)
    }
}

impl Expr {
    /// Compiles `source`; the error says what is wrong with the syntax.
    pub fn compile(source: &str) -> Result<Expr, ExprError> {
        let compiled = ENV
            .compile_expression_owned(source.to_owned())
            .map_err(|e| ExprError(describe(&e)))?;
        Ok(Expr {
            source: source.to_owned(),
            compiled,
            fast: recognise(source),
            native: crate::native_parse::parse(source).map(Box::new),
        })
    }

    /// The expression as a plain path or literal, when it is one.
    pub fn fast(&self) -> Option<&Fast> {
        self.fast.as_ref()
    }

    /// The expression as a tree of native operations, when every part of it is one
    /// (evaluation may still hand a case back to minijinja).
    pub fn native(&self) -> Option<&Native> {
        self.native.as_deref()
    }

    /// The text it was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates against a context; `None` when the result is undefined or `none`, so a
    /// binding can say "leave this out" (a token that `API-token: none` suppresses).
    pub fn eval(&self, ctx: &JinjaValue) -> Result<Option<Value>, ExprError> {
        let v = self
            .compiled
            .eval(ctx)
            .map_err(|e| ExprError(format!("`{}`: {}", self.source, describe(&e))))?;
        if v.is_undefined() || v.is_none() {
            return Ok(None);
        }
        serde_json::to_value(&v).map(Some).map_err(|e| {
            ExprError(format!(
                "`{}` gave a value JSON cannot hold: {e}",
                self.source
            ))
        })
    }

    /// Evaluates to a truth value (undefined is false).
    pub fn truthy(&self, ctx: &JinjaValue) -> Result<bool, ExprError> {
        self.compiled
            .eval(ctx)
            .map(|v| v.is_true())
            .map_err(|e| ExprError(format!("`{}`: {}", self.source, describe(&e))))
    }
}

/// Converts a JSON context once per request, so each evaluation only looks values up.
pub fn context(value: &Value) -> JinjaValue {
    JinjaValue::from_serialize(value)
}

fn describe(e: &Error) -> String {
    match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    }
}

/// A minijinja environment with cartwright's functions and filters; each user sets how
/// undefined names behave (behaviours chain them, scenarios refuse them).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_function("random_token", |n: Option<usize>| {
        random_token(n.unwrap_or(24))
    });
    env.add_function("hex", |n: Option<usize>| hex(n.unwrap_or(32)));
    env.add_function("digits", |n: Option<usize>| digits(n.unwrap_or(6)));
    env.add_function("uuid", uuid);
    env.add_filter("fixed", |x: f64, decimals: Option<usize>| {
        crate::fixed::fixed(x, decimals.unwrap_or(2))
    });
    env.add_filter("iso", |secs: i64| -> Result<String, Error> {
        if !(0..=253_402_300_799).contains(&secs) {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "timestamp out of range",
            ));
        }
        Ok(crate::time::iso(secs))
    });
    env
}

/// `n` random bytes, base64url: `random_token(n)`.
pub(crate) fn random_token(n: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random(n))
}

/// `n` random hexadecimal digits (at most 2048): `hex(n)`.
pub(crate) fn hex(n: usize) -> String {
    let hex: String = random(n.div_ceil(2))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    hex[..n.min(hex.len())].to_owned()
}

/// `n` bytes (at most 1024) from the operating system's CSPRNG (`getrandom`): every token,
/// code and key is made from these, never from `--seed`, so no run can predict another's
/// credentials.
pub fn random(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n.min(1024)];
    // The OS source fails only on a broken system; a credential must not come from a
    // lesser one, so that is fatal.
    OsRng
        .try_fill_bytes(&mut b)
        .expect("the operating system's random source failed");
    b
}

/// `n` (at most 1024) uniformly random decimal digits: one-time codes. A byte of 250 or
/// more is drawn again (rejection sampling), as `b % 10` over all 256 values would favour
/// 0 to 5.
pub fn digits(n: usize) -> String {
    let n = n.min(1024);
    let mut out = String::with_capacity(n);
    while out.len() < n {
        for b in random(n - out.len()) {
            if b < 250 {
                out.push(char::from(b'0' + b % 10));
            }
        }
    }
    out
}

/// A random version-4 UUID from the CSPRNG: the one builder tokens, references and ids share.
pub fn uuid() -> String {
    let mut b = random(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn evaluates_against_json_and_reports_syntax() {
        let ctx = context(&json!({"state": {"items": [{"q": 2}, {"q": 3}]}, "p": "CA"}));
        let e = Expr::compile("state.items | map(attribute='q') | sum").expect("compiles");
        assert_eq!(e.eval(&ctx), Ok(Some(json!(5))));
        assert_eq!(Expr::compile("missing").expect("c").eval(&ctx), Ok(None));
        assert!(Expr::compile("p ==").is_err());
        let e = Expr::compile("(state['items'] | map(attribute='q') | sum) | fixed ~ ' USD'");
        assert_eq!(e.expect("c").eval(&ctx), Ok(Some(json!("5.00 USD"))));
        let e = Expr::compile("request.body.quantity | default(1)").expect("c");
        assert_eq!(
            e.eval(&context(&json!({"request": {"body": null}}))),
            Ok(Some(json!(1)))
        );
        let deep = context(&json!({"items": [{"a": {"q": 2}}, {"a": {"q": 5}}]}));
        let e = Expr::compile("items | map(attribute='a.q') | sum").expect("c");
        assert_eq!(e.eval(&deep), Ok(Some(json!(7))));
        let e = Expr::compile("'61-2' | split('-') | first").expect("c");
        assert_eq!(e.eval(&ctx), Ok(Some(json!("61"))));
        let t = Expr::compile("random_token(16)")
            .expect("c")
            .eval(&ctx)
            .expect("e");
        assert_eq!(t.and_then(|v| v.as_str().map(str::len)), Some(22));
    }

    #[test]
    fn digits_are_uniform() {
        // A million digits: each is expected 100,000 times (σ ≈ 300); `b % 10` over every
        // byte would give 0 to 5 about 101,560 times and 6 to 9 about 97,660 times.
        let mut counts = [0u32; 10];
        for _ in 0..1000 {
            let d = digits(1000);
            assert_eq!(d.len(), 1000);
            for c in d.bytes() {
                counts[usize::from(c - b'0')] += 1;
            }
        }
        for (digit, n) in counts.iter().enumerate() {
            assert!(
                n.abs_diff(100_000) < 1500,
                "{digit} drawn {n} times: {counts:?}"
            );
        }
    }
}
