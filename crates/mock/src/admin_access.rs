//! Who may call the admin API (`/__cartwright/*`, and the GraphQL mock's GraphiQL): the
//! admin API reads one-time codes and resets state, so a web page the developer happens to
//! have open must not reach it. Four rules, in this order:
//!
//! 1. the admin token, when one is set, on every call (`Authorization: Bearer TOKEN`);
//! 2. without a token, `Host` must name loopback, `localhost` or the bound address, so a
//!    DNS-rebinding page (`evil.example` resolving to 127.0.0.1) is refused (421);
//! 3. a request whose `Origin` is not the mock's own is refused (403), and admin answers
//!    never carry CORS headers, so no other page reads them;
//! 4. a call that changes state (anything but `GET`/`HEAD`) needs
//!    `Content-Type: application/json` (415): a page can send `text/plain` or a form
//!    without a preflight, never JSON.

use std::net::IpAddr;

use http::{HeaderMap, Method, StatusCode, header};
use subtle::ConstantTimeEq;

/// The environment variable the admin token may come from.
pub const ADMIN_TOKEN_ENV: &str = "CARTWRIGHT_ADMIN_TOKEN";

/// Who may call the admin API.
#[derive(Clone, Default)]
pub struct AdminAccess {
    /// The token every admin call must carry as `Authorization: Bearer TOKEN`; `None`: no
    /// token is asked for (the mock is bound to loopback). Never logged or shown.
    pub token: Option<String>,
    /// Host names (or addresses) besides loopback and `localhost` that `Host` may name: the
    /// address the mock is bound to. An unspecified address (`0.0.0.0`, `::`) admits every
    /// IP address, since a rebinding page always names a domain.
    pub hosts: Vec<String>,
}

impl std::fmt::Debug for AdminAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminAccess")
            .field("token", &self.token.as_ref().map(|_| "(set)"))
            .field("hosts", &self.hosts)
            .finish()
    }
}

/// Why an admin call was refused: the status and a sentence saying what to send instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 401 (token), 421 (Host), 403 (Origin) or 415 (media type).
    pub status: StatusCode,
    /// A short title.
    pub title: &'static str,
    /// What was wrong and what is accepted.
    pub detail: String,
}

impl Refusal {
    fn new(status: StatusCode, title: &'static str, detail: String) -> Self {
        Refusal {
            status,
            title,
            detail,
        }
    }

    /// The `WWW-Authenticate` value a 401 carries.
    pub fn challenge(&self) -> Option<&'static str> {
        (self.status == StatusCode::UNAUTHORIZED).then_some("Bearer realm=\"cartwright admin\"")
    }
}

impl AdminAccess {
    /// Checks an admin call: every rule of the module.
    pub fn check(&self, method: &Method, headers: &HeaderMap) -> Result<(), Refusal> {
        self.check_page(headers)?;
        if let Some(token) = &self.token
            && !bearer_is(headers, token)
        {
            return Err(Refusal::new(
                StatusCode::UNAUTHORIZED,
                "Admin Token Required",
                "the admin API needs `Authorization: Bearer <admin token>` (the token given \
                 by --admin-token or CARTWRIGHT_ADMIN_TOKEN, or printed at start)"
                    .to_owned(),
            ));
        }
        if !matches!(*method, Method::GET | Method::HEAD) && !is_json(headers) {
            return Err(Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Admin Calls Take JSON",
                format!(
                    "{method} on the admin API needs `Content-Type: application/json` (a web \
                     page cannot send it without the mock's consent)"
                ),
            ));
        }
        Ok(())
    }

    /// Checks what a browser page could forge: `Host` (unless a token is set, which a page
    /// cannot know) and `Origin`. GraphiQL, opened by navigation, takes only this.
    pub fn check_page(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        if self.token.is_none()
            && let Some(host) = host
            && !self.host_allowed(host)
        {
            return Err(Refusal::new(
                StatusCode::MISDIRECTED_REQUEST,
                "Unknown Host",
                format!(
                    "Host `{host}` is not this mock's address: the admin API answers only to \
                     loopback, localhost and the address it is bound to"
                ),
            ));
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            if !same_origin(origin, host) {
                return Err(Refusal::new(
                    StatusCode::FORBIDDEN,
                    "Cross-Origin Admin Call",
                    format!("the admin API does not answer pages of other origins (`{origin}`)"),
                ));
            }
        }
        Ok(())
    }

    /// Whether `Host` (with or without a port) names this mock.
    fn host_allowed(&self, host: &str) -> bool {
        let name = host_name(host).to_ascii_lowercase();
        let name = name.trim_end_matches('.');
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let ip = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .ok();
        if ip.is_some_and(|ip| ip.is_loopback()) {
            return true;
        }
        self.hosts.iter().any(|h| {
            let h = h.trim_start_matches('[').trim_end_matches(']');
            let wildcard = h.parse::<IpAddr>().is_ok_and(|a| a.is_unspecified());
            (wildcard && ip.is_some()) || h.eq_ignore_ascii_case(name.trim_matches(['[', ']']))
        })
    }
}

