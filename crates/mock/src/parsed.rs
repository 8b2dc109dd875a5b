//! A request body as validation left it: parsed, or (a JSON body the schema's quick check
//! found valid) still text, parsed the first time something asks for its value. A request
//! that only needs to be valid (no behaviour, resource or stub reads it) is never parsed.

use std::cell::OnceCell;

use serde_json::Value;

/// The body's value, parsed now or on first use.
pub(crate) struct Parsed<'r> {
    /// The text parsed on the first ask; empty for a body given already parsed.
    text: &'r [u8],
    value: OnceCell<Option<Value>>,
}

impl<'r> Parsed<'r> {
    /// A body already parsed (or one with no value: none sent, or not looked into).
    pub(crate) fn now(value: Option<Value>) -> Self {
        Parsed {
            text: &[],
            value: OnceCell::from(value),
        }
    }

    /// JSON text known to parse, left for later.
    pub(crate) fn later(text: &'r [u8]) -> Self {
        Parsed {
            text,
            value: OnceCell::new(),
        }
    }

    /// The body's value, parsing it now if it was left for later.
    pub(crate) fn value(&self) -> Option<&Value> {
        self.value
            .get_or_init(|| serde_json::from_slice(self.text).ok())
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_parses_on_first_ask_and_now_keeps_what_it_was_given() {
        let later = Parsed::later(br#"{"a": [1, "x"]}"#);
        assert!(
            later.value.get().is_none(),
            "not parsed before it is asked for"
        );
        assert_eq!(later.value(), Some(&serde_json::json!({"a": [1, "x"]})));
        assert!(later.value.get().is_some());
        assert_eq!(Parsed::now(None).value(), None);
        assert_eq!(
            Parsed::now(Some(Value::from(3))).value(),
            Some(&Value::from(3))
        );
    }
}
