//! Values nobody used before — e-mail addresses, references, keys — so reruns against a
//! server that remembers the last run (registered addresses, idempotency keys) start clean,
//! and two sessions belong to two people. Each has the scenario template a replay computes
//! its own from.

/// A value nobody used before: 16 random bytes as hex, so reruns against a server that
/// remembers the last run (registered addresses, idempotency keys) start clean.
pub fn nonce() -> String {
    cartwright_model::random(16)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A random version-4 UUID, for references a schema wants as `format: uuid`.
pub fn uuid() -> String {
    let mut b = cartwright_model::random(16);
    b.resize(16, 0);
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

/// A fresh e-mail address, lower case as the specs keep addresses.
pub fn email() -> String {
    format!("cw-{}@example.com", nonce())
}

/// The scenario variable template of a fresh address.
pub const EMAIL_TEMPLATE: &str = "cw-{{ uuid() }}@example.com";

/// The scenario variable template of a fresh reference.
pub const UUID_TEMPLATE: &str = "{{ uuid() }}";