/// `Host` without its port: `[::1]:4010` → `[::1]`, `localhost:4010` → `localhost`.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |i| &host[..=i]);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// Whether `Origin` is `http://HOST` of this very request (scheme aside).
fn same_origin(origin: &str, host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|a| a.eq_ignore_ascii_case(host))
}

/// Whether `Authorization: Bearer` carries `token`, compared in constant time.
fn bearer_is(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, given)) = value.trim().split_once(' ') else {
        return false;
    };
    scheme.eq_ignore_ascii_case("bearer")
        && bool::from(given.trim().as_bytes().ct_eq(token.as_bytes()))
}

/// Whether the body is declared `application/json` (parameters such as `charset` aside).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// A fresh admin token from the OS random source: 32 hex digits.
pub fn fresh_token() -> String {
    cartwright_model::random(16)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                http::HeaderName::from_bytes(k.as_bytes()).expect("a header name"),
                v.parse().expect("a header value"),
            );
        }
        h
    }

    #[test]
    fn hosts_of_loopback_and_the_bound_address_pass_others_do_not() {
        let open = AdminAccess::default();
        for ok in [
            "127.0.0.1:4010",
            "localhost",
            "LOCALHOST.:1",
            "[::1]:4010",
            "a.localhost",
        ] {
            assert!(open.host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.example:4010",
            "10.0.0.5:4010",
            "localhost.evil.example",
        ] {
            assert!(!open.host_allowed(bad), "{bad}");
        }
        let wide = AdminAccess {
            hosts: vec!["0.0.0.0".into()],
            ..AdminAccess::default()
        };
        assert!(wide.host_allowed("10.0.0.5:4010"));
        assert!(!wide.host_allowed("evil.example:4010"));
        let named = AdminAccess {
            hosts: vec!["mock.internal".into()],
            ..AdminAccess::default()
        };
        assert!(named.host_allowed("Mock.Internal:4010"));
    }

    #[test]
    fn the_token_is_a_bearer_token_and_nothing_else() {
        let guarded = AdminAccess {
            token: Some("s3cret".into()),
            ..AdminAccess::default()
        };
        let get = Method::GET;
        let refused = guarded.check(&get, &headers(&[])).expect_err("refused");
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert!(refused.challenge().is_some());
        for wrong in ["Bearer s3cre", "Basic s3cret", "s3cret", "Bearer s3cretx"] {
            let h = headers(&[("authorization", wrong)]);
            assert!(guarded.check(&get, &h).is_err(), "{wrong}");
        }
        let h = headers(&[("authorization", "bearer s3cret"), ("host", "evil.example")]);
        assert_eq!(guarded.check(&get, &h), Ok(()));
    }

    #[test]
    fn posts_need_json_and_origins_must_be_the_mock_itself() {
        let open = AdminAccess::default();
        let post = Method::POST;
        let plain = headers(&[("content-type", "text/plain")]);
        assert_eq!(
            open.check(&post, &plain).expect_err("refused").status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        let json = headers(&[("content-type", "Application/JSON; charset=utf-8")]);
        assert_eq!(open.check(&post, &json), Ok(()));
        let cross = headers(&[
            ("host", "127.0.0.1:4010"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert_eq!(
            open.check(&Method::GET, &cross)
                .expect_err("refused")
                .status,
            StatusCode::FORBIDDEN
        );
        let own = headers(&[
            ("host", "127.0.0.1:4010"),
            ("origin", "http://127.0.0.1:4010"),
        ]);
        assert_eq!(open.check(&Method::GET, &own), Ok(()));
    }
}
