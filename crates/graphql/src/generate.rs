//! Values generated from the types, deterministic by seed: every value is a pure function of
//! a 64-bit key (the seed mixed with the owning entity and the field), so the same seed and the
//! same query give the same answer, and an entity reached by two paths reads the same.

use async_graphql::{Name, Value};

/// FNV-1a: a stable hash of a name (std's hasher may change between Rust versions).
pub(crate) fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Mixes two keys into a new one (splitmix64 finaliser over both).
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.rotate_left(29) ^ b.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// How many elements a generated list has: one to three.
pub(crate) fn list_len(key: u64) -> usize {
    1 + (key % 3) as usize
}

const ADJECTIVES: &[&str] = &[
    "Classic",
    "Relaxed",
    "Organic",
    "Merino",
    "Linen",
    "Cotton",
    "Recycled",
    "Slim",
    "Oversized",
    "Ribbed",
    "Cropped",
    "Quilted",
];
const NOUNS: &[&str] = &[
    "Shirt", "Sweater", "Jacket", "Trousers", "Sneaker", "Tote", "Scarf", "Beanie", "Dress",
    "Hoodie", "Coat", "Cardigan",
];
const WORDS: &[&str] = &[
    "soft", "woven", "everyday", "layer", "made", "to", "last", "in", "small", "batches", "with",
    "care",
];

/// A product-like name, e.g. "Merino Cardigan".
pub(crate) fn name(key: u64) -> String {
    let k = mix(key, 1);
    format!(
        "{} {}",
        ADJECTIVES[(k % ADJECTIVES.len() as u64) as usize],
        NOUNS[((k >> 16) % NOUNS.len() as u64) as usize]
    )
}

/// A URL slug for a name.
pub(crate) fn slug(name: &str) -> String {
    name.to_ascii_lowercase().replace(' ', "-")
}

fn sentence(key: u64) -> String {
    let n = 4 + (key % 5) as usize;
    let words: Vec<&str> = (0..n)
        .map(|i| WORDS[(mix(key, i as u64) % WORDS.len() as u64) as usize])
        .collect();
    let mut s = words.join(" ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s + "."
}

/// A scalar for `field` of type `type_name`.
pub(crate) fn scalar(type_name: &str, field: &str, key: u64) -> Value {
    let f = field.to_ascii_lowercase();
    match type_name {
        "Int" => Value::from(int(&f, key)),
        "Float" => Value::from((key % 100_000) as f64 / 100.0),
        "Boolean" => Value::Boolean(key & 1 == 1),
        "ID" => Value::String(format!("{:016x}", key)),
        "String" => Value::String(string(&f, key)),
        "Date" => Value::String(date(key)),
        // RFC 3339 in UTC, written with `Z` as every timestamp cartwright writes.
        "DateTimeTz" => Value::String(format!("{}T{:02}:{:02}:00Z", date(key), key % 24, key % 60)),
        "Map" | "JSON" => Value::Object(Default::default()),
        _ => Value::String(string(&f, key)),
    }
}

fn int(field: &str, key: u64) -> i64 {
    let k = (key % 1000) as i64;
    if field == "id" || field.ends_with("id") {
        1 + (key % 9999) as i64
    } else if field.contains("quantity") || field.contains("count") {
        k % 10
    } else {
        k % 100
    }
}

fn string(f: &str, key: u64) -> String {
    if f.ends_with("uri") {
        format!("{}-{}", slug(&name(key)), key % 1000)
    } else if f.contains("url") {
        format!("https://example.com/{f}/{}", key % 10_000)
    } else if f.contains("email") {
        format!("shopper{}@example.com", key % 1000)
    } else if f.ends_with("name") || f == "title" {
        name(key)
    } else if f == "code" || f.ends_with("code") {
        let a = (b'A' + (key % 26) as u8) as char;
        let b = (b'A' + ((key >> 8) % 26) as u8) as char;
        format!("{a}{b}")
    } else if f.contains("date") || f.ends_with("at") || f.ends_with("time") {
        format!("{} 12:00:00", date(key))
    } else if f == "id" || f.ends_with("id") || f == "sku" || f == "gtin" || f.contains("number") {
        format!("{}", 100_000 + key % 900_000)
    } else {
        sentence(key)
    }
}

/// A date in 2026, as `YYYY-MM-DD`.
fn date(key: u64) -> String {
    // 2026-01-01 is day 20454 after the epoch.
    cartwright_model::civil(20_454 + (key % 365) as i64)
}

/// An enum value chosen by key.
pub(crate) fn enum_value(values: &[String], key: u64) -> Value {
    match values.get((key % values.len().max(1) as u64) as usize) {
        Some(v) => Value::Enum(Name::new(v)),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_key_gives_the_same_value() {
        assert_eq!(scalar("String", "name", 7), scalar("String", "name", 7));
        assert_ne!(mix(1, 2), mix(2, 1));
        assert_eq!(date(0), "2026-01-01");
        let Value::String(t) = scalar("DateTimeTz", "createdAt", 7) else {
            panic!("a timestamp is a string")
        };
        assert!(t.starts_with("2026-") && t.ends_with(":00Z"), "{t}");
    }
}
