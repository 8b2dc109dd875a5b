//! The `Cartwright-Violations` header: every contract violation of an exchange on one
//! line, bounded, in characters any HTTP stack carries.

use super::VIOLATIONS_HEADER;
use crate::Outgoing;

/// The longest `Cartwright-Violations` value: past it the list is cut and says how many
/// more there were (a header is no place for a whole report; the journal has every one).
const HEADER_LIMIT: usize = 2048;

/// Sets `Cartwright-Violations` to the list, cut to [`HEADER_LIMIT`]; nothing when the
/// exchange kept the contract.
pub(super) fn set_violations(out: &mut Outgoing, violations: &[String]) {
    if violations.is_empty() {
        return;
    }
    out.set(VIOLATIONS_HEADER, &header_value(violations));
}

/// The violations as one header line: `; `-separated, visible ASCII only, bounded.
fn header_value(violations: &[String]) -> String {
    let mut text = String::new();
    for (i, v) in violations.iter().enumerate() {
        let clean: String = v
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        let sep = if text.is_empty() { "" } else { "; " };
        let more = violations.len() - i;
        if text.len() + sep.len() + clean.len() > HEADER_LIMIT {
            let tail = format!("; … {more} more");
            let room = HEADER_LIMIT.saturating_sub(text.len() + tail.len() + sep.len());
            if room > 16 {
                text.push_str(sep);
                text.push_str(&clean[..room]);
            }
            text.push_str(&tail.replace('…', "..."));
            return text;
        }
        text.push_str(sep);
        text.push_str(&clean);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_bounded_and_says_how_many_were_cut() {
        let many: Vec<String> = (0..200)
            .map(|i| format!("response: /items/{i}/id: \"é\" is not an integer"))
            .collect();
        let v = header_value(&many);
        assert!(v.len() <= HEADER_LIMIT, "{}", v.len());
        assert!(v.ends_with(" more"), "{v}");
        assert!(v.is_ascii());
        assert!(http::HeaderValue::from_str(&v).is_ok());
        assert_eq!(
            header_value(&["request: not in the spec".into()]),
            "request: not in the spec"
        );
    }
}
