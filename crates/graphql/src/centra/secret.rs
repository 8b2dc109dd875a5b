//! Secrets and session tokens: tokens come from the operating system's CSPRNG, never from
//! `--seed` (the seed governs data, not credentials: no process can predict another's
//! tokens), and every comparison of a secret, a token or a password takes the same time
//! wherever the two differ.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What a session is stored under: the SHA-256 of its token, so a lookup never compares
/// the token's bytes one by one.
pub(super) type Key = [u8; 32];

/// The storage key of a token.
pub(super) fn key(token: &str) -> Key {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether two secrets are equal, in time independent of where they differ (both are
/// hashed first, so not even their lengths show).
pub(super) fn same(a: &str, b: &str) -> bool {
    key(a).ct_eq(&key(b)).into()
}

/// A new session token: 128 bits from the operating system, as 32 hex digits.
pub(super) fn token() -> String {
    cartwright_model::random(16)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_distinct_and_compared_whole() {
        let (a, b) = (token(), token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b) && !same(&a, &a[..31]));
    }
}
