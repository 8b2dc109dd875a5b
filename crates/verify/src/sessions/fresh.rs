//! Values nobody used before — e-mail addresses, references, keys — so reruns against a
//! server that remembers the last run (registered addresses, idempotency keys) start clean,
//! and two sessions belong to two people. Each has the scenario template a replay computes
//! its own from.

/// A value nobody used before: 16 random bytes as hex, so reruns against a server that
/// remembers the last run (registered addresses, idempotency keys) start clean.
pub(crate) fn nonce() -> String {
    cartwright_model::random(16)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A random version-4 UUID, for references a schema wants as `format: uuid`.
pub(crate) use cartwright_model::uuid;

/// A fresh e-mail address, lower case as the specs keep addresses.
pub(crate) fn email() -> String {
    format!("cw-{}@example.com", nonce())
}

/// The scenario variable template of a fresh address.
pub(crate) const EMAIL_TEMPLATE: &str = "cw-{{ uuid() }}@example.com";

/// The scenario variable template of a fresh reference.
pub(crate) const UUID_TEMPLATE: &str = "{{ uuid() }}";
