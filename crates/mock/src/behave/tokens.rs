//! Tokens: made from the operating system's CSPRNG (at least 128 bits, whatever `--seed`
//! says), or HS256 JWTs signed with a secret (their `jti` from the same source).
//! Stores key sessions by the SHA-256 of the token, so a lookup never compares token bytes
//! one by one; secrets and signatures are compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use cartwright_model::{TokenFormat, random};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The key a token is stored under.
pub(super) type Key = [u8; 32];

/// The storage key of a token.
pub(super) fn key(token: &str) -> Key {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether two secrets are equal, in time independent of where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (key(a), key(b));
    a.ct_eq(&b).into()
}

/// What a JWT is signed with and says: key, subject, issued-at and expiry (unix seconds).
pub(super) type JwtParts<'a> = (&'a [u8], Option<&'a str>, i64, Option<i64>);

/// A new token of the format; a JWT needs its [`JwtParts`].
pub(super) fn make(format: &TokenFormat, jwt: Option<JwtParts<'_>>) -> String {
    match (format, jwt) {
        (TokenFormat::Random { bytes }, _) => B64.encode(random(*bytes)),
        (TokenFormat::Hex { chars }, _) => {
            let hex: String = random(chars.div_ceil(2))
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            hex[..*chars].to_owned()
        }
        (TokenFormat::Jwt { .. }, Some((secret, sub, iat, exp))) => {
            let mut claims = json!({"iat": iat, "jti": B64.encode(random(16))});
            if let Some(sub) = sub {
                claims["sub"] = json!(sub);
            }
            if let Some(exp) = exp {
                claims["exp"] = json!(exp);
            }
            sign(secret, &claims)
        }
        (TokenFormat::Jwt { .. }, None) => B64.encode(random(24)),
    }
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length")
}

/// Signs claims as an HS256 JWT.
pub(super) fn sign(secret: &[u8], claims: &Value) -> String {
    let header = B64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = B64.encode(claims.to_string());
    let input = format!("{header}.{payload}");
    let mut m = mac(secret);
    m.update(input.as_bytes());
    format!("{input}.{}", B64.encode(m.finalize().into_bytes()))
}

/// Why a JWT is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum JwtError {
    /// Not three base64url parts of JSON, or not HS256.
    Malformed,
    /// The signature does not match.
    Signature,
    /// `exp` is past.
    Expired,
}

/// Verifies an HS256 JWT's signature (constant time) and expiry against `now` (unix seconds).
pub(super) fn verify(secret: &[u8], token: &str, now: i64) -> Result<Value, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header: Value = B64
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::Malformed);
    }
    let sig = B64.decode(s).map_err(|_| JwtError::Malformed)?;
    let mut m = mac(secret);
    m.update(format!("{h}.{p}").as_bytes());
    m.verify_slice(&sig).map_err(|_| JwtError::Signature)?;
    let claims: Value = B64
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed)?;
    match claims.get("exp").and_then(Value::as_i64) {
        Some(exp) if exp <= now => Err(JwtError::Expired),
        _ => Ok(claims),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_round_trip_tamper_and_expiry() {
        let t = make(
            &TokenFormat::Jwt {
                key: "k".into(),
                subject: None,
            },
            Some((b"secret", Some("ada@example.com"), 100, Some(200))),
        );
        let claims = verify(b"secret", &t, 150).expect("valid");
        assert_eq!(claims["sub"], "ada@example.com");
        assert_eq!(verify(b"secret", &t, 200), Err(JwtError::Expired));
        assert_eq!(verify(b"other", &t, 150), Err(JwtError::Signature));
        let mut tampered = t.clone();
        tampered.insert(t.find('.').unwrap_or(0) + 2, 'x');
        assert!(verify(b"secret", &tampered, 150).is_err());
        assert_eq!(verify(b"secret", "a.b", 150), Err(JwtError::Malformed));
    }

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let f = TokenFormat::Random { bytes: 16 };
        let (a, b) = (make(&f, None), make(&f, None));
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert_eq!(make(&TokenFormat::Hex { chars: 64 }, None).len(), 64);
        assert!(same_secret("s3cret", "s3cret") && !same_secret("s3cret", "s3cre"));
    }
}
