//! The keys of the language, read from the AST's own serde derives: a struct's field names
//! and an enum's variant names are what serde hands a deserializer, so a probe that only
//! records them gives the lists the parser checks keys against, never restated by hand.

use std::fmt::Display;

use serde::de::{DeserializeOwned, Deserializer, Visitor};

/// The keys a mapping of type `T` may have (its fields, or its variants for an enum);
/// empty for types that are not read from a mapping.
pub(crate) fn of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut found = None;
    // The probe always fails: it stops serde as soon as the names are known.
    let _ = T::deserialize(Probe(&mut found));
    found.unwrap_or(&[])
}

/// A deserializer that records the names serde asks for and reads nothing.
struct Probe<'a>(&'a mut Option<&'static [&'static str]>);

/// The probe's way of stopping serde.
#[derive(Debug, thiserror::Error)]
#[error("only the names of a type were asked for")]
struct Stop;

impl serde::de::Error for Stop {
    fn custom<T: Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        *self.0 = Some(fields);
        Err(Stop)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        *self.0 = Some(variants);
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{Include, MockAction, Ops, Step};

    #[test]
    fn names_come_from_the_types() {
        assert_eq!(of::<Include>(), ["file", "with"]);
        assert_eq!(
            of::<MockAction>(),
            ["reset", "advance", "outbox", "stub", "expect"]
        );
        assert!(of::<Ops>().contains(&"=="));
        assert!(of::<Step>().contains(&"request"));
        assert!(of::<Step>().contains(&"skip_if"));
        assert!(of::<String>().is_empty());
    }
}
