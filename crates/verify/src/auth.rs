//! Credentials for the operations that need them, from `--auth`.
//!
//! `--auth NAME=VALUE` names one of the spec's security schemes and gives its value (the
//! token for bearer, `user:password` for basic, the key for an API key), so the value is put
//! where that scheme says. `bearer=TOKEN`, `basic=USER:PASSWORD` and `header=NAME:VALUE`
//! apply to any scheme of that kind, for specs whose scheme names are long or unknown.
//! Without credentials a placeholder is sent, which a mock accepts and a real server refuses.

use base64::Engine;
use cartwright_model::{Api, SchemeKind};

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
    pub fn parse(items: &[String]) -> Result<Self, crate::VerifyError> {
        let mut given = Vec::new();
        for item in items {
            let Some((k, v)) = item.split_once('=') else {
                return Err(crate::VerifyError::Auth(item.clone()));
            };
            given.push((k.trim().to_owned(), v.to_owned()));
        }
        Ok(Credentials { given })
    }

    /// True when nothing was given.
    pub fn is_empty(&self) -> bool {
        self.given.is_empty()
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
                .or_else(|| header_for(self.value("header"), n))
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

    fn value(&self, name: &str) -> Option<String> {
        self.given
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// `header=NAME:VALUE` applies to an API-key header scheme of the same name.
fn header_for(given: Option<String>, name: &str) -> Option<String> {
    let given = given?;
    let (k, v) = given.split_once(':')?;
    k.trim()
        .eq_ignore_ascii_case(name)
        .then(|| v.trim().to_owned())
}
