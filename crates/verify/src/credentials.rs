//! Credentials for the operations that need them, from `--auth`.
//!
//! `--auth NAME=VALUE` names one of the spec's security schemes and gives its value (the
//! token for bearer, `user:password` for basic, the key for an API key), so the value is put
//! where that scheme says. `bearer=TOKEN`, `basic=USER:PASSWORD` and `header=NAME:VALUE`
//! apply to any scheme of that kind, for specs whose scheme names are long or unknown.
//! `header=NAME:VALUE` for a header that no scheme of the spec declares (Medusa's
//! `x-publishable-api-key`) is sent on every request, as `-H` is. Nothing given is dropped:
//! an item that can place nothing is an error naming it ([`Credentials::check`]).
//! Without credentials a placeholder is sent, which a mock accepts and a real server refuses.

use base64::Engine;
use cartwright_model::{Api, SchemeKind};

use crate::VerifyError;

/// Parsed `--auth` values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    given: Vec<(String, String)>,
}

/// Where a credential goes in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    /// A header and its value.
    Header(String, String),
    /// A query parameter.
    Query(String, String),
    /// A cookie.
    Cookie(String, String),
}

impl Credentials {
    /// Parses `NAME=VALUE` items; an item without `=` is an error naming it.
    pub fn parse(items: &[String]) -> Result<Self, VerifyError> {
        let mut given = Vec::new();
        for item in items {
            let Some((k, v)) = item.split_once('=') else {
                return Err(VerifyError::Auth(item.clone()));
            };
            given.push((k.trim().to_owned(), v.to_owned()));
        }
        Ok(Credentials { given })
    }

    /// True when nothing was given.
    pub fn is_empty(&self) -> bool {
        self.given.is_empty()
    }

    /// Every item places something on `api`'s requests, or the first that cannot is an
    /// error naming it (by its key only: the value may be a secret).
    pub fn check(&self, api: &Api) -> Result<(), VerifyError> {
        let kinds =
            |f: fn(&SchemeKind) -> bool| api.security_schemes.iter().any(|(_, s)| f(&s.kind));
        for (k, v) in &self.given {
            let why = match k.as_str() {
                "bearer" if !kinds(|k| matches!(k, SchemeKind::Bearer)) => {
                    "the spec declares no bearer scheme"
                }
                "basic" if !kinds(|k| matches!(k, SchemeKind::Basic)) => {
                    "the spec declares no basic scheme"
                }
                "header" if header(v).is_none() => "expected header=NAME:VALUE",
                "bearer" | "basic" | "header" => continue,
                name => match api.security_scheme(name).map(|s| &s.kind) {
                    None => "not a security scheme of the spec",
                    Some(SchemeKind::Unchecked) => "that scheme cannot be sent over HTTP",
                    Some(_) => continue,
                },
            };
            return Err(VerifyError::AuthUnused {
                item: k.clone(),
                why: why.to_owned(),
            });
        }
        Ok(())
    }

    /// The `header=NAME:VALUE` items that no API-key header scheme of `api` takes: they are
    /// sent on every request.
    pub fn extra_headers(&self, api: &Api) -> Vec<(String, String)> {
        self.given
            .iter()
            .filter(|(k, _)| k == "header")
            .filter_map(|(_, v)| header(v))
            .filter(|(name, _)| {
                !api.security_schemes.iter().any(|(_, s)| {
                    matches!(&s.kind, SchemeKind::ApiKeyHeader(n) if n.eq_ignore_ascii_case(name))
                })
            })
            .collect()
    }

