//! The JSON report: the run exactly as the outcome types serialize it, with its totals
//! beside it, so a script can read the counts without recounting cases.

use cartwright_outcome::Run;
use serde_json::{Map, Value};

/// Pretty JSON, `{"run": …, "totals": …}`, ending in a newline.
pub fn json(run: &Run) -> String {
    // The outcome types are plain structs with string keys and no custom serializers, so
    // serializing them cannot fail; a failure would be a bug in those types, not bad input.
    let mut doc = Map::new();
    doc.insert(
        "run".into(),
        serde_json::to_value(run).expect("a Run always serializes"),
    );
    doc.insert(
        "totals".into(),
        serde_json::to_value(run.totals()).expect("Totals always serialize"),
    );
    let mut text =
        serde_json::to_string_pretty(&Value::Object(doc)).expect("a JSON value always prints");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use cartwright_outcome::Run;

    fn parsed() -> Value {
        serde_json::from_str(&json(&fixture::run())).expect("valid JSON")
    }

    #[test]
    fn totals_travel_with_the_run() {
        let v = parsed();
        assert_eq!(v["totals"]["passed"], 1);
        assert_eq!(v["totals"]["failed"], 1);
        assert_eq!(v["totals"]["skipped"], 1);
        assert_eq!(v["totals"]["errored"], 2);
        assert_eq!(v["totals"]["steps"], 5);
        assert_eq!(v["run"]["cases"].as_array().map(Vec::len), Some(5));
    }

    #[test]
    fn the_run_reads_back_unchanged() {
        let v = parsed();
        let back: Run = serde_json::from_value(v["run"].clone()).expect("a Run");
        assert_eq!(back, fixture::run());
        assert_eq!(v["run"]["cases"][2]["steps"][1]["status"], "failed");
        assert_eq!(
            v["run"]["cases"][2]["steps"][1]["span"]["start"]["line"],
            12
        );
    }

    #[test]
    fn keys_come_in_a_stable_order() {
        let text = json(&fixture::run());
        assert!(text.starts_with("{\n  \"run\": {\n    \"name\": \"cartwright run\""));
        assert!(text.find("\"run\"") < text.find("\"totals\""));
        assert!(text.ends_with("}\n"));
    }
}