    /// Every value given, as it may appear on the wire, with the variable a written
    /// scenario names it by (`auth_bearer`, `auth_header_x_api_key`): so no value given
    /// is ever written out.
    pub fn secrets(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, v) in &self.given {
            match (k.as_str(), header(v)) {
                ("header", Some((name, value))) => {
                    out.push((format!("auth_header_{}", ident(&name)), value));
                }
                _ => out.push((format!("auth_{}", ident(k)), v.clone())),
            }
            // Basic credentials travel base64-encoded: the encoded form is a secret too.
            if k == "basic" || v.contains(':') {
                let b64 = base64::engine::general_purpose::STANDARD.encode(v);
                out.push((format!("auth_{}_base64", ident(k)), b64));
            }
        }
        out
    }

    /// Names given that are neither a scheme of `api` nor a generic kind, for an early error.
    pub fn unknown<'a>(&'a self, api: &Api) -> Vec<&'a str> {
        self.given
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| {
                !matches!(*k, "bearer" | "basic" | "header") && api.security_scheme(k).is_none()
            })
            .collect()
    }

    /// The credential for the scheme `name` of `api`: the given one, else `placeholder`
    /// decides whether a stand-in is sent (`None` when nothing fits).
    pub fn place(&self, api: &Api, name: &str, placeholder: bool) -> Option<Placed> {
        let scheme = api.security_scheme(name)?;
        let own = self.value(name);
        let generic = |kind: &str| self.value(kind);
        match &scheme.kind {
            SchemeKind::ApiKeyHeader(n) => own
                .or_else(|| header_for(self.values("header"), n))
                .or_else(|| placeholder.then(|| "test-key".to_owned()))
                .map(|v| Placed::Header(n.clone(), v)),
            SchemeKind::ApiKeyQuery(n) => own
                .or_else(|| placeholder.then(|| "test-key".to_owned()))
                .map(|v| Placed::Query(n.clone(), v)),
            SchemeKind::ApiKeyCookie(n) => own
                .or_else(|| placeholder.then(|| "test-key".to_owned()))
                .map(|v| Placed::Cookie(n.clone(), v)),
            SchemeKind::Bearer => own
                .or_else(|| generic("bearer"))
                .or_else(|| placeholder.then(|| "test-token".to_owned()))
                .map(|v| Placed::Header("authorization".into(), format!("Bearer {v}"))),
            SchemeKind::Basic => own
                .or_else(|| generic("basic"))
                .or_else(|| placeholder.then(|| "user:pw".to_owned()))
                .map(|v| {
                    Placed::Header(
                        "authorization".into(),
                        format!(
                            "Basic {}",
                            base64::engine::general_purpose::STANDARD.encode(v)
                        ),
                    )
                }),
            SchemeKind::OtherHttp(s) => own
                .or_else(|| placeholder.then(|| "test".to_owned()))
                .map(|v| Placed::Header("authorization".into(), format!("{s} {v}"))),
            SchemeKind::Unchecked => None,
        }
    }

    /// True when the user gave a real credential usable for scheme `name`.
    pub fn has(&self, api: &Api, name: &str) -> bool {
        self.place(api, name, false).is_some()
    }

    fn values(&self, name: &str) -> Vec<String> {
        self.given
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn value(&self, name: &str) -> Option<String> {
        self.given
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// `header=NAME:VALUE` applies to an API-key header scheme of the same name; several such
/// items may be given, one per header.
fn header_for(given: Vec<String>, name: &str) -> Option<String> {
    given
        .iter()
        .rev()
        .filter_map(|g| header(g))
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// `NAME:VALUE` (a `-H` value, or a `header=` item), trimmed; `None` without a name.
pub fn header(item: &str) -> Option<(String, String)> {
    let (k, v) = item.split_once(':')?;
    let k = k.trim();
    let token = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    let v = v.trim();
    (token && !v.bytes().any(|b| b == b'\r' || b == b'\n')).then(|| (k.to_owned(), v.to_owned()))
}

/// The `--auth` item a `-H` header stands for when a scheme of `api` carries it: an
/// API-key header, or `Authorization: Bearer …` for a bearer scheme.
pub fn as_auth(api: &Api, name: &str, value: &str) -> Option<String> {
    let mut kinds = api.security_schemes.iter().map(|(_, s)| &s.kind);
    if name.eq_ignore_ascii_case("authorization") {
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))?;
        return kinds
            .any(|k| matches!(k, SchemeKind::Bearer))
            .then(|| format!("bearer={token}"));
    }
    kinds
        .any(|k| matches!(k, SchemeKind::ApiKeyHeader(n) if n.eq_ignore_ascii_case(name)))
        .then(|| format!("header={name}:{value}"))
}

/// A header or scheme name as a template variable name: lower case, `_` for the rest.
pub fn ident(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}
